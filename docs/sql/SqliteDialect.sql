-- Every statement SqliteDialect sends, as the code builds it. Written by StatementSnapshotTests: do not edit.

-- AddToAllHourlyRoomCounts (@Period, @Total, @Open, @Queued, @OnHold, @Closed)
INSERT INTO room_counts_all_hourly (hour, total, open, queued, on_hold, closed)
VALUES (@Period, @Total, @Open, @Queued, @OnHold, @Closed)
ON CONFLICT (hour) DO UPDATE SET
    total = total + excluded.total, open = open + excluded.open, queued = queued + excluded.queued,
    on_hold = on_hold + excluded.on_hold, closed = closed + excluded.closed

-- AddToAllRoomCounts (@Period, @Total, @Open, @Queued, @OnHold, @Closed)
INSERT INTO room_counts_all (day, total, open, queued, on_hold, closed)
VALUES (@Period, @Total, @Open, @Queued, @OnHold, @Closed)
ON CONFLICT (day) DO UPDATE SET
    total = total + excluded.total, open = open + excluded.open, queued = queued + excluded.queued,
    on_hold = on_hold + excluded.on_hold, closed = closed + excluded.closed

-- AddToHourlyReportCounts (@Report, @Period, @K1Kind, @K1, @K2Kind, @K2, @Total)
INSERT INTO report_counts_hourly (report, hour, k1_kind, k1, k2_kind, k2, total) VALUES (@Report, @Period, @K1Kind, @K1, @K2Kind, @K2, @Total)
ON CONFLICT (report, hour, k1_kind, k1, k2_kind, k2) DO UPDATE SET total = total + excluded.total

-- AddToHourlyRoomCounts (@Period, @DepartmentKind, @DepartmentId, @DepartmentAncestors, @Total, @Open, @Queued, @OnHold, @Closed)
INSERT INTO room_counts_hourly (hour, department_kind, department_id, department_ancestors, total, open, queued, on_hold, closed)
VALUES (@Period, @DepartmentKind, @DepartmentId, @DepartmentAncestors, @Total, @Open, @Queued, @OnHold, @Closed)
ON CONFLICT (hour, department_kind, department_id, department_ancestors) DO UPDATE SET
    total = total + excluded.total, open = open + excluded.open, queued = queued + excluded.queued,
    on_hold = on_hold + excluded.on_hold, closed = closed + excluded.closed

-- AddToReportCounts (@Report, @Period, @K1Kind, @K1, @K2Kind, @K2, @Total)
INSERT INTO report_counts (report, day, k1_kind, k1, k2_kind, k2, total) VALUES (@Report, @Period, @K1Kind, @K1, @K2Kind, @K2, @Total)
ON CONFLICT (report, day, k1_kind, k1, k2_kind, k2) DO UPDATE SET total = total + excluded.total

-- AddToRoomCounts (@Period, @DepartmentKind, @DepartmentId, @DepartmentAncestors, @Total, @Open, @Queued, @OnHold, @Closed)
INSERT INTO room_counts (day, department_kind, department_id, department_ancestors, total, open, queued, on_hold, closed)
VALUES (@Period, @DepartmentKind, @DepartmentId, @DepartmentAncestors, @Total, @Open, @Queued, @OnHold, @Closed)
ON CONFLICT (day, department_kind, department_id, department_ancestors) DO UPDATE SET
    total = total + excluded.total, open = open + excluded.open, queued = queued + excluded.queued,
    on_hold = on_hold + excluded.on_hold, closed = closed + excluded.closed

-- AddToSourceCounts (@Period, @DepartmentKind, @DepartmentId, @DepartmentAncestors, @K1Kind, @K1, @K2Kind, @K2, @Total)
INSERT INTO source_counts (day, department_kind, department_id, department_ancestors, k1_kind, k1, k2_kind, k2, total)
VALUES (@Period, @DepartmentKind, @DepartmentId, @DepartmentAncestors, @K1Kind, @K1, @K2Kind, @K2, @Total)
ON CONFLICT (day, department_kind, department_id, department_ancestors, k1_kind, k1, k2_kind, k2) DO UPDATE SET total = total + excluded.total

-- AnyRoleHolds (@Permission, @Roles)
SELECT COUNT(*) FROM permission_roles WHERE permission_id = @Permission AND role_id IN (SELECT value FROM json_each(@Roles))

-- AnyRoom (no parameters)
SELECT CASE WHEN EXISTS (SELECT 1 FROM rooms) THEN 1 ELSE 0 END

-- BeforeBatches (no parameters)
PRAGMA cache_size = -131072

-- BumpStoreVersion (no parameters)
UPDATE store_version SET version = version + 1 WHERE id = 1

-- ChangedDaysSince (@Version)
SELECT DISTINCT day FROM count_change_days WHERE version > @Version

-- ChangesFrom (no parameters)
SELECT changes_from FROM store_version WHERE id = 1

