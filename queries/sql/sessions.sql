-- name: purge
-- Sessions ended (absolute expiry) before $prima are of no use any more: dropped when a new one opens.
DELETE FROM sessioni WHERE scade < $prima;

-- name: open
-- A new session after a login: the hash of its one-time code, valid until $codice_scade; no token yet. Its id
-- is drawn first (db.next_id: PostgreSQL's inserts through DuckDB return nothing).
INSERT INTO sessioni (id, username, ente, hash_codice, codice_scade, creata, ultimo_accesso, scade)
VALUES ($id, $username, $ente, $hash_codice, $codice_scade, $adesso, $adesso, $scade);

-- name: redeem
-- The one-time code exchanged, once, for the token's hash: only an unused, unexpired code of a live session.
UPDATE sessioni SET codice_usato = true, hash_token = $hash_token, ultimo_accesso = $adesso
WHERE hash_codice = $hash_codice AND NOT codice_usato AND codice_scade > $adesso
  AND revocata IS NULL AND scade > $adesso AND ultimo_accesso > $inattivo_da;

-- name: redeemed
-- Whether redeem (just before, in the same transaction) gave the token's hash to a session.
SELECT id FROM sessioni WHERE hash_token = $hash_token;

-- name: pending
-- Whether the session's one-time code is still waiting to be exchanged (and can still be).
SELECT count(*) > 0 FROM sessioni
WHERE id = $id AND NOT codice_usato AND codice_scade > $adesso AND revocata IS NULL;

-- name: by_token
-- The live session holding the token's hash: not revoked, not past its absolute end, active since $inattivo_da.
SELECT id, username, ente, ultimo_accesso FROM sessioni
WHERE hash_token = $hash_token AND revocata IS NULL AND scade > $adesso AND ultimo_accesso > $inattivo_da;

-- name: live
-- The session by id if still live (as by_token): its last activity.
SELECT ultimo_accesso FROM sessioni
WHERE id = $id AND revocata IS NULL AND scade > $adesso AND ultimo_accesso > $inattivo_da;

-- name: touch
-- Activity on the session: its idle period starts again.
UPDATE sessioni SET ultimo_accesso = $adesso WHERE id = $id AND revocata IS NULL;

-- name: revoke
-- A session ended (logout, idle): its token and code are worth nothing from now on.
UPDATE sessioni SET revocata = $adesso, motivo_revoca = $motivo WHERE id = $id AND revocata IS NULL;

-- name: revoke_token
-- The session holding the token's hash ended (logout from the browser that holds the cookie); its user.
UPDATE sessioni SET revocata = $adesso, motivo_revoca = $motivo WHERE hash_token = $hash_token AND revocata IS NULL;

-- name: live_token_user
-- The user of the live session holding the token's hash (read before revoke_token, in its transaction).
SELECT username FROM sessioni WHERE hash_token = $hash_token AND revocata IS NULL;

-- name: revoke_user
-- Every live session of an account ended (its password changed, the account disabled), but the session $tenere
-- (the one the user changed its password from; NULL: none kept).
UPDATE sessioni SET revocata = $adesso, motivo_revoca = $motivo
WHERE username = $username AND revocata IS NULL AND id IS DISTINCT FROM $tenere;

-- name: live_of_user
-- How many live sessions revoke_user will end (read before it, in its transaction).
SELECT count(*) FROM sessioni WHERE username = $username AND revocata IS NULL AND id IS DISTINCT FROM $tenere;
