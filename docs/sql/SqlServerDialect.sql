-- Every statement SqlServerDialect sends, as the code builds it. Written by StatementSnapshotTests: do not edit.

-- AddToAllHourlyRoomCounts (@Batch: JSON rows of PeriodCountDeltaRow)
DECLARE @cells TABLE (
    period int NOT NULL PRIMARY KEY,
    total bigint NOT NULL, [open] bigint NOT NULL, queued bigint NOT NULL, on_hold bigint NOT NULL, closed bigint NOT NULL);
INSERT INTO @cells (period, total, [open], queued, on_hold, closed)
SELECT j.period, j.total, j.[open], j.queued, j.on_hold, j.closed
FROM OPENJSON(@Batch) WITH (
    period int '$.period', total bigint '$.total', [open] bigint '$.open', queued bigint '$.queued', on_hold bigint '$.onHold',
    closed bigint '$.closed') AS j;
UPDATE c SET total = c.total + d.total, [open] = c.[open] + d.[open], queued = c.queued + d.queued,
             on_hold = c.on_hold + d.on_hold, closed = c.closed + d.closed
FROM dbo.room_counts_all_hourly c WITH (UPDLOCK, HOLDLOCK)
JOIN @cells d ON d.period = c.hour;
INSERT INTO dbo.room_counts_all_hourly (hour, total, [open], queued, on_hold, closed)
SELECT d.period, d.total, d.[open], d.queued, d.on_hold, d.closed
FROM @cells d
WHERE NOT EXISTS (SELECT 1 FROM dbo.room_counts_all_hourly c WITH (UPDLOCK, HOLDLOCK) WHERE c.hour = d.period);

-- AddToAllRoomCounts (@Batch: JSON rows of PeriodCountDeltaRow)
DECLARE @cells TABLE (
    period int NOT NULL PRIMARY KEY,
    total bigint NOT NULL, [open] bigint NOT NULL, queued bigint NOT NULL, on_hold bigint NOT NULL, closed bigint NOT NULL);
INSERT INTO @cells (period, total, [open], queued, on_hold, closed)
SELECT j.period, j.total, j.[open], j.queued, j.on_hold, j.closed
FROM OPENJSON(@Batch) WITH (
    period int '$.period', total bigint '$.total', [open] bigint '$.open', queued bigint '$.queued', on_hold bigint '$.onHold',
    closed bigint '$.closed') AS j;
UPDATE c SET total = c.total + d.total, [open] = c.[open] + d.[open], queued = c.queued + d.queued,
             on_hold = c.on_hold + d.on_hold, closed = c.closed + d.closed
FROM dbo.room_counts_all c WITH (UPDLOCK, HOLDLOCK)
JOIN @cells d ON d.period = c.day;
INSERT INTO dbo.room_counts_all (day, total, [open], queued, on_hold, closed)
SELECT d.period, d.total, d.[open], d.queued, d.on_hold, d.closed
FROM @cells d
WHERE NOT EXISTS (SELECT 1 FROM dbo.room_counts_all c WITH (UPDLOCK, HOLDLOCK) WHERE c.day = d.period);

-- AddToHourlyReportCounts (@Batch: JSON rows of ReportCountDeltaRow)
DECLARE @cells TABLE (
    report tinyint NOT NULL, period int NOT NULL, key_hash binary(32) NOT NULL,
    k1_kind tinyint NOT NULL, k1 nvarchar(4000) NOT NULL, k2_kind tinyint NOT NULL, k2 nvarchar(4000) NOT NULL, total bigint NOT NULL,
    PRIMARY KEY (report, period, key_hash));
INSERT INTO @cells (report, period, key_hash, k1_kind, k1, k2_kind, k2, total)
SELECT j.report, j.period,
       HASHBYTES('SHA2_256', CONCAT(CAST(j.k1_kind AS nvarchar(max)), N'|', j.k2_kind, N'|', DATALENGTH(j.k1) / 2, N'|', j.k1, j.k2)),
       j.k1_kind, j.k1, j.k2_kind, j.k2, j.total
FROM OPENJSON(@Batch) WITH (
    report tinyint '$.report', period int '$.period', k1_kind tinyint '$.k1Kind',
    k1 nvarchar(4000) '$.k1', k2_kind tinyint '$.k2Kind', k2 nvarchar(4000) '$.k2', total bigint '$.total') AS j;
UPDATE c SET total = c.total + d.total
FROM dbo.report_counts_hourly c WITH (UPDLOCK, HOLDLOCK)
JOIN @cells d ON d.report = c.report AND d.period = c.hour AND d.key_hash = c.key_hash;
INSERT INTO dbo.report_counts_hourly (report, hour, key_hash, k1_kind, k1, k2_kind, k2, total)
SELECT d.report, d.period, d.key_hash, d.k1_kind, d.k1, d.k2_kind, d.k2, d.total
FROM @cells d
WHERE NOT EXISTS (SELECT 1 FROM dbo.report_counts_hourly c WITH (UPDLOCK, HOLDLOCK)
                  WHERE c.report = d.report AND c.hour = d.period AND c.key_hash = d.key_hash);

-- AddToHourlyRoomCounts (@Batch: JSON rows of CountDeltaRow)
DECLARE @cells TABLE (
    period int NOT NULL, department_kind tinyint NOT NULL, department_id varchar(64) NOT NULL, department_ancestors varchar(1000) NOT NULL,
    total bigint NOT NULL, [open] bigint NOT NULL, queued bigint NOT NULL, on_hold bigint NOT NULL, closed bigint NOT NULL,
    PRIMARY KEY (period, department_kind, department_id, department_ancestors));
INSERT INTO @cells (period, department_kind, department_id, department_ancestors, total, [open], queued, on_hold, closed)
SELECT j.period, j.department_kind, j.department_id, j.department_ancestors, j.total, j.[open], j.queued, j.on_hold, j.closed
FROM OPENJSON(@Batch) WITH (
    period int '$.period', department_kind tinyint '$.departmentKind', department_id varchar(64) '$.departmentId',
    department_ancestors varchar(1000) '$.departmentAncestors',
    total bigint '$.total', [open] bigint '$.open', queued bigint '$.queued', on_hold bigint '$.onHold', closed bigint '$.closed') AS j;
UPDATE c SET total = c.total + d.total, [open] = c.[open] + d.[open], queued = c.queued + d.queued,
             on_hold = c.on_hold + d.on_hold, closed = c.closed + d.closed
FROM dbo.room_counts_hourly c WITH (UPDLOCK, HOLDLOCK)
JOIN @cells d ON d.period = c.hour AND d.department_kind = c.department_kind AND d.department_id = c.department_id
             AND d.department_ancestors = c.department_ancestors;
INSERT INTO dbo.room_counts_hourly (hour, department_kind, department_id, department_ancestors, total, [open], queued, on_hold, closed)
SELECT d.period, d.department_kind, d.department_id, d.department_ancestors, d.total, d.[open], d.queued, d.on_hold, d.closed
FROM @cells d
WHERE NOT EXISTS (SELECT 1 FROM dbo.room_counts_hourly c WITH (UPDLOCK, HOLDLOCK)
                  WHERE c.hour = d.period AND c.department_kind = d.department_kind AND c.department_id = d.department_id
                    AND c.department_ancestors = d.department_ancestors);

