-- name: get
SELECT username, ente, ruolo, password_hash FROM utenti WHERE username = $username;

-- name: offices_of
SELECT ufficio FROM utenti_uffici WHERE username = $username AND ente = $ente ORDER BY ufficio;

-- name: insert
INSERT INTO utenti (username, ente, ruolo, password_hash, creato_il, email, tentativi_falliti)
VALUES ($username, $ente, $ruolo, $password_hash, $creato_il, lower($email), 0);

-- name: by_email
SELECT username FROM utenti WHERE lower(email) = $email;

-- name: login_state
SELECT tentativi_falliti, bloccato_fino FROM utenti WHERE username = $username;

-- name: record_failure
-- One more failed attempt; at the limit the account is locked until $fino.
UPDATE utenti SET tentativi_falliti = tentativi_falliti + 1,
    bloccato_fino = CASE WHEN tentativi_falliti + 1 >= $limite THEN $fino ELSE bloccato_fino END
WHERE username = $username;

-- name: reset_failures
UPDATE utenti SET tentativi_falliti = 0, bloccato_fino = NULL WHERE username = $username;

-- name: list
SELECT u.username, u.ente, u.ruolo, u.email, u.creato_il, u.bloccato_fino,
    string_agg(o.ufficio, ', ' ORDER BY o.ufficio) AS uffici
FROM utenti u LEFT JOIN utenti_uffici o ON o.username = u.username AND o.ente = u.ente
WHERE u.ente = $ente
GROUP BY ALL ORDER BY u.username;

-- name: insert_office
INSERT INTO utenti_uffici (username, ente, ufficio) VALUES ($username, $ente, $ufficio);

-- name: office_exists
SELECT count(*) FROM uffici WHERE ente = $ente AND codice = $ufficio;
