-- +goose ENVSUB ON
-- +goose Up
CREATE TABLE ${APP_SCHEMA}.audit (id INTEGER PRIMARY KEY);
-- +goose ENVSUB OFF

-- +goose Down
DROP TABLE ${APP_SCHEMA}.audit;
