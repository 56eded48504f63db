-- name: criterion
-- One row per year when the threshold differs by year (anno set).
SELECT soglia, operatore, anno FROM criteri WHERE ente = $ente AND target = $target AND anno_da = $anno_da AND indicatore = $indicatore;

-- name: set_threshold
UPDATE criteri SET soglia = $soglia WHERE ente = $ente AND target = $target AND anno_da = $anno_da AND indicatore = $indicatore;

-- name: target_weight
SELECT peso FROM target WHERE ente = $ente AND codice = $target AND anno_da = $anno_da;

-- name: set_weight
UPDATE target SET peso = $peso WHERE ente = $ente AND codice = $target AND anno_da = $anno_da;
