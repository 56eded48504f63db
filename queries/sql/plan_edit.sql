-- name: criterion
-- The threshold and operator of a target's condition on one indicator: one row per year when the threshold differs by year (anno set).
SELECT soglia, operatore, anno FROM criteri WHERE ente = $ente AND target = $target AND anno_da = $anno_da AND indicatore = $indicatore;

-- name: set_threshold
-- A new threshold for a target's condition (the old one stays in the audit trail).
UPDATE criteri SET soglia = $soglia WHERE ente = $ente AND target = $target AND anno_da = $anno_da AND indicatore = $indicatore;

-- name: target_years
-- The years a target is in force.
SELECT anno_da, anno_a FROM target WHERE ente = $ente AND codice = $target AND anno_da = $anno_da;

-- name: target_weight
-- The roll-up weight of a target.
SELECT peso FROM target WHERE ente = $ente AND codice = $target AND anno_da = $anno_da;

-- name: set_weight
-- A new roll-up weight for a target (the old one stays in the audit trail).
UPDATE target SET peso = $peso WHERE ente = $ente AND codice = $target AND anno_da = $anno_da;