-- CountByAgent (@Start, @End)
WITH s AS MATERIALIZED (
    SELECT r.served_by_id AS AgentId, COUNT(*) AS Total, SUM(r.served_by_kind = 0) AS Unserved
    FROM rooms r
    WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End
    GROUP BY r.served_by_id)
SELECT 0 AS Unspecified, s.AgentId, u.name AS Name, s.Total - s.Unserved AS Total
FROM s LEFT JOIN users u ON u.id = s.AgentId
WHERE s.Total > s.Unserved
UNION ALL
SELECT 1, NULL, NULL, COALESCE(SUM(s.Unserved), 0) FROM s

-- CountByAgentRestricted (@Start, @End, @Units, @Departments)
WITH s AS MATERIALIZED (
    SELECT r.served_by_id AS AgentId, COUNT(*) AS Total, SUM(r.served_by_kind = 0) AS Unserved
    FROM rooms r
    WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @Start / 86400000 - 1 AND vc.day <= @End / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units)))))
    GROUP BY r.served_by_id)
SELECT 0 AS Unspecified, s.AgentId, u.name AS Name, s.Total - s.Unserved AS Total
FROM s LEFT JOIN users u ON u.id = s.AgentId
WHERE s.Total > s.Unserved
UNION ALL
SELECT 1, NULL, NULL, COALESCE(SUM(s.Unserved), 0) FROM s

-- CountByDepartment (@Start, @End)
SELECT 0 AS Unspecified, d.name AS Label, COUNT(*) AS Total
FROM rooms r JOIN departments d ON d.id = r.department_id
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.department_kind = 2
GROUP BY d.name
UNION ALL
SELECT 1, NULL, COUNT(*) FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.department_kind = 0

-- CountBySource (@Start, @End)
SELECT r.source_type_kind AS TypeKind, r.source_type AS Type, r.source_alias_kind AS AliasKind, r.source_alias AS Alias, COUNT(*) AS Total
FROM rooms r
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.source_kind <> 0
GROUP BY r.source_type_kind, r.source_type, r.source_alias_kind, r.source_alias

-- CountByStatus (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT COALESCE(SUM(total), 0) AS Total, COALESCE(SUM(is_open), 0) AS Open, COALESCE(SUM(is_queued), 0) AS Queued,
       COALESCE(SUM(is_on_hold), 0) AS OnHold, COALESCE(SUM(is_closed), 0) AS Closed
FROM (
    SELECT dc.total AS total, dc.open AS is_open, dc.queued AS is_queued, dc.on_hold AS is_on_hold, dc.closed AS is_closed
    FROM room_counts_all dc
    WHERE dc.day >= @FirstDay AND dc.day < @EndDay
        UNION ALL
        SELECT hc.total AS total, hc.open AS is_open, hc.queued AS is_queued, hc.on_hold AS is_on_hold, hc.closed AS is_closed
    FROM room_counts_all_hourly hc
    WHERE hc.hour >= @FirstHour AND hc.hour < @HeadHourEnd
        UNION ALL
        SELECT hc.total AS total, hc.open AS is_open, hc.queued AS is_queued, hc.on_hold AS is_on_hold, hc.closed AS is_closed
    FROM room_counts_all_hourly hc
    WHERE hc.hour >= @TailHourStart AND hc.hour < @EndHour
        UNION ALL
        SELECT 1 AS total, r.is_open, r.is_queued, r.is_on_hold, r.is_closed
    FROM rooms r
    WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd
        UNION ALL
        SELECT 1 AS total, r.is_open, r.is_queued, r.is_on_hold, r.is_closed
    FROM rooms r
    WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End
)

-- CountByStatusRestricted (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay, @Units, @Departments)
SELECT COALESCE(SUM(total), 0) AS Total, COALESCE(SUM(is_open), 0) AS Open, COALESCE(SUM(is_queued), 0) AS Queued,
       COALESCE(SUM(is_on_hold), 0) AS OnHold, COALESCE(SUM(is_closed), 0) AS Closed
FROM (
    SELECT dc.total AS total, dc.open AS is_open, dc.queued AS is_queued, dc.on_hold AS is_on_hold, dc.closed AS is_closed
    FROM room_counts dc
    WHERE dc.day >= @FirstDay AND dc.day < @EndDay AND (dc.department_kind = 0
         OR (dc.department_kind = 2 AND dc.department_id IN (SELECT value FROM json_each(@Departments)))
         OR EXISTS (SELECT 1 FROM json_each(NULLIF(dc.department_ancestors, '')) a WHERE a.value IN (SELECT value FROM json_each(@Units))))
        UNION ALL
        SELECT hc.total AS total, hc.open AS is_open, hc.queued AS is_queued, hc.on_hold AS is_on_hold, hc.closed AS is_closed
    FROM room_counts_hourly hc
    WHERE hc.hour >= @FirstHour AND hc.hour < @HeadHourEnd AND (hc.department_kind = 0
         OR (hc.department_kind = 2 AND hc.department_id IN (SELECT value FROM json_each(@Departments)))
         OR EXISTS (SELECT 1 FROM json_each(NULLIF(hc.department_ancestors, '')) a WHERE a.value IN (SELECT value FROM json_each(@Units))))
        UNION ALL
        SELECT hc.total AS total, hc.open AS is_open, hc.queued AS is_queued, hc.on_hold AS is_on_hold, hc.closed AS is_closed
    FROM room_counts_hourly hc
    WHERE hc.hour >= @TailHourStart AND hc.hour < @EndHour AND (hc.department_kind = 0
         OR (hc.department_kind = 2 AND hc.department_id IN (SELECT value FROM json_each(@Departments)))
         OR EXISTS (SELECT 1 FROM json_each(NULLIF(hc.department_ancestors, '')) a WHERE a.value IN (SELECT value FROM json_each(@Units))))
        UNION ALL
        SELECT 1 AS total, r.is_open, r.is_queued, r.is_on_hold, r.is_closed
    FROM rooms r
    WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @Start / 86400000 - 1 AND vc.day <= @HeadEnd / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units)))))
        UNION ALL
        SELECT 1 AS total, r.is_open, r.is_queued, r.is_on_hold, r.is_closed
    FROM rooms r
    WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @TailStart / 86400000 - 1 AND vc.day <= @End / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units)))))
)

