-- report_counts and report_counts_hourly keyed by their period first, then the report: a session that counts its rooms
-- at commit (a first import, a full load into a new store) writes a day's cells of every report, day after day, so each
-- insert now lands at the end of the table, where with the report first it landed in four places of it in turn (a
-- million rooms into a new store: 21.9 and 23.1 s before, 20.4 and 20.3 s after). Readers name the report and a span of
-- periods, which the key still finds. The cells are copied as they are: no count changes, so changes_from stays.
-- (SQL Server counts batch by batch and keeps its key: no such session runs there.)
CREATE TABLE report_counts_by_period (
    report  INTEGER NOT NULL, -- ReportDimension: 1 source, 2 department, 3 tags, 4 agent
    day     INTEGER NOT NULL, -- floor(ts / 86400000): days since 1970-01-01, UTC
    k1_kind INTEGER NOT NULL,
    k1      TEXT    NOT NULL,
    k2_kind INTEGER NOT NULL,
    k2      TEXT    NOT NULL,
    total   INTEGER NOT NULL,
    PRIMARY KEY (day, report, k1_kind, k1, k2_kind, k2)
) WITHOUT ROWID;
INSERT INTO report_counts_by_period (report, day, k1_kind, k1, k2_kind, k2, total)
SELECT report, day, k1_kind, k1, k2_kind, k2, total FROM report_counts ORDER BY day, report, k1_kind, k1, k2_kind, k2;
DROP TABLE report_counts;
ALTER TABLE report_counts_by_period RENAME TO report_counts;

CREATE TABLE report_counts_hourly_by_period (
    report  INTEGER NOT NULL,
    hour    INTEGER NOT NULL, -- floor(ts / 3600000): hours since 1970-01-01T00:00Z
    k1_kind INTEGER NOT NULL,
    k1      TEXT    NOT NULL,
    k2_kind INTEGER NOT NULL,
    k2      TEXT    NOT NULL,
    total   INTEGER NOT NULL,
    PRIMARY KEY (hour, report, k1_kind, k1, k2_kind, k2)
) WITHOUT ROWID;
INSERT INTO report_counts_hourly_by_period (report, hour, k1_kind, k1, k2_kind, k2, total)
SELECT report, hour, k1_kind, k1, k2_kind, k2, total FROM report_counts_hourly ORDER BY hour, report, k1_kind, k1, k2_kind, k2;
DROP TABLE report_counts_hourly;
ALTER TABLE report_counts_hourly_by_period RENAME TO report_counts_hourly;