-- AddToReportCounts (@Batch: JSON rows of ReportCountDeltaRow)
DECLARE @cells TABLE (
    report tinyint NOT NULL, period int NOT NULL, key_hash binary(32) NOT NULL,
    k1_kind tinyint NOT NULL, k1 nvarchar(4000) NOT NULL, k2_kind tinyint NOT NULL, k2 nvarchar(4000) NOT NULL, total bigint NOT NULL,
    PRIMARY KEY (report, period, key_hash));
INSERT INTO @cells (report, period, key_hash, k1_kind, k1, k2_kind, k2, total)
SELECT j.report, j.period,
       HASHBYTES('SHA2_256', CONCAT(CAST(j.k1_kind AS nvarchar(max)), N'|', j.k2_kind, N'|', DATALENGTH(j.k1) / 2, N'|', j.k1, j.k2)),
       j.k1_kind, j.k1, j.k2_kind, j.k2, j.total
FROM OPENJSON(@Batch) WITH (
    report tinyint '$.report', period int '$.period', k1_kind tinyint '$.k1Kind',
    k1 nvarchar(4000) '$.k1', k2_kind tinyint '$.k2Kind', k2 nvarchar(4000) '$.k2', total bigint '$.total') AS j;
UPDATE c SET total = c.total + d.total
FROM dbo.report_counts c WITH (UPDLOCK, HOLDLOCK)
JOIN @cells d ON d.report = c.report AND d.period = c.day AND d.key_hash = c.key_hash;
INSERT INTO dbo.report_counts (report, day, key_hash, k1_kind, k1, k2_kind, k2, total)
SELECT d.report, d.period, d.key_hash, d.k1_kind, d.k1, d.k2_kind, d.k2, d.total
FROM @cells d
WHERE NOT EXISTS (SELECT 1 FROM dbo.report_counts c WITH (UPDLOCK, HOLDLOCK)
                  WHERE c.report = d.report AND c.day = d.period AND c.key_hash = d.key_hash);

-- AddToRoomCounts (@Batch: JSON rows of CountDeltaRow)
DECLARE @cells TABLE (
    period int NOT NULL, department_kind tinyint NOT NULL, department_id varchar(64) NOT NULL, department_ancestors varchar(1000) NOT NULL,
    total bigint NOT NULL, [open] bigint NOT NULL, queued bigint NOT NULL, on_hold bigint NOT NULL, closed bigint NOT NULL,
    PRIMARY KEY (period, department_kind, department_id, department_ancestors));
INSERT INTO @cells (period, department_kind, department_id, department_ancestors, total, [open], queued, on_hold, closed)
SELECT j.period, j.department_kind, j.department_id, j.department_ancestors, j.total, j.[open], j.queued, j.on_hold, j.closed
FROM OPENJSON(@Batch) WITH (
    period int '$.period', department_kind tinyint '$.departmentKind', department_id varchar(64) '$.departmentId',
    department_ancestors varchar(1000) '$.departmentAncestors',
    total bigint '$.total', [open] bigint '$.open', queued bigint '$.queued', on_hold bigint '$.onHold', closed bigint '$.closed') AS j;
UPDATE c SET total = c.total + d.total, [open] = c.[open] + d.[open], queued = c.queued + d.queued,
             on_hold = c.on_hold + d.on_hold, closed = c.closed + d.closed
FROM dbo.room_counts c WITH (UPDLOCK, HOLDLOCK)
JOIN @cells d ON d.period = c.day AND d.department_kind = c.department_kind AND d.department_id = c.department_id
             AND d.department_ancestors = c.department_ancestors;
INSERT INTO dbo.room_counts (day, department_kind, department_id, department_ancestors, total, [open], queued, on_hold, closed)
SELECT d.period, d.department_kind, d.department_id, d.department_ancestors, d.total, d.[open], d.queued, d.on_hold, d.closed
FROM @cells d
WHERE NOT EXISTS (SELECT 1 FROM dbo.room_counts c WITH (UPDLOCK, HOLDLOCK)
                  WHERE c.day = d.period AND c.department_kind = d.department_kind AND c.department_id = d.department_id
                    AND c.department_ancestors = d.department_ancestors);

-- AddToSourceCounts (@Batch: JSON rows of SourceCountDeltaRow)
DECLARE @cells TABLE (
    day int NOT NULL, department_kind tinyint NOT NULL, department_id varchar(64) NOT NULL, department_ancestors varchar(1000) NOT NULL,
    key_hash binary(32) NOT NULL, k1_kind tinyint NOT NULL, k1 nvarchar(4000) NOT NULL, k2_kind tinyint NOT NULL, k2 nvarchar(4000) NOT NULL,
    total bigint NOT NULL,
    PRIMARY KEY (day, department_kind, department_id, department_ancestors, key_hash));
INSERT INTO @cells (day, department_kind, department_id, department_ancestors, key_hash, k1_kind, k1, k2_kind, k2, total)
SELECT j.period, j.department_kind, j.department_id, j.department_ancestors,
       HASHBYTES('SHA2_256', CONCAT(CAST(j.k1_kind AS nvarchar(max)), N'|', j.k2_kind, N'|', DATALENGTH(j.k1) / 2, N'|', j.k1, j.k2)),
       j.k1_kind, j.k1, j.k2_kind, j.k2, j.total
FROM OPENJSON(@Batch) WITH (
    period int '$.period', department_kind tinyint '$.departmentKind', department_id varchar(64) '$.departmentId',
    department_ancestors varchar(1000) '$.departmentAncestors', k1_kind tinyint '$.k1Kind', k1 nvarchar(4000) '$.k1',
    k2_kind tinyint '$.k2Kind', k2 nvarchar(4000) '$.k2', total bigint '$.total') AS j;
UPDATE c SET total = c.total + d.total
FROM dbo.source_counts c WITH (UPDLOCK, HOLDLOCK)
JOIN @cells d ON d.day = c.day AND d.department_kind = c.department_kind AND d.department_id = c.department_id
             AND d.department_ancestors = c.department_ancestors AND d.key_hash = c.key_hash;
INSERT INTO dbo.source_counts (day, department_kind, department_id, department_ancestors, key_hash, k1_kind, k1, k2_kind, k2, total)
SELECT d.day, d.department_kind, d.department_id, d.department_ancestors, d.key_hash, d.k1_kind, d.k1, d.k2_kind, d.k2, d.total
FROM @cells d
WHERE NOT EXISTS (SELECT 1 FROM dbo.source_counts c WITH (UPDLOCK, HOLDLOCK)
                  WHERE c.day = d.day AND c.department_kind = d.department_kind AND c.department_id = d.department_id
                    AND c.department_ancestors = d.department_ancestors AND c.key_hash = d.key_hash);

-- AnyRoleHolds (@Permission, @Roles)
SELECT COUNT(*) FROM dbo.permission_roles
WHERE permission_id = @Permission AND role_id IN (SELECT role_id FROM OPENJSON(@Roles) WITH (role_id varchar(64) '$'))

-- AnyRoom (no parameters)
SELECT CASE WHEN EXISTS (SELECT 1 FROM rooms) THEN 1 ELSE 0 END

-- BumpStoreVersion (no parameters)
UPDATE store_version SET version = version + 1 WHERE id = 1