-- CountByTags (@Start, @End)
SELECT 0 AS Unspecified, j.value AS Label, COUNT(*) AS Total
FROM rooms r, json_each(r.tags) j
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND r.tags_kind = 2
GROUP BY j.value
UNION ALL
SELECT 1, NULL, COUNT(*) FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = '[]'))

-- CountByTagsRestricted (@Start, @End, @Units, @Departments)
SELECT 0 AS Unspecified, j.value AS Label, COUNT(*) AS Total
FROM rooms r, json_each(r.tags) j
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @Start / 86400000 - 1 AND vc.day <= @End / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units))))) AND r.tags_kind = 2
GROUP BY j.value
UNION ALL
SELECT 1, NULL, COUNT(*) FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @Start / 86400000 - 1 AND vc.day <= @End / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units))))) AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = '[]'))

-- CountRoomsAndUsers (no parameters)
SELECT (SELECT COUNT(*) FROM rooms) + (SELECT COUNT(*) FROM users)

-- CountRoomsNeedingReimport (no parameters)
SELECT COUNT(*) FROM rooms WHERE needs_reimport = 1

-- CountUnits (no parameters)
SELECT COUNT(*) FROM departments WHERE type = 'u'

-- CreateMigrationsTable (no parameters)
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL
)

-- DeleteChildren(DepartmentAncestors) (@Ids)
DELETE FROM department_ancestors WHERE department_id IN (SELECT value FROM json_each(@Ids))

-- DeleteChildren(LoginTokens) (@Ids)
DELETE FROM login_tokens WHERE user_id IN (SELECT value FROM json_each(@Ids))

-- DeleteChildren(PermissionRoles) (@Ids)
DELETE FROM permission_roles WHERE permission_id IN (SELECT value FROM json_each(@Ids))

-- DeleteChildren(UserRoles) (@Ids)
DELETE FROM user_roles WHERE user_id IN (SELECT value FROM json_each(@Ids))

-- DeleteIds(DepartmentAgents) (@Ids)
DELETE FROM department_agents WHERE id IN (SELECT value FROM json_each(@Ids))

-- DeleteIds(Departments) (@Ids)
DELETE FROM departments WHERE id IN (SELECT value FROM json_each(@Ids))

-- DeleteIds(Roles) (@Ids)
DELETE FROM roles WHERE id IN (SELECT value FROM json_each(@Ids))

-- DeleteIds(Rooms) (@Ids)
DELETE FROM rooms WHERE id IN (SELECT value FROM json_each(@Ids))

-- DeleteIds(UnitMonitors) (@Ids)
DELETE FROM unit_monitors WHERE id IN (SELECT value FROM json_each(@Ids))

-- DeleteIds(Users) (@Ids)
DELETE FROM users WHERE id IN (SELECT value FROM json_each(@Ids))

