-- Where following Rocket.Chat's MongoDB has got to, per stream (a change stream, or a poll of one collection): the
-- resume token of the last change applied, or the _updatedAt watermark of a poll. Written in the same transaction as
-- the changes it covers, so a crash never loses or applies a change twice.
CREATE TABLE sync_state (
    stream       TEXT    NOT NULL PRIMARY KEY,
    resume_token TEXT    NULL,     -- the change event's _id, as Extended JSON
    watermark    INTEGER NULL,     -- Unix milliseconds
    applied_at   INTEGER NOT NULL  -- when the last batch was applied, Unix milliseconds
) WITHOUT ROWID;