-- ChangedDaysSince (@Version)
SELECT DISTINCT day FROM count_change_days WHERE version > @Version

-- ChangesFrom (no parameters)
SELECT changes_from FROM store_version WHERE id = 1

-- CountByAgent (@Start, @End)
SELECT 0 AS Unspecified, MIN(r.served_by_id) AS AgentId, MIN(u.name) AS Name, COUNT_BIG(*) AS Total
FROM dbo.rooms r LEFT JOIN dbo.users u ON u.id = r.served_by_id
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.served_by_kind <> 0
GROUP BY CONVERT(varbinary(8000), r.served_by_id)
UNION ALL
SELECT 1, NULL, NULL, COUNT_BIG(*) FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.served_by_kind = 0

-- CountByAgentRestricted (@Start, @End, @Units, @Departments)
SELECT 0 AS Unspecified, MIN(r.served_by_id) AS AgentId, MIN(u.name) AS Name, COUNT_BIG(*) AS Total
FROM dbo.rooms r LEFT JOIN dbo.users u ON u.id = r.served_by_id
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$')))) AND r.served_by_kind <> 0
GROUP BY CONVERT(varbinary(8000), r.served_by_id)
UNION ALL
SELECT 1, NULL, NULL, COUNT_BIG(*) FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$')))) AND r.served_by_kind = 0

-- CountByDepartment (@Start, @End)
SELECT 0 AS Unspecified, MIN(d.name) AS Label, COUNT_BIG(*) AS Total
FROM dbo.rooms r JOIN dbo.departments d ON d.id = r.department_id
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.department_kind = 2
GROUP BY CONVERT(varbinary(8000), d.name)
UNION ALL
SELECT 1, NULL, COUNT_BIG(*) FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.department_kind = 0

-- CountBySource (@Start, @End)
SELECT r.source_type_kind AS TypeKind, MIN(r.source_type) AS Type, r.source_alias_kind AS AliasKind, MIN(r.source_alias) AS Alias,
       COUNT_BIG(*) AS Total
FROM dbo.rooms r
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.source_kind <> 0
GROUP BY r.source_type_kind, CONVERT(varbinary(8000), r.source_type), r.source_alias_kind, CONVERT(varbinary(8000), r.source_alias)

-- CountByStatus (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT COALESCE(SUM(s.total), 0) AS Total, COALESCE(SUM(s.is_open), 0) AS [Open], COALESCE(SUM(s.is_queued), 0) AS Queued,
       COALESCE(SUM(s.is_on_hold), 0) AS OnHold, COALESCE(SUM(s.is_closed), 0) AS Closed
FROM (
    SELECT dc.total AS total, dc.[open] AS is_open, dc.queued AS is_queued, dc.on_hold AS is_on_hold, dc.closed AS is_closed
    FROM dbo.room_counts_all dc
    WHERE dc.day >= @FirstDay AND dc.day < @EndDay
        UNION ALL
        SELECT hc.total AS total, hc.[open] AS is_open, hc.queued AS is_queued, hc.on_hold AS is_on_hold, hc.closed AS is_closed
    FROM dbo.room_counts_all_hourly hc
    WHERE hc.hour >= @FirstHour AND hc.hour < @HeadHourEnd
        UNION ALL
        SELECT hc.total AS total, hc.[open] AS is_open, hc.queued AS is_queued, hc.on_hold AS is_on_hold, hc.closed AS is_closed
    FROM dbo.room_counts_all_hourly hc
    WHERE hc.hour >= @TailHourStart AND hc.hour < @EndHour
        UNION ALL
        SELECT CAST(1 AS bigint), CAST(r.is_open AS bigint), CAST(r.is_queued AS bigint), CAST(r.is_on_hold AS bigint), CAST(r.is_closed AS bigint)
    FROM dbo.rooms r
    WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd
        UNION ALL
        SELECT CAST(1 AS bigint), CAST(r.is_open AS bigint), CAST(r.is_queued AS bigint), CAST(r.is_on_hold AS bigint), CAST(r.is_closed AS bigint)
    FROM dbo.rooms r
    WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End
) AS s

-- CountByStatusRestricted (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay, @Units, @Departments)
SELECT COALESCE(SUM(s.total), 0) AS Total, COALESCE(SUM(s.is_open), 0) AS [Open], COALESCE(SUM(s.is_queued), 0) AS Queued,
       COALESCE(SUM(s.is_on_hold), 0) AS OnHold, COALESCE(SUM(s.is_closed), 0) AS Closed
FROM (
    SELECT dc.total AS total, dc.[open] AS is_open, dc.queued AS is_queued, dc.on_hold AS is_on_hold, dc.closed AS is_closed
    FROM dbo.room_counts dc
    WHERE dc.day >= @FirstDay AND dc.day < @EndDay AND (dc.department_kind = 0
         OR (dc.department_kind = 2 AND dc.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(NULLIF(dc.department_ancestors, '')) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
        UNION ALL
        SELECT hc.total AS total, hc.[open] AS is_open, hc.queued AS is_queued, hc.on_hold AS is_on_hold, hc.closed AS is_closed
    FROM dbo.room_counts_hourly hc
    WHERE hc.hour >= @FirstHour AND hc.hour < @HeadHourEnd AND (hc.department_kind = 0
         OR (hc.department_kind = 2 AND hc.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(NULLIF(hc.department_ancestors, '')) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
        UNION ALL
        SELECT hc.total AS total, hc.[open] AS is_open, hc.queued AS is_queued, hc.on_hold AS is_on_hold, hc.closed AS is_closed
    FROM dbo.room_counts_hourly hc
    WHERE hc.hour >= @TailHourStart AND hc.hour < @EndHour AND (hc.department_kind = 0
         OR (hc.department_kind = 2 AND hc.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(NULLIF(hc.department_ancestors, '')) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
        UNION ALL
        SELECT CAST(1 AS bigint), CAST(r.is_open AS bigint), CAST(r.is_queued AS bigint), CAST(r.is_on_hold AS bigint), CAST(r.is_closed AS bigint)
    FROM dbo.rooms r
    WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
        UNION ALL
        SELECT CAST(1 AS bigint), CAST(r.is_open AS bigint), CAST(r.is_queued AS bigint), CAST(r.is_on_hold AS bigint), CAST(r.is_closed AS bigint)
    FROM dbo.rooms r
    WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
) AS s

-- CountByTags (@Start, @End)
SELECT 0 AS Unspecified, MIN(j.tag) AS Label, COUNT_BIG(*) AS Total
FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.tags_kind = 2
GROUP BY CONVERT(varbinary(8000), j.tag)
UNION ALL
SELECT 1, NULL, COUNT_BIG(*) FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))

-- CountByTagsRestricted (@Start, @End, @Units, @Departments)
SELECT 0 AS Unspecified, MIN(j.tag) AS Label, COUNT_BIG(*) AS Total
FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$')))) AND r.tags_kind = 2
GROUP BY CONVERT(varbinary(8000), j.tag)
UNION ALL
SELECT 1, NULL, COUNT_BIG(*) FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$')))) AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))

-- CountRoomsAndUsers (no parameters)
SELECT (SELECT COUNT(*) FROM rooms) + (SELECT COUNT(*) FROM users)

-- CountRoomsNeedingReimport (no parameters)
SELECT COUNT(*) FROM rooms WHERE needs_reimport = 1

-- CountUnits (no parameters)
SELECT COUNT(*) FROM departments WHERE type = 'u'

-- CreateMigrationsTable (no parameters)
IF OBJECT_ID(N'dbo.schema_migrations', N'U') IS NULL
    CREATE TABLE dbo.schema_migrations (
        version    int           NOT NULL CONSTRAINT pk_schema_migrations PRIMARY KEY,
        name       varchar(200)  NOT NULL,
        applied_at datetime2(3)  NOT NULL
    )

-- DeleteChildren(DepartmentAncestors) (@Ids)
DELETE FROM dbo.department_ancestors WHERE department_id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(128) '$'))

-- DeleteChildren(LoginTokens) (@Ids)
DELETE FROM dbo.login_tokens WHERE user_id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(128) '$'))

-- DeleteChildren(PermissionRoles) (@Ids)
DELETE FROM dbo.permission_roles WHERE permission_id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(128) '$'))

