-- Where following Rocket.Chat's MongoDB has got to, per stream: see the SQLite twin of this migration.
CREATE TABLE dbo.sync_state (
    stream       varchar(64)   NOT NULL CONSTRAINT pk_sync_state PRIMARY KEY,
    resume_token nvarchar(max) NULL,
    watermark    bigint        NULL,
    applied_at   bigint        NOT NULL
);