-- DepartmentCellsRestricted (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay, @Units, @Departments)
SELECT s.department_kind AS K1Kind, s.department_id AS K1, 0 AS K2Kind, '' AS K2, SUM(s.total) AS Total
FROM (
    SELECT dc.department_kind AS department_kind, dc.department_id AS department_id, dc.total AS total
    FROM room_counts dc
    WHERE dc.day >= @FirstDay AND dc.day < @EndDay AND (dc.department_kind = 0
         OR (dc.department_kind = 2 AND dc.department_id IN (SELECT value FROM json_each(@Departments)))
         OR EXISTS (SELECT 1 FROM json_each(NULLIF(dc.department_ancestors, '')) a WHERE a.value IN (SELECT value FROM json_each(@Units))))
        UNION ALL
        SELECT hc.department_kind AS department_kind, hc.department_id AS department_id, hc.total AS total
    FROM room_counts_hourly hc
    WHERE hc.hour >= @FirstHour AND hc.hour < @HeadHourEnd AND (hc.department_kind = 0
         OR (hc.department_kind = 2 AND hc.department_id IN (SELECT value FROM json_each(@Departments)))
         OR EXISTS (SELECT 1 FROM json_each(NULLIF(hc.department_ancestors, '')) a WHERE a.value IN (SELECT value FROM json_each(@Units))))
        UNION ALL
        SELECT hc.department_kind AS department_kind, hc.department_id AS department_id, hc.total AS total
    FROM room_counts_hourly hc
    WHERE hc.hour >= @TailHourStart AND hc.hour < @EndHour AND (hc.department_kind = 0
         OR (hc.department_kind = 2 AND hc.department_id IN (SELECT value FROM json_each(@Departments)))
         OR EXISTS (SELECT 1 FROM json_each(NULLIF(hc.department_ancestors, '')) a WHERE a.value IN (SELECT value FROM json_each(@Units))))
        UNION ALL
        SELECT r.department_kind, COALESCE(r.department_id, ''), 1
    FROM rooms r
    WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @Start / 86400000 - 1 AND vc.day <= @HeadEnd / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units)))))
        UNION ALL
        SELECT r.department_kind, COALESCE(r.department_id, ''), 1
    FROM rooms r
    WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @TailStart / 86400000 - 1 AND vc.day <= @End / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units)))))
) s
WHERE s.department_kind <> 1
GROUP BY s.department_kind, s.department_id

-- DepartmentNames (no parameters)
SELECT id AS Id, name AS Name FROM departments

-- DepartmentsReachedBy (@Units)
SELECT d.id FROM departments d WHERE d.id IN (SELECT value FROM json_each(@Units))
UNION
SELECT a.department_id FROM department_ancestors a WHERE a.ancestor_id IN (SELECT value FROM json_each(@Units))

-- ExistingIds(DepartmentAgents) (@Ids)
SELECT id FROM department_agents WHERE id IN (SELECT value FROM json_each(@Ids))

-- ExistingIds(Departments) (@Ids)
SELECT id FROM departments WHERE id IN (SELECT value FROM json_each(@Ids))

-- ExistingIds(Roles) (@Ids)
SELECT id FROM roles WHERE id IN (SELECT value FROM json_each(@Ids))

-- ExistingIds(Rooms) (@Ids)
SELECT id FROM rooms WHERE id IN (SELECT value FROM json_each(@Ids))

-- ExistingIds(UnitMonitors) (@Ids)
SELECT id FROM unit_monitors WHERE id IN (SELECT value FROM json_each(@Ids))

-- ExistingIds(Users) (@Ids)
SELECT id FROM users WHERE id IN (SELECT value FROM json_each(@Ids))

-- ExistingPermissions (@Ids)
SELECT DISTINCT permission_id FROM permission_roles WHERE permission_id IN (SELECT value FROM json_each(@Ids))

-- FindCaller (@UserId, @HashedToken)
SELECT u.username AS Username, ur.role_id AS RoleId
FROM users u
JOIN login_tokens t ON t.user_id = u.id AND t.hashed_token = @HashedToken
LEFT JOIN user_roles ur ON ur.user_id = u.id
WHERE u.id = @UserId

-- InsertChildren(DepartmentAncestors) (@Parent, @Child)
INSERT OR IGNORE INTO department_ancestors (department_id, ancestor_id) VALUES (@Parent, @Child)

-- InsertChildren(LoginTokens) (@Parent, @Child)
INSERT OR IGNORE INTO login_tokens (user_id, hashed_token) VALUES (@Parent, @Child)

-- InsertChildren(PermissionRoles) (@Parent, @Child)
INSERT OR IGNORE INTO permission_roles (permission_id, role_id) VALUES (@Parent, @Child)

-- InsertChildren(UserRoles) (@Parent, @Child)
INSERT OR IGNORE INTO user_roles (user_id, role_id) VALUES (@Parent, @Child)

-- InsertLoginTokens (@UserId, @HashedToken, @CreatedAt)
INSERT OR IGNORE INTO login_tokens (user_id, hashed_token, created_at) VALUES (@UserId, @HashedToken, @CreatedAt)

-- MigrationApplied (@Version)
SELECT COUNT(*) FROM schema_migrations WHERE version = @Version

-- PruneLoginTokens (@UserId, @Keep)
DELETE FROM login_tokens WHERE user_id = @UserId AND hashed_token NOT IN (
    SELECT hashed_token FROM login_tokens WHERE user_id = @UserId ORDER BY created_at DESC LIMIT @Keep)

-- ReadSyncState (@Stream)
SELECT stream AS Stream, resume_token AS ResumeToken, watermark AS Watermark, applied_at AS AppliedAt FROM sync_state WHERE stream = @Stream

