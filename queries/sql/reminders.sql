-- name: config
-- The body's reminder rules (days after a quarter's end; days more before the Segretario); defaults 20 and 10.
SELECT coalesce(max(giorni_scadenza), 20), coalesce(max(giorni_sollecito), 10) FROM promemoria_config WHERE ente = $ente;

-- name: office_addresses
-- The e-mail addresses of the staff and heads of each office of a body.
SELECT o.ufficio, u.email FROM utenti u JOIN utenti_uffici o ON o.username = u.username AND o.ente = u.ente
WHERE u.ente = $ente AND u.ruolo IN ('staff', 'responsabile') AND u.email IS NOT NULL AND u.email <> ''
ORDER BY o.ufficio, u.email;

-- name: segretario_addresses
-- The e-mail addresses of the body's Segretario Generale.
SELECT email FROM utenti WHERE ente = $ente AND ruolo = 'segretario_generale' AND email IS NOT NULL AND email <> ''
ORDER BY email;

-- name: enqueue
-- A composed message into the outbox, once per key and recipient.
-- The id drawn first ($id, db.next_id) and the attempts named: DuckDB's upsert through the PostgreSQL attach sends
-- NULL for a column left out, not its default.
INSERT INTO posta_in_uscita (id, ente, chiave, destinatario, oggetto, corpo, creato_il, stato, tentativi)
VALUES ($id, $ente, $chiave, $destinatario, $oggetto, $corpo, $quando, 'da_inviare', 0)
ON CONFLICT DO NOTHING;

-- name: known
-- Whether a message with this key and recipient is in the outbox already.
SELECT count(*) > 0 FROM posta_in_uscita WHERE chiave = $chiave AND destinatario = $destinatario;

-- name: to_send
-- The messages waiting to go (never sent, or failed fewer than $max_tentativi times), oldest first.
SELECT id, destinatario, oggetto, corpo FROM posta_in_uscita
WHERE ente = $ente AND (stato = 'da_inviare' OR (stato = 'errore' AND tentativi < $max_tentativi))
ORDER BY id;

-- name: mark_sent
-- A message delivered to the SMTP server.
UPDATE posta_in_uscita SET stato = 'inviato', tentativi = tentativi + 1, inviato_il = $quando, errore = NULL
WHERE id = $id;

-- name: mark_failed
-- A message the SMTP server did not take, with the error.
UPDATE posta_in_uscita SET stato = 'errore', tentativi = tentativi + 1, errore = $errore WHERE id = $id;

-- name: outbox
-- The outbox of a body, newest first.
SELECT id, chiave, destinatario, oggetto, stato, tentativi, creato_il, inviato_il, errore
FROM posta_in_uscita WHERE ente = $ente ORDER BY id DESC;
