-- name: member_of
-- The bodies an account belongs to (utenti_enti), by code.
SELECT ente FROM utenti_enti WHERE username = $username ORDER BY ente;

-- name: predecessors_of
-- The bodies the given ones succeeded (successioni), as far back as the chain goes: their data is read-only.
WITH RECURSIVE prima(ente) AS (
    SELECT predecessore FROM successioni WHERE list_contains($enti, successore)
    UNION
    SELECT s.predecessore FROM successioni s JOIN prima p ON s.successore = p.ente
)
SELECT DISTINCT ente FROM prima ORDER BY ente;

-- name: offices_in
-- The offices of an account in one body (utenti_uffici carries the body).
SELECT ufficio FROM utenti_uffici WHERE username = $username AND ente = $ente ORDER BY ufficio;

-- name: assign
-- An account joins a body (nothing if it already belongs to it).
INSERT INTO utenti_enti (username, ente) VALUES ($username, $ente) ON CONFLICT DO NOTHING;

-- name: unassign
-- An account leaves a body (never its own body, utenti.ente: checked by body_access.set_bodies).
DELETE FROM utenti_enti WHERE username = $username AND ente = $ente;

-- name: primary_of
-- The account's own body (utenti.ente) and its role.
SELECT ente, ruolo FROM utenti WHERE username = $username;
