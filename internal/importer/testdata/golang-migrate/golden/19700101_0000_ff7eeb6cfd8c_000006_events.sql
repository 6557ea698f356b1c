-- revision: ff7eeb6cfd8c
-- down_revision: ab002a862313
-- branch_labels:
-- depends_on:
-- message: events
-- create_date:
-- imported from golang-migrate: 000006_events.up.sql (version 000006)
-- downgrade from 000006_events.down.sql

-- +upgrade
CREATE TABLE events (id INTEGER PRIMARY KEY, at TIMESTAMP);

-- +downgrade
DROP TABLE events;
