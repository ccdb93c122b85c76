-- One row, bumped in every write transaction: a reader tells in one lookup whether anything changed since an answer
-- it keeps, so answers can be reused without ever being stale.
CREATE TABLE store_version (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO store_version (id, version) VALUES (1, 0);
