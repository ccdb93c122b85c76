-- The same counts as room_counts, per UTC hour (see the SQLite twin of this migration): a report reads at most the
-- two partial hours at its edges from rooms.
CREATE TABLE dbo.room_counts_hourly (
    hour                 int            NOT NULL, -- DATEDIFF(hour, '19700101', ts): hours since 1970-01-01T00:00Z
    department_id        varchar(64)    NOT NULL, -- '' when the room has none
    department_ancestors varchar(1000)  NOT NULL, -- the rooms' JSON array; '' when none
    total                bigint         NOT NULL,
    [open]               bigint         NOT NULL,
    queued               bigint         NOT NULL,
    on_hold              bigint         NOT NULL,
    closed               bigint         NOT NULL,
    CONSTRAINT pk_room_counts_hourly PRIMARY KEY (hour, department_id, department_ancestors)
);
GO
-- Rooms stored before this migration.
INSERT INTO dbo.room_counts_hourly (hour, department_id, department_ancestors, total, [open], queued, on_hold, closed)
SELECT DATEDIFF(hour, '19700101', r.ts), COALESCE(r.department_id, ''), COALESCE(r.department_ancestors, ''), COUNT_BIG(*),
       SUM(CAST(CASE WHEN r.[open] = 1 AND r.on_hold = 0 AND r.served_by_id IS NOT NULL THEN 1 ELSE 0 END AS bigint)),
       SUM(CAST(CASE WHEN r.[open] = 1 AND r.served_by_id IS NULL THEN 1 ELSE 0 END AS bigint)),
       SUM(CAST(CASE WHEN r.on_hold = 1 THEN 1 ELSE 0 END AS bigint)),
       SUM(CAST(CASE WHEN r.chat_duration IS NOT NULL AND r.chat_duration <> 0 THEN 1 ELSE 0 END AS bigint))
FROM dbo.rooms r WHERE r.t = 'l'
GROUP BY DATEDIFF(hour, '19700101', r.ts), COALESCE(r.department_id, ''), COALESCE(r.department_ancestors, '');
