-- name: indicatori_successione
-- A successor's indicator linked to a predecessor's indicator of the same definition, so that its series
-- continues across the merger (e.g. CCIAA-TNO's RI_TEMPO_LAV after CCIAA-LU's, CCIAA-PI's and CCIAA-MS's).
CREATE TABLE IF NOT EXISTS indicatori_successione (
    successore               VARCHAR NOT NULL,
    indicatore               VARCHAR NOT NULL,
    predecessore             VARCHAR NOT NULL,
    indicatore_predecessore  VARCHAR NOT NULL,
    PRIMARY KEY (successore, indicatore, predecessore)
);