-- ReadinessCheck (no parameters)
SELECT (SELECT 1 FROM rooms LIMIT 1), (SELECT 1 FROM room_counts LIMIT 1), (SELECT 1 FROM room_counts_hourly LIMIT 1), (SELECT 1 FROM room_counts_all LIMIT 1), (SELECT 1 FROM room_counts_all_hourly LIMIT 1), (SELECT 1 FROM report_counts LIMIT 1), (SELECT 1 FROM report_counts_hourly LIMIT 1), (SELECT 1 FROM store_version LIMIT 1), (SELECT 1 FROM users LIMIT 1), (SELECT 1 FROM user_roles LIMIT 1), (SELECT 1 FROM login_tokens LIMIT 1), (SELECT 1 FROM permission_roles LIMIT 1), (SELECT 1 FROM departments LIMIT 1), (SELECT 1 FROM department_ancestors LIMIT 1), (SELECT 1 FROM unit_monitors LIMIT 1), (SELECT 1 FROM department_agents LIMIT 1)

-- RecordChangedDays (@Days, @Keep)
INSERT INTO count_change_days (version, day) SELECT v.version, d.value FROM store_version v, json_each(@Days) d WHERE v.id = 1;
DELETE FROM count_change_days WHERE version <= (SELECT version - @Keep FROM store_version WHERE id = 1);
UPDATE store_version SET changes_from = version - @Keep WHERE id = 1 AND changes_from < version - @Keep

-- RecordMigration (@Version, @Name, @AppliedAt)
INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)

-- ReportCells(Agent) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT d.k1_kind, d.k1, d.k2_kind, d.k2, d.total FROM report_counts d
    WHERE d.report = 4 AND d.day >= @FirstDay AND d.day < @EndDay
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 4 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 4 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS k1_kind,
       COALESCE(r.served_by_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS k1_kind,
       COALESCE(r.served_by_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportCells(Department) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT d.k1_kind, d.k1, d.k2_kind, d.k2, d.total FROM report_counts d
    WHERE d.report = 2 AND d.day >= @FirstDay AND d.day < @EndDay
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 2 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 2 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.department_kind AS k1_kind, COALESCE(r.department_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.department_kind <> 1) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.department_kind AS k1_kind, COALESCE(r.department_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.department_kind <> 1) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportCells(Source) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT d.k1_kind, d.k1, d.k2_kind, d.k2, d.total FROM report_counts d
    WHERE d.report = 1 AND d.day >= @FirstDay AND d.day < @EndDay
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 1 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 1 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.source_type_kind AS k1_kind, COALESCE(r.source_type, '') AS k1, r.source_alias_kind AS k2_kind, COALESCE(r.source_alias, '') AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.source_kind <> 0) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.source_type_kind AS k1_kind, COALESCE(r.source_type, '') AS k1, r.source_alias_kind AS k2_kind, COALESCE(r.source_alias, '') AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.source_kind <> 0) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportCells(Tags) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour, @FirstDay, @EndDay)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT d.k1_kind, d.k1, d.k2_kind, d.k2, d.total FROM report_counts d
    WHERE d.report = 3 AND d.day >= @FirstDay AND d.day < @EndDay
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 3 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 3 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN j.value IS NULL THEN 1 ELSE 2 END AS k1_kind, COALESCE(j.value, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r, json_each(r.tags) j WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.tags_kind = 2
UNION ALL
SELECT 0, '', 0, '' FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = '[]'))) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN j.value IS NULL THEN 1 ELSE 2 END AS k1_kind, COALESCE(j.value, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r, json_each(r.tags) j WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.tags_kind = 2
UNION ALL
SELECT 0, '', 0, '' FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = '[]'))) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportDayCells (@From, @To)
SELECT report AS Report, day AS Day, k1_kind AS K1Kind, k1 AS K1, k2_kind AS K2Kind, k2 AS K2, total AS Total
FROM report_counts WHERE report IN (1, 2, 3, 4) AND day >= @From AND day < @To AND total <> 0

-- ReportEdgeCells(Agent) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 4 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 4 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS k1_kind,
       COALESCE(r.served_by_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS k1_kind,
       COALESCE(r.served_by_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportEdgeCells(Department) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 2 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 2 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.department_kind AS k1_kind, COALESCE(r.department_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.department_kind <> 1) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.department_kind AS k1_kind, COALESCE(r.department_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.department_kind <> 1) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportEdgeCells(Source) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 1 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 1 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.source_type_kind AS k1_kind, COALESCE(r.source_type, '') AS k1, r.source_alias_kind AS k2_kind, COALESCE(r.source_alias, '') AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.source_kind <> 0) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.source_type_kind AS k1_kind, COALESCE(r.source_type, '') AS k1, r.source_alias_kind AS k2_kind, COALESCE(r.source_alias, '') AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.source_kind <> 0) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportEdgeCells(Tags) (@Start, @HeadEnd, @TailStart, @End, @FirstHour, @HeadHourEnd, @TailHourStart, @EndHour)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 3 AND h.hour >= @FirstHour AND h.hour < @HeadHourEnd
    UNION ALL
    SELECT h.k1_kind, h.k1, h.k2_kind, h.k2, h.total FROM report_counts_hourly h
    WHERE h.report = 3 AND h.hour >= @TailHourStart AND h.hour < @EndHour
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN j.value IS NULL THEN 1 ELSE 2 END AS k1_kind, COALESCE(j.value, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r, json_each(r.tags) j WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.tags_kind = 2
UNION ALL
SELECT 0, '', 0, '' FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = '[]'))) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN j.value IS NULL THEN 1 ELSE 2 END AS k1_kind, COALESCE(j.value, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r, json_each(r.tags) j WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.tags_kind = 2
UNION ALL
SELECT 0, '', 0, '' FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = '[]'))) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportHourCells (@From, @To)
SELECT report AS Report, hour AS Day, k1_kind AS K1Kind, k1 AS K1, k2_kind AS K2Kind, k2 AS K2, total AS Total
FROM report_counts_hourly WHERE report IN (1, 2, 3, 4) AND hour >= @From AND hour < @To AND total <> 0

