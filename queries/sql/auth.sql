-- name: lock_until
-- The end of the lock on $username from $origine, or on $origine as a whole (username '*'), if either is
-- still in force at $adesso; NULL if none.
SELECT max(bloccato_fino) FROM tentativi_accesso
WHERE origine = $origine AND username IN ($username, '*') AND bloccato_fino > $adesso;

-- name: record_failure
-- One more failed attempt of $username from $origine; at $limite the pair is locked until $fino. A lock that
-- has expired starts the count again.
INSERT INTO tentativi_accesso AS t (username, origine, tentativi, bloccato_fino)
VALUES ($username, $origine, 1, CASE WHEN $limite <= 1 THEN $fino END)
ON CONFLICT (username, origine) DO UPDATE SET
    tentativi = CASE WHEN t.bloccato_fino IS NOT NULL AND t.bloccato_fino <= $adesso THEN 1 ELSE t.tentativi + 1 END,
    bloccato_fino = CASE WHEN t.bloccato_fino IS NOT NULL AND t.bloccato_fino <= $adesso THEN NULL
                         WHEN t.tentativi + 1 >= $limite THEN $fino ELSE t.bloccato_fino END;

-- name: failures
-- The count and lock of $username from $origine, just written by record_failure (in its transaction).
SELECT tentativi, bloccato_fino FROM tentativi_accesso WHERE username = $username AND origine = $origine;

-- name: reset_failures
-- A successful login clears the failed attempts of the account from that source.
DELETE FROM tentativi_accesso WHERE username = $username AND origine = $origine;
