-- MongoDB's truthiness and the unit restriction of Rocket.Chat's 8.x line (docs/behaviour.md, "Status" and "Who sees
-- which rooms"). Each room now keeps:
--   served_by_kind, department_kind: how servedBy and departmentId are held: 0 absent, 1 null, 2 a value;
--   is_open, is_queued, is_on_hold, is_closed: its status flags as the importer computed them (RoomStatus), which
--     every count adds up, so the status rule is written once;
--   needs_reimport: 1 when this migration could not know what the document held (see below).
ALTER TABLE rooms ADD COLUMN served_by_kind  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN department_kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN is_open         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN is_queued       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN is_on_hold      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN is_closed       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN needs_reimport  INTEGER NOT NULL DEFAULT 0;

-- The earlier release kept open and onHold only when they were booleans and chatDuration only when a number, so those
-- are exact. It stored servedBy null, {} and a servedBy without _id alike as served_by_id '', and departmentId absent
-- or null alike as NULL: those rooms keep the earlier reading (served; no department field) and are marked for a
-- re-import, which the service asks for at start-up. (SET reads the row as it was before this statement.)
UPDATE rooms SET
    served_by_kind  = CASE WHEN served_by_id IS NULL THEN 0 ELSE 2 END,
    served_by_id    = NULLIF(served_by_id, ''),
    department_kind = CASE WHEN department_id IS NULL THEN 0 ELSE 2 END,
    is_open         = (open = 1 AND on_hold = 0 AND served_by_id IS NOT NULL),
    is_queued       = (open = 1 AND served_by_id IS NULL),
    is_on_hold      = (on_hold = 1),
    is_closed       = (chat_duration IS NOT NULL AND chat_duration <> 0),
    needs_reimport  = (served_by_id = '' OR department_id IS NULL);

DROP INDEX ix_rooms_livechat_ts;
-- Covers the partial hours a report reads from rooms and the plain scan, restricted callers included.
CREATE INDEX ix_rooms_livechat_ts ON rooms (ts, is_open, is_queued, is_on_hold, is_closed, department_kind, department_id) WHERE t = 'l';
CREATE INDEX ix_rooms_needs_reimport ON rooms (id) WHERE needs_reimport = 1;

-- The counts tables gain department_kind in their key (a restricted caller sees rooms without a departmentId field,
-- not those whose departmentId is null), so they are made again from the rooms.
DROP TABLE room_counts;
CREATE TABLE room_counts (
    day                  INTEGER NOT NULL, -- floor(ts / 86400000): days since 1970-01-01, UTC
    department_kind      INTEGER NOT NULL, -- how the rooms hold departmentId: 0 absent, 1 null, 2 a value
    department_id        TEXT    NOT NULL, -- '' unless department_kind is 2
    department_ancestors TEXT    NOT NULL, -- the rooms' JSON array; '' when none
    total                INTEGER NOT NULL,
    open                 INTEGER NOT NULL,
    queued               INTEGER NOT NULL,
    on_hold              INTEGER NOT NULL,
    closed               INTEGER NOT NULL,
    PRIMARY KEY (day, department_kind, department_id, department_ancestors)
) WITHOUT ROWID;
INSERT INTO room_counts (day, department_kind, department_id, department_ancestors, total, open, queued, on_hold, closed)
SELECT (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000, department_kind, COALESCE(department_id, ''), COALESCE(department_ancestors, ''),
       COUNT(*), SUM(is_open), SUM(is_queued), SUM(is_on_hold), SUM(is_closed)
FROM rooms WHERE t = 'l'
GROUP BY 1, 2, 3, 4;

DROP TABLE room_counts_hourly;
CREATE TABLE room_counts_hourly (
    hour                 INTEGER NOT NULL, -- floor(ts / 3600000): hours since 1970-01-01T00:00Z
    department_kind      INTEGER NOT NULL,
    department_id        TEXT    NOT NULL,
    department_ancestors TEXT    NOT NULL,
    total                INTEGER NOT NULL,
    open                 INTEGER NOT NULL,
    queued               INTEGER NOT NULL,
    on_hold              INTEGER NOT NULL,
    closed               INTEGER NOT NULL,
    PRIMARY KEY (hour, department_kind, department_id, department_ancestors)
) WITHOUT ROWID;
INSERT INTO room_counts_hourly (hour, department_kind, department_id, department_ancestors, total, open, queued, on_hold, closed)
SELECT (ts - ((ts % 3600000) + 3600000) % 3600000) / 3600000, department_kind, COALESCE(department_id, ''), COALESCE(department_ancestors, ''),
       COUNT(*), SUM(is_open), SUM(is_queued), SUM(is_on_hold), SUM(is_closed)
FROM rooms WHERE t = 'l'
GROUP BY 1, 2, 3, 4;

-- rocketchat_livechat_department_agents: the departments an agent belongs to, which restrict what it sees.
CREATE TABLE department_agents (
    id                 TEXT    NOT NULL PRIMARY KEY,
    agent_id           TEXT    NOT NULL,
    department_id      TEXT    NOT NULL,
    username           TEXT    NULL,
    department_enabled INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_department_agents_agent ON department_agents (agent_id, department_id);
CREATE INDEX ix_department_ancestors_ancestor ON department_ancestors (ancestor_id, department_id);
