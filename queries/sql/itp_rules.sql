-- name: get
-- The body's reading of the rule on disputed invoices ('fine_contestazione' when it never chose).
SELECT coalesce((SELECT scadenza_dopo_contestazione FROM regole_itp WHERE ente = $ente), 'fine_contestazione');

-- name: set
-- The body's reading, replacing the one before (the audit keeps which it was).
INSERT OR REPLACE INTO regole_itp VALUES ($ente, $regola, $utente, $quando);
