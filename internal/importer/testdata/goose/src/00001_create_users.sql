-- Users of the application.
-- +goose Up
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    updated_at TIMESTAMP
);

-- +goose Down
DROP TABLE users;
