-- The by-source cells of restricted callers: see the SQLite twin of this migration. As in report_counts, the source key
-- is hashed (computed by AddToSourceCounts) so that values of any length fit the primary key; k1 and k2 keep the values.
CREATE TABLE dbo.source_counts (
    day                  int            NOT NULL,
    department_kind      tinyint        NOT NULL,
    department_id        varchar(64)    NOT NULL,
    department_ancestors varchar(1000)  NOT NULL,
    key_hash             binary(32)     NOT NULL,
    k1_kind              tinyint        NOT NULL,
    k1                   nvarchar(4000) NOT NULL,
    k2_kind              tinyint        NOT NULL,
    k2                   nvarchar(4000) NOT NULL,
    total                bigint         NOT NULL,
    CONSTRAINT pk_source_counts PRIMARY KEY (day, department_kind, department_id, department_ancestors, key_hash)
);
