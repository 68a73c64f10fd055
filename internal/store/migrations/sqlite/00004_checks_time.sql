-- Checks by time: the dashboard's chart (Series) and the campaign job's
-- recent records (RecentPackages) read a window of checked_at; without
-- this index each read scanned every check.

-- +goose Up
CREATE INDEX checks_checked_at ON checks (checked_at);

-- +goose Down
DROP INDEX checks_checked_at;