-- DeleteChildren(UserRoles) (@Ids)
DELETE FROM dbo.user_roles WHERE user_id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(128) '$'))

-- DeleteIds(DepartmentAgents) (@Ids)
DELETE FROM dbo.department_agents WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- DeleteIds(Departments) (@Ids)
DELETE FROM dbo.departments WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- DeleteIds(Roles) (@Ids)
DELETE FROM dbo.roles WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- DeleteIds(Rooms) (@Ids)
DELETE FROM dbo.rooms WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- DeleteIds(UnitMonitors) (@Ids)
DELETE FROM dbo.unit_monitors WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- DeleteIds(Users) (@Ids)
DELETE FROM dbo.users WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- DepartmentCellsRestricted (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay, @Units, @Departments)
SELECT s.department_kind AS K1Kind, MIN(s.department_id) AS K1, CAST(0 AS bigint) AS K2Kind, '' AS K2, SUM(s.total) AS Total
FROM (
    SELECT CAST(dc.department_kind AS bigint) AS department_kind, dc.department_id AS department_id, CAST(dc.total AS bigint) AS total
    FROM dbo.room_counts dc
    WHERE dc.day >= @FirstDay AND dc.day < @EndDay AND (dc.department_kind = 0
         OR (dc.department_kind = 2 AND dc.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(NULLIF(dc.department_ancestors, '')) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
        UNION ALL
        SELECT CAST(hc.department_kind AS bigint) AS department_kind, hc.department_id AS department_id, CAST(hc.total AS bigint) AS total
    FROM dbo.room_counts_hourly hc
    WHERE hc.hour >= @FirstHour AND hc.hour < @HeadHourEnd AND (hc.department_kind = 0
         OR (hc.department_kind = 2 AND hc.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(NULLIF(hc.department_ancestors, '')) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
        UNION ALL
        SELECT CAST(hc.department_kind AS bigint) AS department_kind, hc.department_id AS department_id, CAST(hc.total AS bigint) AS total
    FROM dbo.room_counts_hourly hc
    WHERE hc.hour >= @TailHourStart AND hc.hour < @EndHour AND (hc.department_kind = 0
         OR (hc.department_kind = 2 AND hc.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(NULLIF(hc.department_ancestors, '')) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
        UNION ALL
        SELECT CAST(r.department_kind AS bigint), COALESCE(r.department_id, ''), CAST(1 AS bigint)
    FROM dbo.rooms r
    WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
        UNION ALL
        SELECT CAST(r.department_kind AS bigint), COALESCE(r.department_id, ''), CAST(1 AS bigint)
    FROM dbo.rooms r
    WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
) AS s
WHERE s.department_kind <> 1
GROUP BY s.department_kind, CONVERT(varbinary(8000), s.department_id)

-- DepartmentNames (no parameters)
SELECT id AS Id, name AS Name FROM departments

-- DepartmentsReachedBy (@Units)
SELECT d.id FROM dbo.departments d WHERE d.id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))
UNION
SELECT a.department_id FROM dbo.department_ancestors a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))

-- ExistingIds(DepartmentAgents) (@Ids)
SELECT id FROM dbo.department_agents WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- ExistingIds(Departments) (@Ids)
SELECT id FROM dbo.departments WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- ExistingIds(Roles) (@Ids)
SELECT id FROM dbo.roles WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- ExistingIds(Rooms) (@Ids)
SELECT id FROM dbo.rooms WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- ExistingIds(UnitMonitors) (@Ids)
SELECT id FROM dbo.unit_monitors WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- ExistingIds(Users) (@Ids)
SELECT id FROM dbo.users WHERE id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- ExistingPermissions (@Ids)
SELECT DISTINCT permission_id FROM dbo.permission_roles
WHERE permission_id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(128) '$'))

-- FindCaller (@UserId, @HashedToken)
SELECT u.username AS Username, ur.role_id AS RoleId
FROM users u
JOIN login_tokens t ON t.user_id = u.id AND t.hashed_token = @HashedToken
LEFT JOIN user_roles ur ON ur.user_id = u.id
WHERE u.id = @UserId

-- InsertChildren(DepartmentAncestors) (@Batch: JSON rows of ChildRow)
INSERT INTO dbo.department_ancestors (department_id, ancestor_id)
SELECT DISTINCT j.parent, j.child FROM OPENJSON(@Batch) WITH (parent varchar(128) '$.parent', child varchar(128) '$.child') AS j
WHERE NOT EXISTS (SELECT 1 FROM dbo.department_ancestors x WHERE x.department_id = j.parent AND x.ancestor_id = j.child);

-- InsertChildren(LoginTokens) (@Batch: JSON rows of ChildRow)
INSERT INTO dbo.login_tokens (user_id, hashed_token)
SELECT DISTINCT j.parent, j.child FROM OPENJSON(@Batch) WITH (parent varchar(128) '$.parent', child varchar(128) '$.child') AS j
WHERE NOT EXISTS (SELECT 1 FROM dbo.login_tokens x WHERE x.user_id = j.parent AND x.hashed_token = j.child);

-- InsertChildren(PermissionRoles) (@Batch: JSON rows of ChildRow)
INSERT INTO dbo.permission_roles (permission_id, role_id)
SELECT DISTINCT j.parent, j.child FROM OPENJSON(@Batch) WITH (parent varchar(128) '$.parent', child varchar(128) '$.child') AS j
WHERE NOT EXISTS (SELECT 1 FROM dbo.permission_roles x WHERE x.permission_id = j.parent AND x.role_id = j.child);

-- InsertChildren(UserRoles) (@Batch: JSON rows of ChildRow)
INSERT INTO dbo.user_roles (user_id, role_id)
SELECT DISTINCT j.parent, j.child FROM OPENJSON(@Batch) WITH (parent varchar(128) '$.parent', child varchar(128) '$.child') AS j
WHERE NOT EXISTS (SELECT 1 FROM dbo.user_roles x WHERE x.user_id = j.parent AND x.role_id = j.child);

-- InsertLoginTokens (@Batch: JSON rows of LoginTokenRow)
INSERT INTO dbo.login_tokens (user_id, hashed_token, created_at)
SELECT DISTINCT j.user_id, j.hashed_token, DATEADD(millisecond, j.created_at % 86400000, DATEADD(day, j.created_at / 86400000, CAST('19700101' AS datetime2(3))))
FROM OPENJSON(@Batch) WITH (user_id varchar(64) '$.userId', hashed_token varchar(64) '$.hashedToken', created_at bigint '$.createdAt') AS j
WHERE NOT EXISTS (SELECT 1 FROM dbo.login_tokens t WHERE t.user_id = j.user_id AND t.hashed_token = j.hashed_token);

