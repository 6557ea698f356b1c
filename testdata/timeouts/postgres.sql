SET lock_timeout = '4200ms';

SET statement_timeout = '90s';

BEGIN;

-- Running upgrade r1 -> r2

INSERT INTO "retort_history" (revision, direction, checksum, started_at, finished_at, duration_ms, db_user, hostname, retort_version, dirty, stmt_index) VALUES ('r2', 'up', '7c0b2f282c2569a7703d31c66c5a4ae6f8596ec5308721dbd4bd63ab332e53a5', (clock_timestamp() AT TIME ZONE 'UTC'), NULL, NULL, current_user, 'HOST', '0.1.0-dev', 1, 0);

COMMIT;

BEGIN;

CREATE TABLE t2 (id INTEGER);

UPDATE "retort_history" SET stmt_index = 1 WHERE dirty = 1 AND revision = 'r2';

COMMIT;

CREATE INDEX i2 ON t2 (id);

BEGIN;

UPDATE "retort_version" SET version_num = 'r2' WHERE version_num = 'r1';

UPDATE "retort_history" SET dirty = 0, stmt_index = 2, finished_at = (clock_timestamp() AT TIME ZONE 'UTC') WHERE dirty = 1 AND revision = 'r2';

COMMIT;

BEGIN;

SET LOCAL lock_timeout = '4200ms';

SET LOCAL statement_timeout = '90s';

-- Running upgrade r2 -> r3

CREATE TABLE t3 (id INTEGER);

INSERT INTO "retort_history" (revision, direction, checksum, started_at, finished_at, duration_ms, db_user, hostname, retort_version, dirty, stmt_index) VALUES ('r3', 'up', '31e76e86aef9a58f79f0a9ec5ca03f4923ddf9a8b43040f0e61caa735fc8932a', (clock_timestamp() AT TIME ZONE 'UTC'), (clock_timestamp() AT TIME ZONE 'UTC'), NULL, current_user, 'HOST', '0.1.0-dev', 0, 1);

UPDATE "retort_version" SET version_num = 'r3' WHERE version_num = 'r2';

COMMIT;

RESET lock_timeout;

RESET statement_timeout;

