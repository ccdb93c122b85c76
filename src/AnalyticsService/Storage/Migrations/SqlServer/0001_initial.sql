-- Rocket.Chat's omnichannel data, as far as the dashboards need it. Instants are datetime2(3) in UTC.
-- Ids are Meteor ids (17 characters), ObjectIds (24 hex digits) or names (permissions, roles): ASCII, 64 at most.
CREATE TABLE dbo.rooms (
    id                   varchar(64)    NOT NULL CONSTRAINT pk_rooms PRIMARY KEY,
    t                    varchar(8)     NOT NULL,                 -- room type; 'l' is omnichannel
    ts                   datetime2(3)   NOT NULL,                 -- creation time
    [open]               bit            NOT NULL CONSTRAINT df_rooms_open DEFAULT 0,
    on_hold              bit            NOT NULL CONSTRAINT df_rooms_on_hold DEFAULT 0,
    served_by_id         varchar(64)    NULL,                     -- servedBy._id; NULL when the room has no servedBy
    served_by_username   nvarchar(255)  NULL,
    served_by_ts         datetime2(3)   NULL,
    chat_duration        float          NULL,                     -- metrics.chatDuration, seconds; set on close
    closed_at            datetime2(3)   NULL,
    department_id        varchar(64)    NULL,
    department_ancestors varchar(1000)  NULL,                     -- departmentAncestors as a JSON array
    source_type          varchar(32)    NULL
);
GO
-- Covers the status counts, monitor scoping included: only omnichannel rooms, by creation time.
CREATE INDEX ix_rooms_livechat_ts ON dbo.rooms (ts)
    INCLUDE ([open], on_hold, served_by_id, chat_duration, department_id, department_ancestors)
    WHERE t = 'l';
GO
CREATE TABLE dbo.users (
    id       varchar(64)   NOT NULL CONSTRAINT pk_users PRIMARY KEY,
    username nvarchar(255) NULL,
    name     nvarchar(255) NULL,
    active   bit           NOT NULL CONSTRAINT df_users_active DEFAULT 1
);
CREATE INDEX ix_users_username ON dbo.users (username);

CREATE TABLE dbo.user_roles (
    user_id varchar(64) NOT NULL,
    role_id varchar(64) NOT NULL,
    CONSTRAINT pk_user_roles PRIMARY KEY (user_id, role_id)
);

-- services.resume.loginTokens: only base64(sha256(token)), 44 characters, never the token.
CREATE TABLE dbo.login_tokens (
    user_id      varchar(64)  NOT NULL,
    hashed_token varchar(64)  NOT NULL,
    created_at   datetime2(3) NULL,
    CONSTRAINT pk_login_tokens PRIMARY KEY (user_id, hashed_token)
);

CREATE TABLE dbo.roles (
    id    varchar(64)   NOT NULL CONSTRAINT pk_roles PRIMARY KEY,
    name  nvarchar(255) NOT NULL,
    scope varchar(32)   NULL
);

CREATE TABLE dbo.permission_roles (
    permission_id varchar(128) NOT NULL,
    role_id       varchar(64)  NOT NULL,
    CONSTRAINT pk_permission_roles PRIMARY KEY (permission_id, role_id)
);

CREATE TABLE dbo.departments (
    id   varchar(64)   NOT NULL CONSTRAINT pk_departments PRIMARY KEY,
    name nvarchar(255) NULL,
    type varchar(8)    NULL -- 'u' marks a unit
);

CREATE TABLE dbo.department_ancestors (
    department_id varchar(64) NOT NULL,
    ancestor_id   varchar(64) NOT NULL,
    CONSTRAINT pk_department_ancestors PRIMARY KEY (department_id, ancestor_id)
);

CREATE TABLE dbo.unit_monitors (
    id         varchar(64)   NOT NULL CONSTRAINT pk_unit_monitors PRIMARY KEY,
    unit_id    varchar(64)   NOT NULL,
    monitor_id varchar(64)   NOT NULL,
    username   nvarchar(255) NULL
);
CREATE INDEX ix_unit_monitors_monitor ON dbo.unit_monitors (monitor_id) INCLUDE (unit_id);