-- MigrationApplied (@Version)
SELECT COUNT(*) FROM schema_migrations WHERE version = @Version

-- MigrationLock (no parameters)
EXEC sp_getapplock @Resource = N'analytics-schema-migrations', @LockMode = N'Exclusive', @LockOwner = N'Transaction'

-- PruneLoginTokens (@UserId, @Keep)
DELETE FROM dbo.login_tokens WHERE user_id = @UserId AND hashed_token NOT IN (
    SELECT TOP (@Keep) t.hashed_token FROM dbo.login_tokens t WHERE t.user_id = @UserId ORDER BY t.created_at DESC)

-- ReadSyncState (@Stream)
SELECT stream AS Stream, resume_token AS ResumeToken, watermark AS Watermark, applied_at AS AppliedAt FROM sync_state WHERE stream = @Stream

-- ReadinessCheck (no parameters)
SELECT (SELECT TOP 1 1 FROM dbo.rooms), (SELECT TOP 1 1 FROM dbo.room_counts), (SELECT TOP 1 1 FROM dbo.room_counts_hourly), (SELECT TOP 1 1 FROM dbo.room_counts_all), (SELECT TOP 1 1 FROM dbo.room_counts_all_hourly), (SELECT TOP 1 1 FROM dbo.report_counts), (SELECT TOP 1 1 FROM dbo.report_counts_hourly), (SELECT TOP 1 1 FROM dbo.store_version), (SELECT TOP 1 1 FROM dbo.users), (SELECT TOP 1 1 FROM dbo.user_roles), (SELECT TOP 1 1 FROM dbo.login_tokens), (SELECT TOP 1 1 FROM dbo.permission_roles), (SELECT TOP 1 1 FROM dbo.departments), (SELECT TOP 1 1 FROM dbo.department_ancestors), (SELECT TOP 1 1 FROM dbo.unit_monitors), (SELECT TOP 1 1 FROM dbo.department_agents)

-- RecordChangedDays (@Days, @Keep)
INSERT INTO dbo.count_change_days (version, day)
SELECT v.version, d.day FROM dbo.store_version v CROSS JOIN OPENJSON(@Days) WITH (day int '$') AS d WHERE v.id = 1;
DELETE FROM dbo.count_change_days WHERE version <= (SELECT version - @Keep FROM dbo.store_version WHERE id = 1);
UPDATE dbo.store_version SET changes_from = version - @Keep WHERE id = 1 AND changes_from < version - @Keep;

-- RecordMigration (@Version, @Name, @AppliedAt)
INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)

-- ReportCells(Agent) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT d.k1_kind, d.k1, d.k2_kind, d.k2, d.total FROM dbo.report_counts d
    WHERE d.report = 4 AND d.day >= @FirstDay AND d.day < @EndDay
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 4 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 4 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind,
       CAST(COALESCE(r.served_by_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind, CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind,
       CAST(COALESCE(r.served_by_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind, CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportCells(Department) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT d.k1_kind, d.k1, d.k2_kind, d.k2, d.total FROM dbo.report_counts d
    WHERE d.report = 2 AND d.day >= @FirstDay AND d.day < @EndDay
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 2 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 2 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.department_kind AS k1_kind, CAST(COALESCE(r.department_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.department_kind <> 1) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.department_kind AS k1_kind, CAST(COALESCE(r.department_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.department_kind <> 1) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportCells(Source) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT d.k1_kind, d.k1, d.k2_kind, d.k2, d.total FROM dbo.report_counts d
    WHERE d.report = 1 AND d.day >= @FirstDay AND d.day < @EndDay
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 1 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 1 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.source_type_kind AS k1_kind, CAST(COALESCE(r.source_type, '') AS nvarchar(4000)) AS k1, r.source_alias_kind AS k2_kind,
       CAST(COALESCE(r.source_alias, N'') AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.source_kind <> 0) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.source_type_kind AS k1_kind, CAST(COALESCE(r.source_type, '') AS nvarchar(4000)) AS k1, r.source_alias_kind AS k2_kind,
       CAST(COALESCE(r.source_alias, N'') AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.source_kind <> 0) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportCells(Tags) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT d.k1_kind, d.k1, d.k2_kind, d.k2, d.total FROM dbo.report_counts d
    WHERE d.report = 3 AND d.day >= @FirstDay AND d.day < @EndDay
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 3 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 3 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN j.tag IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind, COALESCE(j.tag, N'') AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.tags_kind = 2
UNION ALL
SELECT CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000)), CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000))
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN j.tag IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind, COALESCE(j.tag, N'') AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.tags_kind = 2
UNION ALL
SELECT CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000)), CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000))
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportDayCells (@From, @To)
SELECT CAST(c.report AS bigint) AS Report, CAST(c.day AS bigint) AS Day, CAST(c.k1_kind AS bigint) AS K1Kind, c.k1 AS K1,
       CAST(c.k2_kind AS bigint) AS K2Kind, c.k2 AS K2, c.total AS Total
FROM dbo.report_counts c WHERE c.report IN (1, 2, 3, 4) AND c.day >= @From AND c.day < @To AND c.total <> 0

-- ReportEdgeCells(Agent) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 4 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 4 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind,
       CAST(COALESCE(r.served_by_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind, CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind,
       CAST(COALESCE(r.served_by_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind, CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportEdgeCells(Department) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 2 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 2 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.department_kind AS k1_kind, CAST(COALESCE(r.department_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.department_kind <> 1) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.department_kind AS k1_kind, CAST(COALESCE(r.department_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.department_kind <> 1) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportEdgeCells(Source) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 1 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 1 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.source_type_kind AS k1_kind, CAST(COALESCE(r.source_type, '') AS nvarchar(4000)) AS k1, r.source_alias_kind AS k2_kind,
       CAST(COALESCE(r.source_alias, N'') AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.source_kind <> 0) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.source_type_kind AS k1_kind, CAST(COALESCE(r.source_type, '') AS nvarchar(4000)) AS k1, r.source_alias_kind AS k2_kind,
       CAST(COALESCE(r.source_alias, N'') AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.source_kind <> 0) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportEdgeCells(Tags) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 3 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM dbo.report_counts_hourly h
    WHERE h.report = 3 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN j.tag IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind, COALESCE(j.tag, N'') AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.tags_kind = 2
UNION ALL
SELECT CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000)), CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000))
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN j.tag IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind, COALESCE(j.tag, N'') AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.tags_kind = 2
UNION ALL
SELECT CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000)), CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000))
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportHourCells (@From, @To)
SELECT CAST(h.report AS bigint) AS Report, CAST(h.hour AS bigint) AS Day, CAST(h.k1_kind AS bigint) AS K1Kind, h.k1 AS K1,
       CAST(h.k2_kind AS bigint) AS K2Kind, h.k2 AS K2, h.total AS Total
FROM dbo.report_counts_hourly h WHERE h.report IN (1, 2, 3, 4) AND h.hour >= @From AND h.hour < @To AND h.total <> 0

