-- The compact signatures of some members of each campaign (JSON), which
-- the gate's campaign matcher compares new packages with.

-- +goose Up
ALTER TABLE campaigns ADD COLUMN sigs TEXT;

-- +goose Down
ALTER TABLE campaigns DROP COLUMN sigs;