-- ReportPartialHourCells(Agent) (@Start, @HeadEnd, @TailStart, @End)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS k1_kind,
       COALESCE(r.served_by_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN r.served_by_kind = 0 THEN 0 WHEN r.served_by_id IS NULL THEN 1 ELSE 2 END AS k1_kind,
       COALESCE(r.served_by_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportPartialHourCells(Department) (@Start, @HeadEnd, @TailStart, @End)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.department_kind AS k1_kind, COALESCE(r.department_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.department_kind <> 1) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.department_kind AS k1_kind, COALESCE(r.department_id, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.department_kind <> 1) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportPartialHourCells(Source) (@Start, @HeadEnd, @TailStart, @End)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.source_type_kind AS k1_kind, COALESCE(r.source_type, '') AS k1, r.source_alias_kind AS k2_kind, COALESCE(r.source_alias, '') AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.source_kind <> 0) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.source_type_kind AS k1_kind, COALESCE(r.source_type, '') AS k1, r.source_alias_kind AS k2_kind, COALESCE(r.source_alias, '') AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.source_kind <> 0) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- ReportPartialHourCells(Tags) (@Start, @HeadEnd, @TailStart, @End)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN j.value IS NULL THEN 1 ELSE 2 END AS k1_kind, COALESCE(j.value, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r, json_each(r.tags) j WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND r.tags_kind = 2
UNION ALL
SELECT 0, '', 0, '' FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = '[]'))) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT CASE WHEN j.value IS NULL THEN 1 ELSE 2 END AS k1_kind, COALESCE(j.value, '') AS k1, 0 AS k2_kind, '' AS k2
    FROM rooms r, json_each(r.tags) j WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND r.tags_kind = 2
UNION ALL
SELECT 0, '', 0, '' FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.tags_kind = 0 OR (r.tags_kind = 2 AND r.tags = '[]'))) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- RestrictingIds (@UserId)
SELECT unit_id FROM unit_monitors WHERE monitor_id = @UserId
UNION
SELECT department_id FROM department_agents WHERE agent_id = @UserId

-- RoomsInRange (@Start, @End)
SELECT r.t AS T, r.ts AS TsMs, r.is_open AS IsOpen, r.is_queued AS IsQueued, r.is_on_hold AS IsOnHold, r.is_closed AS IsClosed,
       r.department_kind AS DepartmentKind, r.department_id AS DepartmentId, r.department_ancestors AS DepartmentAncestors, r.source_kind AS SourceKind,
       r.source_type_kind AS SourceTypeKind, r.source_type AS SourceType, r.source_alias_kind AS SourceAliasKind,
       r.source_alias AS SourceAlias, r.tags_kind AS TagsKind, r.tags AS Tags, r.served_by_kind AS ServedByKind, r.served_by_id AS ServedById
FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End ORDER BY r.ts

-- RoomsInRangeRestricted (@Start, @End, @Units, @Departments)
SELECT r.t AS T, r.ts AS TsMs, r.is_open AS IsOpen, r.is_queued AS IsQueued, r.is_on_hold AS IsOnHold, r.is_closed AS IsClosed,
       r.department_kind AS DepartmentKind, r.department_id AS DepartmentId, r.department_ancestors AS DepartmentAncestors, r.source_kind AS SourceKind,
       r.source_type_kind AS SourceTypeKind, r.source_type AS SourceType, r.source_alias_kind AS SourceAliasKind,
       r.source_alias AS SourceAlias, r.tags_kind AS TagsKind, r.tags AS Tags, r.served_by_kind AS ServedByKind, r.served_by_id AS ServedById
FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @Start / 86400000 - 1 AND vc.day <= @End / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units))))) ORDER BY r.ts

-- SaveSyncState (@Stream, @ResumeToken, @Watermark, @AppliedAt)
INSERT INTO sync_state (stream, resume_token, watermark, applied_at) VALUES (@Stream, @ResumeToken, @Watermark, @AppliedAt)
ON CONFLICT (stream) DO UPDATE SET resume_token = excluded.resume_token, watermark = excluded.watermark, applied_at = excluded.applied_at