-- ReportPartialHourCells(Agent) (@Start, @HeadEnd, @TailStart, @End)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind,
       CAST(COALESCE(r.served_by_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind, CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind,
       CAST(COALESCE(r.served_by_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind, CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportPartialHourCells(Department) (@Start, @HeadEnd, @TailStart, @End)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.department_kind AS k1_kind, CAST(COALESCE(r.department_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.department_kind <> 1) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.department_kind AS k1_kind, CAST(COALESCE(r.department_id, '') AS nvarchar(4000)) AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.department_kind <> 1) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportPartialHourCells(Source) (@Start, @HeadEnd, @TailStart, @End)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.source_type_kind AS k1_kind, CAST(COALESCE(r.source_type, '') AS nvarchar(4000)) AS k1, r.source_alias_kind AS k2_kind,
       CAST(COALESCE(r.source_alias, N'') AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.source_kind <> 0) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.source_type_kind AS k1_kind, CAST(COALESCE(r.source_type, '') AS nvarchar(4000)) AS k1, r.source_alias_kind AS k2_kind,
       CAST(COALESCE(r.source_alias, N'') AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.source_kind <> 0) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- ReportPartialHourCells(Tags) (@Start, @HeadEnd, @TailStart, @End)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN j.tag IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind, COALESCE(j.tag, N'') AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.tags_kind = 2
UNION ALL
SELECT CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000)), CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000))
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT CAST(CASE WHEN j.tag IS NULL THEN 1 ELSE 2 END AS tinyint) AS k1_kind, COALESCE(j.tag, N'') AS k1, CAST(0 AS tinyint) AS k2_kind,
       CAST(N'' AS nvarchar(4000)) AS k2
    FROM dbo.rooms r CROSS APPLY OPENJSON(r.tags) WITH (tag nvarchar(4000) '$') j WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.tags_kind = 2
UNION ALL
SELECT CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000)), CAST(0 AS tinyint), CAST(N'' AS nvarchar(4000))
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = N'[]'))) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- RestrictingIds (@UserId)
SELECT unit_id FROM unit_monitors WHERE monitor_id = @UserId
UNION
SELECT department_id FROM department_agents WHERE agent_id = @UserId

-- RoomsInRange (@Start, @End)
SELECT r.t AS T, DATEDIFF_BIG(millisecond, '19700101', r.ts) AS TsMs, CAST(r.is_open AS bigint) AS IsOpen, CAST(r.is_queued AS bigint) AS IsQueued,
       CAST(r.is_on_hold AS bigint) AS IsOnHold, CAST(r.is_closed AS bigint) AS IsClosed, CAST(r.department_kind AS bigint) AS DepartmentKind,
       r.department_id AS DepartmentId, r.department_ancestors AS DepartmentAncestors, CAST(r.source_kind AS bigint) AS SourceKind, CAST(r.source_type_kind AS bigint) AS SourceTypeKind,
       r.source_type AS SourceType, CAST(r.source_alias_kind AS bigint) AS SourceAliasKind, r.source_alias AS SourceAlias,
       CAST(r.tags_kind AS bigint) AS TagsKind, r.tags AS Tags, CAST(r.served_by_kind AS bigint) AS ServedByKind, r.served_by_id AS ServedById
FROM dbo.rooms r
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End ORDER BY r.ts

-- RoomsInRangeRestricted (@Start, @End, @Units, @Departments)
SELECT r.t AS T, DATEDIFF_BIG(millisecond, '19700101', r.ts) AS TsMs, CAST(r.is_open AS bigint) AS IsOpen, CAST(r.is_queued AS bigint) AS IsQueued,
       CAST(r.is_on_hold AS bigint) AS IsOnHold, CAST(r.is_closed AS bigint) AS IsClosed, CAST(r.department_kind AS bigint) AS DepartmentKind,
       r.department_id AS DepartmentId, r.department_ancestors AS DepartmentAncestors, CAST(r.source_kind AS bigint) AS SourceKind, CAST(r.source_type_kind AS bigint) AS SourceTypeKind,
       r.source_type AS SourceType, CAST(r.source_alias_kind AS bigint) AS SourceAliasKind, r.source_alias AS SourceAlias,
       CAST(r.tags_kind AS bigint) AS TagsKind, r.tags AS Tags, CAST(r.served_by_kind AS bigint) AS ServedByKind, r.served_by_id AS ServedById
FROM dbo.rooms r
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$')))) ORDER BY r.ts

-- SaveSyncState (@Stream, @ResumeToken, @Watermark, @AppliedAt)
UPDATE dbo.sync_state WITH (UPDLOCK, HOLDLOCK) SET resume_token = @ResumeToken, watermark = @Watermark, applied_at = @AppliedAt
WHERE stream = @Stream;
IF @@ROWCOUNT = 0
    INSERT INTO dbo.sync_state (stream, resume_token, watermark, applied_at) VALUES (@Stream, @ResumeToken, @Watermark, @AppliedAt);

-- ScanByStatus (@Start, @End)
SELECT COUNT_BIG(*) AS Total, COALESCE(SUM(CAST(r.is_open AS bigint)), 0) AS [Open], COALESCE(SUM(CAST(r.is_queued AS bigint)), 0) AS Queued,
       COALESCE(SUM(CAST(r.is_on_hold AS bigint)), 0) AS OnHold, COALESCE(SUM(CAST(r.is_closed AS bigint)), 0) AS Closed
FROM dbo.rooms r
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End

-- ScanByStatusRestricted (@Start, @End, @Units, @Departments)
SELECT COUNT_BIG(*) AS Total, COALESCE(SUM(CAST(r.is_open AS bigint)), 0) AS [Open], COALESCE(SUM(CAST(r.is_queued AS bigint)), 0) AS Queued,
       COALESCE(SUM(CAST(r.is_on_hold AS bigint)), 0) AS OnHold, COALESCE(SUM(CAST(r.is_closed AS bigint)), 0) AS Closed
FROM dbo.rooms r
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))

-- SourceCellsRestricted (@Start, @HeadEnd, @TailStart, @End, @FirstDay, @EndDay, @Units, @Departments)
SELECT CAST(s.k1_kind AS bigint) AS K1Kind, MIN(s.k1) AS K1, CAST(s.k2_kind AS bigint) AS K2Kind, MIN(s.k2) AS K2, SUM(s.total) AS Total
FROM (
    SELECT c.k1_kind, c.k1, c.k2_kind, c.k2, c.total FROM dbo.source_counts c
        WHERE c.day >= @FirstDay AND c.day < @EndDay AND (c.department_kind = 0
         OR (c.department_kind = 2 AND c.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(NULLIF(c.department_ancestors, '')) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$'))))
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.source_type_kind AS k1_kind, CAST(COALESCE(r.source_type, '') AS nvarchar(4000)) AS k1, r.source_alias_kind AS k2_kind,
       CAST(COALESCE(r.source_alias, N'') AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$')))) AND r.source_kind <> 0) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, CAST(1 AS bigint) AS total FROM (SELECT r.source_type_kind AS k1_kind, CAST(COALESCE(r.source_type, '') AS nvarchar(4000)) AS k1, r.source_alias_kind AS k2_kind,
       CAST(COALESCE(r.source_alias, N'') AS nvarchar(4000)) AS k2
    FROM dbo.rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT department_id FROM OPENJSON(@Departments) WITH (department_id varchar(64) '$')))
         OR EXISTS (SELECT 1 FROM OPENJSON(r.department_ancestors) WITH (ancestor_id varchar(64) '$') a WHERE a.ancestor_id IN (SELECT unit_id FROM OPENJSON(@Units) WITH (unit_id varchar(64) '$')))) AND r.source_kind <> 0) k
) AS s
GROUP BY s.k1_kind, CONVERT(varbinary(8000), s.k1), s.k2_kind, CONVERT(varbinary(8000), s.k2)

