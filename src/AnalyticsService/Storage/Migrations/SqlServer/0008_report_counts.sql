-- The other four reports' counts: see the SQLite twin of this migration. The key is a hash of what the cell groups by
-- (computed by AddToReportCounts), so that values of any length fit the primary key; k1 and k2 keep the values.
CREATE TABLE dbo.report_counts (
    report   tinyint        NOT NULL,
    day      int            NOT NULL,
    key_hash binary(32)     NOT NULL,
    k1_kind  tinyint        NOT NULL,
    k1       nvarchar(4000) NOT NULL,
    k2_kind  tinyint        NOT NULL,
    k2       nvarchar(4000) NOT NULL,
    total    bigint         NOT NULL,
    CONSTRAINT pk_report_counts PRIMARY KEY (report, day, key_hash)
);
CREATE TABLE dbo.report_counts_hourly (
    report   tinyint        NOT NULL,
    hour     int            NOT NULL,
    key_hash binary(32)     NOT NULL,
    k1_kind  tinyint        NOT NULL,
    k1       nvarchar(4000) NOT NULL,
    k2_kind  tinyint        NOT NULL,
    k2       nvarchar(4000) NOT NULL,
    total    bigint         NOT NULL,
    CONSTRAINT pk_report_counts_hourly PRIMARY KEY (report, hour, key_hash)
);