-- ScanByStatus (@Start, @End)
SELECT COUNT(*) AS Total, COALESCE(SUM(r.is_open), 0) AS Open, COALESCE(SUM(r.is_queued), 0) AS Queued,
       COALESCE(SUM(r.is_on_hold), 0) AS OnHold, COALESCE(SUM(r.is_closed), 0) AS Closed
FROM rooms r
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End

-- ScanByStatusRestricted (@Start, @End, @Units, @Departments)
SELECT COUNT(*) AS Total, COALESCE(SUM(r.is_open), 0) AS Open, COALESCE(SUM(r.is_queued), 0) AS Queued,
       COALESCE(SUM(r.is_on_hold), 0) AS OnHold, COALESCE(SUM(r.is_closed), 0) AS Closed
FROM rooms r
WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @Start / 86400000 - 1 AND vc.day <= @End / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units)))))

-- SourceCellsRestricted (@Start, @HeadEnd, @TailStart, @End, @FirstDay, @EndDay, @Units, @Departments)
SELECT s.k1_kind AS K1Kind, s.k1 AS K1, s.k2_kind AS K2Kind, s.k2 AS K2, SUM(s.total) AS Total
FROM (
    SELECT c.k1_kind, c.k1, c.k2_kind, c.k2, c.total FROM source_counts c
        WHERE c.day >= @FirstDay AND c.day < @EndDay AND (c.department_kind = 0
         OR (c.department_kind = 2 AND c.department_id IN (SELECT value FROM json_each(@Departments)))
         OR EXISTS (SELECT 1 FROM json_each(NULLIF(c.department_ancestors, '')) a WHERE a.value IN (SELECT value FROM json_each(@Units))))
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.source_type_kind AS k1_kind, COALESCE(r.source_type, '') AS k1, r.source_alias_kind AS k2_kind, COALESCE(r.source_alias, '') AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @Start AND r.ts < @HeadEnd AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @Start / 86400000 - 1 AND vc.day <= @HeadEnd / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units))))) AND r.source_kind <> 0) k
    UNION ALL
    SELECT k.k1_kind, k.k1, k.k2_kind, k.k2, 1 AS total FROM (SELECT r.source_type_kind AS k1_kind, COALESCE(r.source_type, '') AS k1, r.source_alias_kind AS k2_kind, COALESCE(r.source_alias, '') AS k2
    FROM rooms r WHERE r.t = 'l' AND r.ts >= @TailStart AND r.ts < @End AND (r.department_kind = 0
         OR (r.department_kind = 2 AND r.department_id IN (SELECT value FROM json_each(@Departments)))
         OR r.department_ancestors IN (
             SELECT v.ancestors FROM (SELECT DISTINCT vc.department_ancestors AS ancestors FROM room_counts vc
                                      WHERE vc.day >= @TailStart / 86400000 - 1 AND vc.day <= @End / 86400000 + 1) v
             WHERE v.ancestors <> '' AND EXISTS (SELECT 1 FROM json_each(v.ancestors) a WHERE a.value IN (SELECT value FROM json_each(@Units))))) AND r.source_kind <> 0) k
) AS s
GROUP BY s.k1_kind, s.k1, s.k2_kind, s.k2

-- Startup (no parameters)
PRAGMA journal_mode = WAL

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
SELECT DISTINCT id FROM departments WHERE id > @After ORDER BY id LIMIT @Take

-- StoredIds(DepartmentAgent) (@After, @Take)
SELECT DISTINCT id FROM department_agents WHERE id > @After ORDER BY id LIMIT @Take

-- StoredIds(Permission) (@After, @Take)
SELECT DISTINCT permission_id FROM permission_roles WHERE permission_id > @After ORDER BY permission_id LIMIT @Take

-- StoredIds(Role) (@After, @Take)
SELECT DISTINCT id FROM roles WHERE id > @After ORDER BY id LIMIT @Take

-- StoredIds(Room) (@After, @Take)
SELECT DISTINCT id FROM rooms WHERE id > @After ORDER BY id LIMIT @Take

-- StoredIds(UnitMonitor) (@After, @Take)
SELECT DISTINCT id FROM unit_monitors WHERE id > @After ORDER BY id LIMIT @Take

-- StoredIds(User) (@After, @Take)
SELECT DISTINCT id FROM users WHERE id > @After ORDER BY id LIMIT @Take

-- StoredRooms (@Ids)
SELECT id AS Id, t AS T, ts AS TsMs, is_open AS IsOpen, is_queued AS IsQueued, is_on_hold AS IsOnHold, is_closed AS IsClosed,
       department_kind AS DepartmentKind, department_id AS DepartmentId, department_ancestors AS DepartmentAncestors,
       source_kind AS SourceKind, source_type_kind AS SourceTypeKind, source_type AS SourceType, source_alias_kind AS SourceAliasKind,
       source_alias AS SourceAlias, tags_kind AS TagsKind, tags AS Tags, served_by_kind AS ServedByKind, served_by_id AS ServedById
