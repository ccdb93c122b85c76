-- Rocket.Chat's omnichannel data, as far as the dashboards need it. Instants are Unix milliseconds (UTC).
CREATE TABLE rooms (
    id                 TEXT    NOT NULL PRIMARY KEY, -- rocketchat_room._id
    t                  TEXT    NOT NULL,             -- room type; 'l' is omnichannel
    ts                 INTEGER NOT NULL,             -- creation time
    open               INTEGER NOT NULL DEFAULT 0,
    on_hold            INTEGER NOT NULL DEFAULT 0,
    served_by_id       TEXT    NULL,                 -- servedBy._id; NULL when no agent took the room
    served_by_username TEXT    NULL,
    served_by_ts       INTEGER NULL,
    chat_duration      REAL    NULL,                 -- metrics.chatDuration, seconds; set on close
    closed_at          INTEGER NULL,
    department_id      TEXT    NULL,
    department_ancestors TEXT  NULL,             -- departmentAncestors as a JSON array; read only to scope monitors
    source_type        TEXT    NULL
);
-- Covers the status counts: only omnichannel rooms, by creation time.
CREATE INDEX ix_rooms_livechat_ts ON rooms (ts, open, on_hold, served_by_id, chat_duration, department_id) WHERE t = 'l';

CREATE TABLE users (
    id       TEXT    NOT NULL PRIMARY KEY,
    username TEXT    NULL,
    name     TEXT    NULL,
    active   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_users_username ON users (username);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL,
    role_id TEXT NOT NULL,
    PRIMARY KEY (user_id, role_id)
) WITHOUT ROWID;

-- services.resume.loginTokens: only base64(sha256(token)), never the token.
CREATE TABLE login_tokens (
    user_id      TEXT    NOT NULL,
    hashed_token TEXT    NOT NULL,
    created_at   INTEGER NULL,
    PRIMARY KEY (user_id, hashed_token)
) WITHOUT ROWID;

CREATE TABLE roles (
    id    TEXT NOT NULL PRIMARY KEY,
    name  TEXT NOT NULL,
    scope TEXT NULL
);

CREATE TABLE permission_roles (
    permission_id TEXT NOT NULL,
    role_id       TEXT NOT NULL,
    PRIMARY KEY (permission_id, role_id)
) WITHOUT ROWID;

CREATE TABLE departments (
    id   TEXT NOT NULL PRIMARY KEY,
    name TEXT NULL,
    type TEXT NULL -- 'u' marks a unit
);

CREATE TABLE department_ancestors (
    department_id TEXT NOT NULL,
    ancestor_id   TEXT NOT NULL,
    PRIMARY KEY (department_id, ancestor_id)
) WITHOUT ROWID;

CREATE TABLE unit_monitors (
    id         TEXT NOT NULL PRIMARY KEY,
    unit_id    TEXT NOT NULL,
    monitor_id TEXT NOT NULL,
    username   TEXT NULL
);
CREATE INDEX ix_unit_monitors_monitor ON unit_monitors (monitor_id, unit_id);
