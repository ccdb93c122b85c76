-- What the Reports page's other charts group rooms by: see the SQLite twin of this migration.
ALTER TABLE dbo.rooms ADD
    source_kind       tinyint        NOT NULL CONSTRAINT df_rooms_source_kind DEFAULT 0,
    source_type_kind  tinyint        NOT NULL CONSTRAINT df_rooms_source_type_kind DEFAULT 0,
    source_alias_kind tinyint        NOT NULL CONSTRAINT df_rooms_source_alias_kind DEFAULT 0,
    source_alias      nvarchar(255)  NULL,
    tags_kind         tinyint        NOT NULL CONSTRAINT df_rooms_tags_kind DEFAULT 0,
    tags              nvarchar(max)  NULL;
GO
UPDATE dbo.rooms SET
    source_kind      = CASE WHEN source_type IS NULL THEN 0 ELSE 2 END,
    source_type_kind = CASE WHEN source_type IS NULL THEN 0 ELSE 2 END,
    needs_reimport   = 1;
