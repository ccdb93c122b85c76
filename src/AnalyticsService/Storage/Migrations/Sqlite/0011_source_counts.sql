-- The by-source cells of restricted callers: per UTC day, how the rooms hold their department (as room_counts keeps
-- it: what the visibility rule reads) and their source key (ReportKey, as report_counts keeps it). Days only: a range's
-- partial days are read from rooms (a restricted caller's report is not held in memory). Kept in the same transaction as
-- every write of rooms; the rooms stored before this migration are counted into it by the migrator, in this
-- migration's transaction, with the code that keeps it.
CREATE TABLE source_counts (
    day                  INTEGER NOT NULL, -- floor(ts / 86400000): days since 1970-01-01, UTC
    department_kind      INTEGER NOT NULL, -- how the rooms hold departmentId: 0 absent, 1 null, 2 a value
    department_id        TEXT    NOT NULL, -- '' unless department_kind is 2
    department_ancestors TEXT    NOT NULL, -- the rooms' JSON array; '' when none
    k1_kind              INTEGER NOT NULL, -- source.type: how it is held, and its value ('' when not a value)
    k1                   TEXT    NOT NULL,
    k2_kind              INTEGER NOT NULL, -- source.alias
    k2                   TEXT    NOT NULL,
    total                INTEGER NOT NULL,
    PRIMARY KEY (day, department_kind, department_id, department_ancestors, k1_kind, k1, k2_kind, k2)
) WITHOUT ROWID;
