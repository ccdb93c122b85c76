-- What the Reports page's other charts group rooms by (docs/behaviour.md, "Data"): where a room came from, its tags.
--   source_kind, source_type_kind, source_alias_kind: how source, source.type and source.alias are held (0 absent,
--     1 null, 2 a value); source_type (already kept) and source_alias their values;
--   tags_kind: how tags is held; tags: its elements as a JSON array ('[]' when empty).
ALTER TABLE rooms ADD COLUMN source_kind       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN source_type_kind  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN source_alias_kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN source_alias      TEXT    NULL;
ALTER TABLE rooms ADD COLUMN tags_kind         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN tags              TEXT    NULL;

-- Earlier releases kept source.type only, and no tags: what they stored is carried over, and every room is marked
-- for the re-import that brings the rest (the service asks for it at start-up).
UPDATE rooms SET
    source_kind      = CASE WHEN source_type IS NULL THEN 0 ELSE 2 END,
    source_type_kind = CASE WHEN source_type IS NULL THEN 0 ELSE 2 END,
    needs_reimport   = 1;
