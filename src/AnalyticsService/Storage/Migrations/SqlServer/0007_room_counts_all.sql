-- The status counts per period alone: see the SQLite twin of this migration.
CREATE TABLE dbo.room_counts_all (
    day     int    NOT NULL CONSTRAINT pk_room_counts_all PRIMARY KEY,
    total   bigint NOT NULL,
    [open]  bigint NOT NULL,
    queued  bigint NOT NULL,
    on_hold bigint NOT NULL,
    closed  bigint NOT NULL
);
CREATE TABLE dbo.room_counts_all_hourly (
    hour    int    NOT NULL CONSTRAINT pk_room_counts_all_hourly PRIMARY KEY,
    total   bigint NOT NULL,
    [open]  bigint NOT NULL,
    queued  bigint NOT NULL,
    on_hold bigint NOT NULL,
    closed  bigint NOT NULL
);
GO
INSERT INTO dbo.room_counts_all (day, total, [open], queued, on_hold, closed)
SELECT c.day, SUM(c.total), SUM(c.[open]), SUM(c.queued), SUM(c.on_hold), SUM(c.closed) FROM dbo.room_counts c GROUP BY c.day;
INSERT INTO dbo.room_counts_all_hourly (hour, total, [open], queued, on_hold, closed)
SELECT c.hour, SUM(c.total), SUM(c.[open]), SUM(c.queued), SUM(c.on_hold), SUM(c.closed) FROM dbo.room_counts_hourly c GROUP BY c.hour;
