-- The same counts as room_counts, per UTC hour: a report takes the whole hours around its whole days from here, so it
-- reads at most the two partial hours at its edges from rooms (at most two partial days before). Kept in the same
-- transaction as every write of rooms, like room_counts.
CREATE TABLE room_counts_hourly (
    hour                 INTEGER NOT NULL, -- floor(ts / 3600000): hours since 1970-01-01T00:00Z
    department_id        TEXT    NOT NULL, -- '' when the room has none
    department_ancestors TEXT    NOT NULL, -- the rooms' JSON array; '' when none
    total                INTEGER NOT NULL,
    open                 INTEGER NOT NULL,
    queued               INTEGER NOT NULL,
    on_hold              INTEGER NOT NULL,
    closed               INTEGER NOT NULL,
    PRIMARY KEY (hour, department_id, department_ancestors)
) WITHOUT ROWID;

-- Rooms stored before this migration.
INSERT INTO room_counts_hourly (hour, department_id, department_ancestors, total, open, queued, on_hold, closed)
SELECT (ts - ((ts % 3600000) + 3600000) % 3600000) / 3600000, COALESCE(department_id, ''), COALESCE(department_ancestors, ''),
       COUNT(*),
       SUM(open = 1 AND on_hold = 0 AND served_by_id IS NOT NULL),
       SUM(open = 1 AND served_by_id IS NULL),
       SUM(on_hold = 1),
       SUM(chat_duration IS NOT NULL AND chat_duration <> 0)
FROM rooms WHERE t = 'l'
GROUP BY 1, 2, 3;
