-- name: get
-- An account by user name.
SELECT username, ente, ruolo, password_hash FROM utenti WHERE username = $username;

-- name: offices_of
-- The offices of an account.
SELECT ufficio FROM utenti_uffici WHERE username = $username AND ente = $ente ORDER BY ufficio;

-- name: insert
-- A new account.
INSERT INTO utenti (username, ente, ruolo, password_hash, creato_il, email, tentativi_falliti)
VALUES ($username, $ente, $ruolo, $password_hash, $creato_il, lower($email), 0);

-- name: by_email
-- The account whose e-mail is the single sign-on identity.
SELECT username FROM utenti WHERE lower(email) = $email;

-- name: list
-- The accounts belonging to a body (utenti_enti, issue 16) with their offices there, the latest lock in
-- force (from some source, see auth.py) and, for a disabled account, since when (utenti_stati). Not the
-- accounts' other bodies: those are not this body's business.
SELECT u.username, u.ente, u.ruolo, u.email, u.creato_il,
    (SELECT max(t.bloccato_fino) FROM tentativi_accesso t WHERE t.username = u.username AND t.bloccato_fino > now()) AS bloccato_fino,
    string_agg(o.ufficio, ', ' ORDER BY o.ufficio) AS uffici,
    (SELECT CASE WHEN NOT arg_max(s.attivo, s.quando) THEN max(s.quando) END
     FROM utenti_stati s WHERE s.username = u.username) AS disattivato_il
FROM utenti u LEFT JOIN utenti_uffici o ON o.username = u.username AND o.ente = $ente
WHERE u.username IN (SELECT m.username FROM utenti_enti m WHERE m.ente = $ente)
GROUP BY ALL ORDER BY u.username;

-- name: insert_office
-- An office whose values the account may write.
INSERT INTO utenti_uffici (username, ente, ufficio) VALUES ($username, $ente, $ufficio);

-- name: insert_body
-- A body the account belongs to (its own, and any other it is given: utenti_enti).
INSERT INTO utenti_enti (username, ente) VALUES ($username, $ente) ON CONFLICT DO NOTHING;

-- name: active
-- Whether the account may log in: no row in utenti_stati, or the latest one says active.
SELECT coalesce((SELECT arg_max(s.attivo, s.quando) FROM utenti_stati s WHERE s.username = $username), true);
