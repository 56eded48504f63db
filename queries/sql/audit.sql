-- name: insert
-- One audit row: who did what, on what, from what to what, and why.
INSERT INTO audit (ente, quando, utente, azione, oggetto, prima, dopo, motivo)
VALUES ($ente, $quando, $utente, $azione, $oggetto, $prima, $dopo, $motivo);

-- name: insert_many
-- Several audit rows in one statement ($rows: a list of structs with the columns of `insert`).
INSERT INTO audit (ente, quando, utente, azione, oggetto, prima, dopo, motivo)
SELECT r.ente, r.quando, r.utente, r.azione, r.oggetto, r.prima, r.dopo, r.motivo FROM (SELECT unnest($rows) AS r);

-- name: search
-- The audit trail filtered by body, user, action and time window (any filter may be NULL).
SELECT id, ente, quando, utente, azione, oggetto, prima, dopo, motivo
FROM audit
WHERE ($ente IS NULL OR ente = $ente OR ente IS NULL)
  AND ($utente IS NULL OR utente = $utente)
  AND ($azione IS NULL OR azione = $azione)
  AND ($dal IS NULL OR quando >= $dal)
  AND ($al IS NULL OR quando < $al)
ORDER BY quando DESC, id DESC
LIMIT $limite;

-- name: actions
-- The actions present in the trail, for the Registro's filter.
SELECT DISTINCT azione FROM audit ORDER BY azione;

-- name: users
-- The users present in the body's trail, for the Registro's filter.
SELECT DISTINCT utente FROM audit WHERE ente = $ente ORDER BY utente;

-- name: first_day
-- The day of the body's first audit row (the Registro's "Dal" starts there).
SELECT CAST(min(quando) AS DATE) FROM audit WHERE ente = $ente OR ente IS NULL;
