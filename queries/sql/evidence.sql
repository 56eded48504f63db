-- name: in_force
-- The evidence files attached to a body's targets for $anno and not withdrawn ($target NULL: every target),
-- with who attached each, when and what it proves.
SELECT e.id, e.target, e.anno_da, e.anno, e.trimestre, e.nome_file, e.tipo, e.sha256, b.byte, e.descrizione,
    e.utente, e.quando
FROM evidenze_file e
JOIN file_blob b ON b.sha256 = e.sha256
WHERE e.ente = $ente AND e.anno = $anno AND e.azione = 'allegato' AND ($target IS NULL OR e.target = $target)
  AND NOT EXISTS (SELECT 1 FROM evidenze_file w WHERE w.azione = 'ritirato' AND w.ritira = e.id)
ORDER BY e.target, e.trimestre, e.id;

-- name: history
-- Every attachment and withdrawal of a target's evidence in a year, oldest first.
SELECT id, trimestre, azione, ritira, nome_file, tipo, sha256, descrizione, utente, quando
FROM evidenze_file WHERE ente = $ente AND target = $target AND anno = $anno ORDER BY id;

-- name: get
-- One attachment record of a body.
SELECT id, target, anno_da, anno, trimestre, azione, nome_file, tipo, sha256, descrizione, utente, quando
FROM evidenze_file WHERE ente = $ente AND id = $id;

-- name: withdrawn
-- Whether an attachment was withdrawn.
SELECT count(*) > 0 FROM evidenze_file WHERE azione = 'ritirato' AND ritira = $id;

-- name: content
-- The stored bytes of a file, by its SHA-256.
SELECT contenuto FROM file_blob WHERE sha256 = $sha256;

-- name: blob_exists
-- Whether these bytes are stored already (the same file is stored once).
SELECT count(*) > 0 FROM file_blob WHERE sha256 = $sha256;

-- name: insert_blob
-- The bytes of a new file.
INSERT INTO file_blob (sha256, tipo, byte, contenuto, creato_il) VALUES ($sha256, $tipo, $byte, $contenuto, $quando);

-- name: insert
-- An attachment or a withdrawal (append-only).
-- The id is drawn first (db.next_id: PostgreSQL's inserts through DuckDB return nothing).
INSERT INTO evidenze_file (id, ente, target, anno_da, anno, trimestre, azione, ritira, sha256, nome_file, tipo,
                           descrizione, utente, quando)
VALUES ($id, $ente, $target, $anno_da, $anno, $trimestre, $azione, $ritira, $sha256, $nome_file, $tipo, $descrizione,
        $utente, $quando);
