-- Every query that reads rooms by creation time (the partial hours of a range, a restricted caller's rooms) reads only
-- this index: it holds every column they use, t included (SQLite counts the partial index's own condition as a column
-- use). Before, each room of a range was also looked up in the table: at ten million rooms a partial hour's agents,
-- sources or tags took 2-19 ms, against 1-5 ms from the index alone (docs/performance.md).
DROP INDEX ix_rooms_livechat_ts;
CREATE INDEX ix_rooms_livechat_ts ON rooms (
    ts, is_open, is_queued, is_on_hold, is_closed, department_kind, department_id, department_ancestors,
    served_by_kind, served_by_id, source_kind, source_type_kind, source_type, source_alias_kind, source_alias, tags_kind, tags, t)
    WHERE t = 'l';
