-- Stretches of a feed that could no longer be read (a reset sequence, an
-- overflowed "latest" list): recorded, never skipped silently.

-- +goose Up
CREATE TABLE feed_gaps (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ecosystem   TEXT    NOT NULL,
    from_cursor TEXT    NOT NULL,
    to_cursor   TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    found_at    INTEGER NOT NULL
);
CREATE INDEX feed_gaps_eco ON feed_gaps (ecosystem, found_at DESC);

-- +goose Down
DROP TABLE feed_gaps;