FROM rooms WHERE id IN (SELECT value FROM json_each(@Ids))

-- StoredRoomsPage (@After, @Size)
SELECT id AS Id, t AS T, ts AS TsMs, is_open AS IsOpen, is_queued AS IsQueued, is_on_hold AS IsOnHold, is_closed AS IsClosed,
       department_kind AS DepartmentKind, department_id AS DepartmentId, department_ancestors AS DepartmentAncestors,
       source_kind AS SourceKind, source_type_kind AS SourceTypeKind, source_type AS SourceType, source_alias_kind AS SourceAliasKind,
       source_alias AS SourceAlias, tags_kind AS TagsKind, tags AS Tags, served_by_kind AS ServedByKind, served_by_id AS ServedById
FROM rooms WHERE id > @After ORDER BY id LIMIT @Size

-- UpsertDepartmentAgents (@Id, @AgentId, @DepartmentId, @Username, @DepartmentEnabled)
INSERT INTO department_agents (id, agent_id, department_id, username, department_enabled)
VALUES (@Id, @AgentId, @DepartmentId, @Username, @DepartmentEnabled)
ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, department_id = excluded.department_id, username = excluded.username,
    department_enabled = excluded.department_enabled

-- UpsertDepartments (@Id, @Name, @Type)
INSERT INTO departments (id, name, type) VALUES (@Id, @Name, @Type)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type

-- UpsertRoles (@Id, @Name, @Scope)
INSERT INTO roles (id, name, scope) VALUES (@Id, @Name, @Scope)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, scope = excluded.scope

-- UpsertRooms (@Id, @T, @Ts, @Open, @OnHold, @ServedByKind, @ServedById, @ServedByUsername, @ServedByTs, @ChatDuration, @ClosedAt, @DepartmentKind, @DepartmentId, @DepartmentAncestors, @SourceType, @IsOpen, @IsQueued, @IsOnHold, @IsClosed, @SourceKind, @SourceTypeKind, @SourceAliasKind, @SourceAlias, @TagsKind, @Tags)
INSERT INTO rooms (id, t, ts, open, on_hold, served_by_kind, served_by_id, served_by_username, served_by_ts, chat_duration, closed_at,
                   department_kind, department_id, department_ancestors, source_type, is_open, is_queued, is_on_hold, is_closed, needs_reimport,
                   source_kind, source_type_kind, source_alias_kind, source_alias, tags_kind, tags)
VALUES (@Id, @T, @Ts, @Open, @OnHold, @ServedByKind, @ServedById, @ServedByUsername, @ServedByTs, @ChatDuration, @ClosedAt,
        @DepartmentKind, @DepartmentId, @DepartmentAncestors, @SourceType, @IsOpen, @IsQueued, @IsOnHold, @IsClosed, 0,
        @SourceKind, @SourceTypeKind, @SourceAliasKind, @SourceAlias, @TagsKind, @Tags)
ON CONFLICT (id) DO UPDATE SET
    t = excluded.t, ts = excluded.ts, open = excluded.open, on_hold = excluded.on_hold, served_by_kind = excluded.served_by_kind,
    served_by_id = excluded.served_by_id, served_by_username = excluded.served_by_username, served_by_ts = excluded.served_by_ts,
    chat_duration = excluded.chat_duration, closed_at = excluded.closed_at, department_kind = excluded.department_kind,
    department_id = excluded.department_id, department_ancestors = excluded.department_ancestors, source_type = excluded.source_type,
    is_open = excluded.is_open, is_queued = excluded.is_queued, is_on_hold = excluded.is_on_hold, is_closed = excluded.is_closed,
    needs_reimport = 0, source_kind = excluded.source_kind, source_type_kind = excluded.source_type_kind,
    source_alias_kind = excluded.source_alias_kind, source_alias = excluded.source_alias, tags_kind = excluded.tags_kind, tags = excluded.tags

-- UpsertUnitMonitors (@Id, @UnitId, @MonitorId, @Username)
INSERT INTO unit_monitors (id, unit_id, monitor_id, username) VALUES (@Id, @UnitId, @MonitorId, @Username)
ON CONFLICT (id) DO UPDATE SET unit_id = excluded.unit_id, monitor_id = excluded.monitor_id, username = excluded.username

-- UpsertUsers (@Id, @Username, @Name, @Active)
INSERT INTO users (id, username, name, active) VALUES (@Id, @Username, @Name, @Active)
ON CONFLICT (id) DO UPDATE SET username = excluded.username, name = excluded.name, active = excluded.active

-- UserIdByUsername (@Username)
SELECT id FROM users WHERE username = @Username

-- UserNames (@Ids)
SELECT id AS Id, name AS Name FROM users WHERE id IN (SELECT value FROM json_each(@Ids))
