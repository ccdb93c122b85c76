-- Which days each committed write changed in the counts tables: see the SQLite twin of this migration.
CREATE TABLE dbo.count_change_days (
    version bigint NOT NULL,
    day     int    NOT NULL,
    CONSTRAINT pk_count_change_days PRIMARY KEY (version, day)
);
ALTER TABLE dbo.store_version ADD changes_from bigint NOT NULL CONSTRAINT df_store_version_changes_from DEFAULT 0;
GO
UPDATE dbo.store_version SET changes_from = version;
