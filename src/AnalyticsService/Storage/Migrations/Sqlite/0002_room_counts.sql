-- Counts per UTC day, department and department ancestors of omnichannel rooms by status. Every write of rooms
-- (WriteSession.UpsertRoomsAsync, the only one) adds its changes here in the same transaction. A report sums the
-- whole days of its range here and reads only the partial days at its edges from rooms, so its cost does not grow
-- with the number of rooms in the range. The status rules are docs/behaviour.md's, as in RoomStatus.
CREATE TABLE room_counts (
    day                  INTEGER NOT NULL, -- floor(ts / 86400000): days since 1970-01-01, UTC
    department_id        TEXT    NOT NULL, -- '' when the room has none
    department_ancestors TEXT    NOT NULL, -- the rooms' JSON array; '' when none
    total                INTEGER NOT NULL,
    open                 INTEGER NOT NULL,
    queued               INTEGER NOT NULL,
    on_hold              INTEGER NOT NULL,
    closed               INTEGER NOT NULL,
    PRIMARY KEY (day, department_id, department_ancestors)
) WITHOUT ROWID;

-- Rooms stored before this migration.
INSERT INTO room_counts (day, department_id, department_ancestors, total, open, queued, on_hold, closed)
SELECT (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000, COALESCE(department_id, ''), COALESCE(department_ancestors, ''),
       COUNT(*),
       SUM(open = 1 AND on_hold = 0 AND served_by_id IS NOT NULL),
       SUM(open = 1 AND served_by_id IS NULL),
       SUM(on_hold = 1),
       SUM(chat_duration IS NOT NULL AND chat_duration <> 0)
FROM rooms WHERE t = 'l'
GROUP BY 1, 2, 3;
