-- name: login_state
-- Failed attempts so far and the end of the lock, if any, of an account.
SELECT tentativi_falliti, bloccato_fino FROM utenti WHERE username = $username;

-- name: record_failure
-- One more failed attempt; at the limit the account is locked until $fino.
UPDATE utenti SET tentativi_falliti = tentativi_falliti + 1,
    bloccato_fino = CASE WHEN tentativi_falliti + 1 >= $limite THEN $fino ELSE bloccato_fino END
WHERE username = $username;

-- name: reset_failures
-- A successful login clears the failed attempts and the lock.
UPDATE utenti SET tentativi_falliti = 0, bloccato_fino = NULL WHERE username = $username;
