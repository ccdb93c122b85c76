-- The status counts per period alone, whatever the rooms' departments: an unrestricted caller (most callers) sums one
-- cell a day and an hour here instead of one per department and ancestors. Kept in the same transaction as every write
-- of rooms, like room_counts and room_counts_hourly, and filled from them.
CREATE TABLE room_counts_all (
    day     INTEGER NOT NULL PRIMARY KEY, -- floor(ts / 86400000): days since 1970-01-01, UTC
    total   INTEGER NOT NULL,
    open    INTEGER NOT NULL,
    queued  INTEGER NOT NULL,
    on_hold INTEGER NOT NULL,
    closed  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO room_counts_all (day, total, open, queued, on_hold, closed)
SELECT day, SUM(total), SUM(open), SUM(queued), SUM(on_hold), SUM(closed) FROM room_counts GROUP BY day;

CREATE TABLE room_counts_all_hourly (
    hour    INTEGER NOT NULL PRIMARY KEY, -- floor(ts / 3600000): hours since 1970-01-01T00:00Z
    total   INTEGER NOT NULL,
    open    INTEGER NOT NULL,
    queued  INTEGER NOT NULL,
    on_hold INTEGER NOT NULL,
    closed  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO room_counts_all_hourly (hour, total, open, queued, on_hold, closed)
SELECT hour, SUM(total), SUM(open), SUM(queued), SUM(on_hold), SUM(closed) FROM room_counts_hourly GROUP BY hour;
