-- Counts per UTC day, department and department ancestors of omnichannel rooms by status, kept in the same
-- transaction as every write of rooms (see the SQLite twin of this migration). A report sums the whole days of its
-- range here and reads only the partial days at its edges from rooms.
CREATE TABLE dbo.room_counts (
    day                  int            NOT NULL, -- DATEDIFF(day, '19700101', ts): days since 1970-01-01, UTC
    department_id        varchar(64)    NOT NULL, -- '' when the room has none
    department_ancestors varchar(1000)  NOT NULL, -- the rooms' JSON array; '' when none
    total                bigint         NOT NULL,
    [open]               bigint         NOT NULL,
    queued               bigint         NOT NULL,
    on_hold              bigint         NOT NULL,
    closed               bigint         NOT NULL,
    CONSTRAINT pk_room_counts PRIMARY KEY (day, department_id, department_ancestors)
);
GO
-- Rooms stored before this migration.
INSERT INTO dbo.room_counts (day, department_id, department_ancestors, total, [open], queued, on_hold, closed)
SELECT DATEDIFF(day, '19700101', r.ts), COALESCE(r.department_id, ''), COALESCE(r.department_ancestors, ''), COUNT_BIG(*),
       SUM(CAST(CASE WHEN r.[open] = 1 AND r.on_hold = 0 AND r.served_by_id IS NOT NULL THEN 1 ELSE 0 END AS bigint)),
       SUM(CAST(CASE WHEN r.[open] = 1 AND r.served_by_id IS NULL THEN 1 ELSE 0 END AS bigint)),
       SUM(CAST(CASE WHEN r.on_hold = 1 THEN 1 ELSE 0 END AS bigint)),
       SUM(CAST(CASE WHEN r.chat_duration IS NOT NULL AND r.chat_duration <> 0 THEN 1 ELSE 0 END AS bigint))
FROM dbo.rooms r WHERE r.t = 'l'
GROUP BY DATEDIFF(day, '19700101', r.ts), COALESCE(r.department_id, ''), COALESCE(r.department_ancestors, '');
