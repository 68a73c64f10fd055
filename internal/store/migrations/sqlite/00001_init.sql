-- The first schema of the pkgward store (SQLite). Times are unix
-- microseconds (UTC) in INTEGER columns, JSON is TEXT: the same columns as
-- the other dialect's schema, so one code path serves both.

-- +goose Up
CREATE TABLE checks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL CHECK (kind IN ('package', 'domain', 'email', 'registry')),
    ecosystem  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    version    TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    verdict    TEXT    NOT NULL CHECK (verdict IN ('allow', 'warn', 'block')),
    package    TEXT,
    first_seen INTEGER NOT NULL,
    checked_at INTEGER NOT NULL,
    UNIQUE (kind, ecosystem, name, version, source)
);

CREATE TABLE findings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    check_id   INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    rule       TEXT    NOT NULL,
    severity   TEXT    NOT NULL,
    confidence REAL    NOT NULL,
    message    TEXT    NOT NULL,
    evidence   TEXT,
    checked_at INTEGER NOT NULL,
    ecosystem  TEXT    NOT NULL,
    verdict    TEXT    NOT NULL
);
CREATE INDEX findings_check ON findings (check_id, seq);
CREATE INDEX findings_time ON findings (checked_at DESC, id DESC);
CREATE INDEX findings_rule_time ON findings (rule, checked_at DESC, id DESC);

CREATE TABLE campaigns (
    id         TEXT    PRIMARY KEY,
    confidence REAL    NOT NULL,
    indicators TEXT    NOT NULL,
    size       INTEGER NOT NULL DEFAULT 0,
    first_seen INTEGER,
    last_seen  INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX campaigns_last_seen ON campaigns (last_seen DESC);

CREATE TABLE campaign_members (
    campaign_id TEXT    NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    ecosystem   TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    version     TEXT    NOT NULL,
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, ecosystem, name, version)
);
CREATE INDEX campaign_members_package ON campaign_members (ecosystem, name);

CREATE TABLE feeds (
    ecosystem  TEXT    PRIMARY KEY,
    cursor     TEXT    NOT NULL,
    last_poll  INTEGER NOT NULL,
    errors     INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE feeds;
DROP TABLE campaign_members;
DROP TABLE campaigns;
DROP TABLE findings;
DROP TABLE checks;
