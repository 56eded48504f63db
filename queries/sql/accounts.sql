-- name: set_password
-- A new Argon2id hash for the account (its own change, or the administrator's reset).
UPDATE utenti SET password_hash = $password_hash WHERE username = $username;

-- name: set_state
-- The account disabled or enabled again: a new row, the earlier ones stay (who, when, why).
INSERT INTO utenti_stati (username, quando, attivo, da, motivo) VALUES ($username, $quando, $attivo, $da, $motivo);

-- name: primary_of
-- The account's own body (utenti.ente): whose planning office administers it.
SELECT ente FROM utenti WHERE username = $username;

-- name: history
-- Every time the account was disabled or enabled, newest first.
SELECT quando, attivo, da, motivo FROM utenti_stati WHERE username = $username ORDER BY quando DESC;

-- name: administrable
-- The accounts whose own body is one of $enti (those a planning officer writes), by name.
SELECT username FROM utenti WHERE list_contains($enti, ente) ORDER BY username;