-- StatusDayCells (@From, @To)
SELECT CAST(day AS bigint) AS Period, CAST(total AS bigint) AS Total, CAST([open] AS bigint) AS [Open], CAST(queued AS bigint) AS Queued,
       CAST(on_hold AS bigint) AS OnHold, CAST(closed AS bigint) AS Closed
FROM room_counts_all WHERE day >= @From AND day < @To AND total <> 0

-- StatusHourCells (@From, @To)
SELECT CAST(hour AS bigint) AS Period, CAST(total AS bigint) AS Total, CAST([open] AS bigint) AS [Open], CAST(queued AS bigint) AS Queued,
       CAST(on_hold AS bigint) AS OnHold, CAST(closed AS bigint) AS Closed
FROM room_counts_all_hourly WHERE hour >= @From AND hour < @To AND total <> 0

-- StoreVersion (no parameters)
SELECT version FROM store_version WHERE id = 1

-- StoredIds(Department) (@After, @Take)
SELECT DISTINCT TOP (@Take) id FROM dbo.departments WHERE id > @After ORDER BY id

-- StoredIds(DepartmentAgent) (@After, @Take)
SELECT DISTINCT TOP (@Take) id FROM dbo.department_agents WHERE id > @After ORDER BY id

-- StoredIds(Permission) (@After, @Take)
SELECT DISTINCT TOP (@Take) permission_id FROM dbo.permission_roles WHERE permission_id > @After ORDER BY permission_id

-- StoredIds(Role) (@After, @Take)
SELECT DISTINCT TOP (@Take) id FROM dbo.roles WHERE id > @After ORDER BY id

-- StoredIds(Room) (@After, @Take)
SELECT DISTINCT TOP (@Take) id FROM dbo.rooms WHERE id > @After ORDER BY id

-- StoredIds(UnitMonitor) (@After, @Take)
SELECT DISTINCT TOP (@Take) id FROM dbo.unit_monitors WHERE id > @After ORDER BY id

-- StoredIds(User) (@After, @Take)
SELECT DISTINCT TOP (@Take) id FROM dbo.users WHERE id > @After ORDER BY id

-- StoredRooms (@Ids)
SELECT r.id AS Id, r.t AS T, DATEDIFF_BIG(millisecond, '19700101', r.ts) AS TsMs, CAST(r.is_open AS bigint) AS IsOpen,
       CAST(r.is_queued AS bigint) AS IsQueued, CAST(r.is_on_hold AS bigint) AS IsOnHold, CAST(r.is_closed AS bigint) AS IsClosed,
       CAST(r.department_kind AS bigint) AS DepartmentKind, r.department_id AS DepartmentId, r.department_ancestors AS DepartmentAncestors,
       CAST(r.source_kind AS bigint) AS SourceKind, CAST(r.source_type_kind AS bigint) AS SourceTypeKind, r.source_type AS SourceType,
       CAST(r.source_alias_kind AS bigint) AS SourceAliasKind, r.source_alias AS SourceAlias, CAST(r.tags_kind AS bigint) AS TagsKind,
       r.tags AS Tags, CAST(r.served_by_kind AS bigint) AS ServedByKind, r.served_by_id AS ServedById
FROM dbo.rooms r WITH (UPDLOCK, HOLDLOCK)
WHERE r.id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))

-- StoredRoomsPage (@After, @Size)
SELECT TOP (@Size) r.id AS Id, r.t AS T, DATEDIFF_BIG(millisecond, '19700101', r.ts) AS TsMs, CAST(r.is_open AS bigint) AS IsOpen,
       CAST(r.is_queued AS bigint) AS IsQueued, CAST(r.is_on_hold AS bigint) AS IsOnHold, CAST(r.is_closed AS bigint) AS IsClosed,
       CAST(r.department_kind AS bigint) AS DepartmentKind, r.department_id AS DepartmentId, r.department_ancestors AS DepartmentAncestors,
       CAST(r.source_kind AS bigint) AS SourceKind, CAST(r.source_type_kind AS bigint) AS SourceTypeKind, r.source_type AS SourceType,
       CAST(r.source_alias_kind AS bigint) AS SourceAliasKind, r.source_alias AS SourceAlias, CAST(r.tags_kind AS bigint) AS TagsKind,
       r.tags AS Tags, CAST(r.served_by_kind AS bigint) AS ServedByKind, r.served_by_id AS ServedById
FROM dbo.rooms r
WHERE r.id > @After ORDER BY r.id

-- UpsertDepartmentAgents (@Batch: JSON rows of DepartmentAgentRow)
DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, agent_id varchar(64) NOT NULL, department_id varchar(64) NOT NULL,
                     username nvarchar(255) NULL, department_enabled bit NOT NULL);
INSERT INTO @rows (id, agent_id, department_id, username, department_enabled)
SELECT j.id, j.agent_id, j.department_id, j.username, j.department_enabled
FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', agent_id varchar(64) '$.agentId', department_id varchar(64) '$.departmentId',
                            username nvarchar(255) '$.username', department_enabled bit '$.departmentEnabled') AS j;
UPDATE a SET agent_id = s.agent_id, department_id = s.department_id, username = s.username, department_enabled = s.department_enabled
FROM dbo.department_agents a JOIN @rows s ON s.id = a.id;
INSERT INTO dbo.department_agents (id, agent_id, department_id, username, department_enabled)
SELECT s.id, s.agent_id, s.department_id, s.username, s.department_enabled
FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.department_agents a WHERE a.id = s.id);

-- UpsertDepartments (@Batch: JSON rows of DepartmentRow)
DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, name nvarchar(255) NULL, type varchar(8) NULL);
INSERT INTO @rows (id, name, type)
SELECT j.id, j.name, j.type FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', name nvarchar(255) '$.name', type varchar(8) '$.type') AS j;
UPDATE d SET name = s.name, type = s.type FROM dbo.departments d JOIN @rows s ON s.id = d.id;
INSERT INTO dbo.departments (id, name, type)
SELECT s.id, s.name, s.type FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.departments d WHERE d.id = s.id);

-- UpsertRoles (@Batch: JSON rows of RoleRow)
DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, name nvarchar(255) NOT NULL, scope varchar(32) NULL);
INSERT INTO @rows (id, name, scope)
SELECT j.id, j.name, j.scope FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', name nvarchar(255) '$.name', scope varchar(32) '$.scope') AS j;
UPDATE r SET name = s.name, scope = s.scope FROM dbo.roles r JOIN @rows s ON s.id = r.id;
INSERT INTO dbo.roles (id, name, scope)
SELECT s.id, s.name, s.scope FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.roles r WHERE r.id = s.id);

