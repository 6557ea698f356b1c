-- +goose Up
-- +downgrade is not a goose annotation, but retort would read it
ALTER TABLE users ADD COLUMN name TEXT;
