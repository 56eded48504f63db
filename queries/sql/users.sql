-- name: get
SELECT username, ente, ruolo, password_hash FROM utenti WHERE username = $username;

-- name: offices_of
SELECT ufficio FROM utenti_uffici WHERE username = $username AND ente = $ente ORDER BY ufficio;

-- name: insert
INSERT INTO utenti (username, ente, ruolo, password_hash, creato_il)
VALUES ($username, $ente, $ruolo, $password_hash, $creato_il);

-- name: insert_office
INSERT INTO utenti_uffici (username, ente, ufficio) VALUES ($username, $ente, $ufficio);

-- name: office_exists
SELECT count(*) FROM uffici WHERE ente = $ente AND codice = $ufficio;
