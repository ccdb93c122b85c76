-- One row, bumped in every write transaction: a reader tells in one lookup whether anything changed since an answer
-- it keeps, so answers can be reused without ever being stale.
CREATE TABLE dbo.store_version (
    id      int    NOT NULL CONSTRAINT pk_store_version PRIMARY KEY CONSTRAINT ck_store_version_single CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO dbo.store_version (id, version) VALUES (1, 0);
