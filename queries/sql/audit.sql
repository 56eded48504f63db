-- name: insert
-- One audit row: who did what, on what, from what to what, and why.
INSERT INTO audit (ente, quando, utente, azione, oggetto, prima, dopo, motivo)
VALUES ($ente, $quando, $utente, $azione, $oggetto, $prima, $dopo, $motivo);

-- name: insert_many
-- Several audit rows in one statement ($rows: a list of structs with the columns of `insert`).
INSERT INTO audit (ente, quando, utente, azione, oggetto, prima, dopo, motivo)
SELECT r.ente, r.quando, r.utente, r.azione, r.oggetto, r.prima, r.dopo, r.motivo FROM (SELECT unnest($rows) AS r);

-- name: search
-- The audit trail filtered by body, user, action and time window (any filter may be NULL). With a body, the
-- rows of no body (a failed login under an unknown name, a source blocked) only with $senza_ente: they are the
-- installation's, shown to who administers the accounts (audit.trail decides).
SELECT id, ente, quando, utente, azione, oggetto, prima, dopo, motivo
FROM audit
WHERE ($ente IS NULL OR ente = $ente OR (ente IS NULL AND $senza_ente))
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
-- The users present in the body's trail (and in the rows of no body, with $senza_ente), for the Registro's filter.
SELECT DISTINCT utente FROM audit WHERE ente = $ente OR (ente IS NULL AND $senza_ente) ORDER BY utente;

-- name: first_day
-- The day of the body's first audit row (with $senza_ente, also of the rows of no body): the Registro's "Dal".
SELECT CAST(min(quando) AS DATE) FROM audit WHERE ente = $ente OR (ente IS NULL AND $senza_ente);
