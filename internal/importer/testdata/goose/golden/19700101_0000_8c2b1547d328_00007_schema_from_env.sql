-- revision: 8c2b1547d328
-- down_revision: 5e49d3e88217
-- branch_labels:
-- depends_on:
-- message: schema from env
-- create_date:
-- imported from goose: 00007_schema_from_env.sql (version 00007)

-- +upgrade
CREATE TABLE ${APP_SCHEMA}.audit (id INTEGER PRIMARY KEY);

-- +downgrade
DROP TABLE ${APP_SCHEMA}.audit;
