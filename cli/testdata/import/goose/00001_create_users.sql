-- +goose Up
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    updated_at TEXT
);

-- +goose Down
DROP TABLE users;
