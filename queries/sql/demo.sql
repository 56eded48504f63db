-- name: indicators_in_force
-- The indicators measured in a year: those of targets in force, plus the context indicators.
SELECT codice FROM indicatori_in_vigore($ente, $anno) ORDER BY codice;