-- UpsertRooms (@Batch: JSON rows of RoomRow)
DECLARE @rows TABLE (
    id varchar(64) NOT NULL PRIMARY KEY, t varchar(8) NOT NULL, ts datetime2(3) NOT NULL, [open] bit NOT NULL, on_hold bit NOT NULL,
    served_by_kind tinyint NOT NULL, served_by_id varchar(64) NULL, served_by_username nvarchar(255) NULL, served_by_ts datetime2(3) NULL,
    chat_duration float NULL, closed_at datetime2(3) NULL, department_kind tinyint NOT NULL, department_id varchar(64) NULL,
    department_ancestors varchar(1000) NULL, source_type varchar(32) NULL,
    is_open bit NOT NULL, is_queued bit NOT NULL, is_on_hold bit NOT NULL, is_closed bit NOT NULL,
    source_kind tinyint NOT NULL, source_type_kind tinyint NOT NULL, source_alias_kind tinyint NOT NULL, source_alias nvarchar(255) NULL,
    tags_kind tinyint NOT NULL, tags nvarchar(max) NULL);
INSERT INTO @rows (id, t, ts, [open], on_hold, served_by_kind, served_by_id, served_by_username, served_by_ts, chat_duration, closed_at,
                   department_kind, department_id, department_ancestors, source_type, is_open, is_queued, is_on_hold, is_closed,
                   source_kind, source_type_kind, source_alias_kind, source_alias, tags_kind, tags)
SELECT j.id, j.t, DATEADD(millisecond, j.ts % 86400000, DATEADD(day, j.ts / 86400000, CAST('19700101' AS datetime2(3)))), j.[open], j.on_hold, j.served_by_kind, j.served_by_id, j.served_by_username,
       DATEADD(millisecond, j.served_by_ts % 86400000, DATEADD(day, j.served_by_ts / 86400000, CAST('19700101' AS datetime2(3)))), j.chat_duration, DATEADD(millisecond, j.closed_at % 86400000, DATEADD(day, j.closed_at / 86400000, CAST('19700101' AS datetime2(3)))),
       j.department_kind, j.department_id, j.department_ancestors, j.source_type, j.is_open, j.is_queued, j.is_on_hold, j.is_closed,
       j.source_kind, j.source_type_kind, j.source_alias_kind, j.source_alias, j.tags_kind, j.tags
FROM OPENJSON(@Batch) WITH (
    id varchar(64) '$.id', t varchar(8) '$.t', ts bigint '$.ts', [open] bit '$.open', on_hold bit '$.onHold',
    served_by_kind tinyint '$.servedByKind', served_by_id varchar(64) '$.servedById', served_by_username nvarchar(255) '$.servedByUsername',
    served_by_ts bigint '$.servedByTs', chat_duration float '$.chatDuration', closed_at bigint '$.closedAt',
    department_kind tinyint '$.departmentKind', department_id varchar(64) '$.departmentId',
    department_ancestors varchar(1000) '$.departmentAncestors', source_type varchar(32) '$.sourceType',
    is_open bit '$.isOpen', is_queued bit '$.isQueued', is_on_hold bit '$.isOnHold', is_closed bit '$.isClosed',
    source_kind tinyint '$.sourceKind', source_type_kind tinyint '$.sourceTypeKind', source_alias_kind tinyint '$.sourceAliasKind',
    source_alias nvarchar(255) '$.sourceAlias', tags_kind tinyint '$.tagsKind', tags nvarchar(max) '$.tags') AS j;
UPDATE r SET t = s.t, ts = s.ts, [open] = s.[open], on_hold = s.on_hold, served_by_kind = s.served_by_kind, served_by_id = s.served_by_id,
             served_by_username = s.served_by_username, served_by_ts = s.served_by_ts, chat_duration = s.chat_duration,
             closed_at = s.closed_at, department_kind = s.department_kind, department_id = s.department_id,
             department_ancestors = s.department_ancestors, source_type = s.source_type, is_open = s.is_open, is_queued = s.is_queued,
             is_on_hold = s.is_on_hold, is_closed = s.is_closed, needs_reimport = 0, source_kind = s.source_kind,
             source_type_kind = s.source_type_kind, source_alias_kind = s.source_alias_kind, source_alias = s.source_alias,
             tags_kind = s.tags_kind, tags = s.tags
FROM dbo.rooms r JOIN @rows s ON s.id = r.id;
INSERT INTO dbo.rooms (id, t, ts, [open], on_hold, served_by_kind, served_by_id, served_by_username, served_by_ts, chat_duration, closed_at,
                       department_kind, department_id, department_ancestors, source_type, is_open, is_queued, is_on_hold, is_closed,
                       source_kind, source_type_kind, source_alias_kind, source_alias, tags_kind, tags)
SELECT s.id, s.t, s.ts, s.[open], s.on_hold, s.served_by_kind, s.served_by_id, s.served_by_username, s.served_by_ts, s.chat_duration,
       s.closed_at, s.department_kind, s.department_id, s.department_ancestors, s.source_type, s.is_open, s.is_queued, s.is_on_hold, s.is_closed,
       s.source_kind, s.source_type_kind, s.source_alias_kind, s.source_alias, s.tags_kind, s.tags
FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.rooms r WHERE r.id = s.id);

-- UpsertUnitMonitors (@Batch: JSON rows of UnitMonitorRow)
DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, unit_id varchar(64) NOT NULL, monitor_id varchar(64) NOT NULL, username nvarchar(255) NULL);
INSERT INTO @rows (id, unit_id, monitor_id, username)
SELECT j.id, j.unit_id, j.monitor_id, j.username
FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', unit_id varchar(64) '$.unitId', monitor_id varchar(64) '$.monitorId', username nvarchar(255) '$.username') AS j;
UPDATE m SET unit_id = s.unit_id, monitor_id = s.monitor_id, username = s.username FROM dbo.unit_monitors m JOIN @rows s ON s.id = m.id;
INSERT INTO dbo.unit_monitors (id, unit_id, monitor_id, username)
SELECT s.id, s.unit_id, s.monitor_id, s.username FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.unit_monitors m WHERE m.id = s.id);

-- UpsertUsers (@Batch: JSON rows of UserRow)
DECLARE @rows TABLE (id varchar(64) NOT NULL PRIMARY KEY, username nvarchar(255) NULL, name nvarchar(255) NULL, active bit NOT NULL);
INSERT INTO @rows (id, username, name, active)
SELECT j.id, j.username, j.name, j.active
FROM OPENJSON(@Batch) WITH (id varchar(64) '$.id', username nvarchar(255) '$.username', name nvarchar(255) '$.name', active bit '$.active') AS j;
UPDATE u SET username = s.username, name = s.name, active = s.active FROM dbo.users u JOIN @rows s ON s.id = u.id;
INSERT INTO dbo.users (id, username, name, active)
SELECT s.id, s.username, s.name, s.active FROM @rows s WHERE NOT EXISTS (SELECT 1 FROM dbo.users u WHERE u.id = s.id);

-- UserIdByUsername (@Username)
SELECT id FROM users WHERE username = @Username

-- UserNames (@Ids)
SELECT u.id AS Id, u.name AS Name FROM dbo.users u WHERE u.id IN (SELECT id FROM OPENJSON(@Ids) WITH (id varchar(64) '$'))
