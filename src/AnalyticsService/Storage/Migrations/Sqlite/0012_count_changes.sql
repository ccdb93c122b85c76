-- Which UTC days each committed write changed in the counts tables, under the store version it committed as: a running
-- service whose totals in memory (ReportTotals) are at an older version reads again only those days' cells, where it
-- read every cell again (minutes at ten million rooms). Written in the write's transaction, after its version bump.
-- store_version.changes_from: every version after it has its days here; older ones may have been pruned (a service
-- with totals older than that reads every cell again). A migration that changes counts must move it to the version.
CREATE TABLE count_change_days (
    version INTEGER NOT NULL,
    day     INTEGER NOT NULL, -- floor(ts / 86400000), as in room_counts and report_counts
    PRIMARY KEY (version, day)
) WITHOUT ROWID;

ALTER TABLE store_version ADD COLUMN changes_from INTEGER NOT NULL DEFAULT 0;
UPDATE store_version SET changes_from = version;
