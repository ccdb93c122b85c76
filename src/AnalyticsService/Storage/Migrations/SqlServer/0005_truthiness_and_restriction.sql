-- MongoDB's truthiness and the unit restriction of Rocket.Chat's 8.x line: see the SQLite twin of this migration for
-- what each column means and why rooms are marked for a re-import.
ALTER TABLE dbo.rooms ADD
    served_by_kind  tinyint NOT NULL CONSTRAINT df_rooms_served_by_kind DEFAULT 0,  -- 0 absent, 1 null, 2 a value
    department_kind tinyint NOT NULL CONSTRAINT df_rooms_department_kind DEFAULT 0,
    is_open         bit     NOT NULL CONSTRAINT df_rooms_is_open DEFAULT 0,
    is_queued       bit     NOT NULL CONSTRAINT df_rooms_is_queued DEFAULT 0,
    is_on_hold      bit     NOT NULL CONSTRAINT df_rooms_is_on_hold DEFAULT 0,
    is_closed       bit     NOT NULL CONSTRAINT df_rooms_is_closed DEFAULT 0,
    needs_reimport  bit     NOT NULL CONSTRAINT df_rooms_needs_reimport DEFAULT 0;
GO
-- SET reads the row as it was before this statement.
UPDATE dbo.rooms SET
    served_by_kind  = CASE WHEN served_by_id IS NULL THEN 0 ELSE 2 END,
    served_by_id    = NULLIF(served_by_id, ''),
    department_kind = CASE WHEN department_id IS NULL THEN 0 ELSE 2 END,
    is_open         = CASE WHEN [open] = 1 AND on_hold = 0 AND served_by_id IS NOT NULL THEN 1 ELSE 0 END,
    is_queued       = CASE WHEN [open] = 1 AND served_by_id IS NULL THEN 1 ELSE 0 END,
    is_on_hold      = CASE WHEN on_hold = 1 THEN 1 ELSE 0 END,
    is_closed       = CASE WHEN chat_duration IS NOT NULL AND chat_duration <> 0 THEN 1 ELSE 0 END,
    needs_reimport  = CASE WHEN served_by_id = '' OR department_id IS NULL THEN 1 ELSE 0 END;
GO
DROP INDEX ix_rooms_livechat_ts ON dbo.rooms;
CREATE INDEX ix_rooms_livechat_ts ON dbo.rooms (ts)
    INCLUDE (is_open, is_queued, is_on_hold, is_closed, department_kind, department_id, department_ancestors)
    WHERE t = 'l';
CREATE INDEX ix_rooms_needs_reimport ON dbo.rooms (id) WHERE needs_reimport = 1;

DROP TABLE dbo.room_counts;
CREATE TABLE dbo.room_counts (
    day                  int            NOT NULL,
    department_kind      tinyint        NOT NULL, -- how the rooms hold departmentId: 0 absent, 1 null, 2 a value
    department_id        varchar(64)    NOT NULL, -- '' unless department_kind is 2
    department_ancestors varchar(1000)  NOT NULL,
    total                bigint         NOT NULL,
    [open]               bigint         NOT NULL,
    queued               bigint         NOT NULL,
    on_hold              bigint         NOT NULL,
    closed               bigint         NOT NULL,
    CONSTRAINT pk_room_counts PRIMARY KEY (day, department_kind, department_id, department_ancestors)
);

DROP TABLE dbo.room_counts_hourly;
CREATE TABLE dbo.room_counts_hourly (
    hour                 int            NOT NULL,
    department_kind      tinyint        NOT NULL,
    department_id        varchar(64)    NOT NULL,
    department_ancestors varchar(1000)  NOT NULL,
    total                bigint         NOT NULL,
    [open]               bigint         NOT NULL,
    queued               bigint         NOT NULL,
    on_hold              bigint         NOT NULL,
    closed               bigint         NOT NULL,
    CONSTRAINT pk_room_counts_hourly PRIMARY KEY (hour, department_kind, department_id, department_ancestors)
);
GO
INSERT INTO dbo.room_counts (day, department_kind, department_id, department_ancestors, total, [open], queued, on_hold, closed)
SELECT DATEDIFF(day, '19700101', r.ts), r.department_kind, COALESCE(r.department_id, ''), COALESCE(r.department_ancestors, ''), COUNT_BIG(*),
       SUM(CAST(r.is_open AS bigint)), SUM(CAST(r.is_queued AS bigint)), SUM(CAST(r.is_on_hold AS bigint)), SUM(CAST(r.is_closed AS bigint))
FROM dbo.rooms r WHERE r.t = 'l'
GROUP BY DATEDIFF(day, '19700101', r.ts), r.department_kind, COALESCE(r.department_id, ''), COALESCE(r.department_ancestors, '');

INSERT INTO dbo.room_counts_hourly (hour, department_kind, department_id, department_ancestors, total, [open], queued, on_hold, closed)
SELECT DATEDIFF(hour, '19700101', r.ts), r.department_kind, COALESCE(r.department_id, ''), COALESCE(r.department_ancestors, ''), COUNT_BIG(*),
       SUM(CAST(r.is_open AS bigint)), SUM(CAST(r.is_queued AS bigint)), SUM(CAST(r.is_on_hold AS bigint)), SUM(CAST(r.is_closed AS bigint))
FROM dbo.rooms r WHERE r.t = 'l'
GROUP BY DATEDIFF(hour, '19700101', r.ts), r.department_kind, COALESCE(r.department_id, ''), COALESCE(r.department_ancestors, '');

CREATE TABLE dbo.department_agents (
    id                 varchar(64)   NOT NULL CONSTRAINT pk_department_agents PRIMARY KEY,
    agent_id           varchar(64)   NOT NULL,
    department_id      varchar(64)   NOT NULL,
    username           nvarchar(255) NULL,
    department_enabled bit           NOT NULL CONSTRAINT df_department_agents_enabled DEFAULT 1
);
CREATE INDEX ix_department_agents_agent ON dbo.department_agents (agent_id) INCLUDE (department_id);
CREATE INDEX ix_department_ancestors_ancestor ON dbo.department_ancestors (ancestor_id) INCLUDE (department_id);
