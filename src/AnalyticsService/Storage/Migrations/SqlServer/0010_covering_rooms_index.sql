-- Every query that reads rooms by creation time (the partial hours of a range, a restricted caller's rooms) reads only
-- this index: it now includes the columns the four other reports group by, so no room is looked up in the table.
DROP INDEX ix_rooms_livechat_ts ON dbo.rooms;
CREATE INDEX ix_rooms_livechat_ts ON dbo.rooms (ts)
    INCLUDE (is_open, is_queued, is_on_hold, is_closed, department_kind, department_id, department_ancestors,
             served_by_kind, served_by_id, source_kind, source_type_kind, source_type, source_alias_kind, source_alias, tags_kind, tags)
    WHERE t = 'l';
