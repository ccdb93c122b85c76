-- The other four reports' counts, per UTC day (report_counts) and hour (report_counts_hourly): a row per report and what
-- it groups rooms by (ReportKey: up to two values, each with how the room holds it). Kept in the same transaction as
-- every write of rooms, like the status counts. The rooms stored before this migration are counted into them by the
-- migrator, in this migration's transaction, with the code that keeps them (ReportCountsBackfill).
CREATE TABLE report_counts (
    report  INTEGER NOT NULL, -- ReportDimension: 1 source, 2 department, 3 tags, 4 agent
    day     INTEGER NOT NULL, -- floor(ts / 86400000): days since 1970-01-01, UTC
    k1_kind INTEGER NOT NULL,
    k1      TEXT    NOT NULL,
    k2_kind INTEGER NOT NULL,
    k2      TEXT    NOT NULL,
    total   INTEGER NOT NULL,
    PRIMARY KEY (report, day, k1_kind, k1, k2_kind, k2)
) WITHOUT ROWID;

CREATE TABLE report_counts_hourly (
    report  INTEGER NOT NULL,
    hour    INTEGER NOT NULL, -- floor(ts / 3600000): hours since 1970-01-01T00:00Z
    k1_kind INTEGER NOT NULL,
    k1      TEXT    NOT NULL,
    k2_kind INTEGER NOT NULL,
    k2      TEXT    NOT NULL,
    total   INTEGER NOT NULL,
    PRIMARY KEY (report, hour, k1_kind, k1, k2_kind, k2)
) WITHOUT ROWID;
