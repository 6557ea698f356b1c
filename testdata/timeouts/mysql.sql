SET NAMES utf8mb4;

-- lock_timeout 4.2s is set as lock_wait_timeout = 5: MySQL and MariaDB count it in whole seconds (rounded up)

-- statement_timeout 1m30s is not set in the script: the server is unknown offline; on MariaDB add SET SESSION max_statement_time = 90; (every statement), on MySQL SET SESSION max_execution_time = 90000; (SELECT statements only)

SET SESSION lock_wait_timeout = 5;

START TRANSACTION;

-- Running upgrade r1 -> r2

INSERT INTO `retort_history` (revision, direction, checksum, started_at, finished_at, duration_ms, db_user, hostname, retort_version, dirty, stmt_index) VALUES ('r2', 'up', '7c0b2f282c2569a7703d31c66c5a4ae6f8596ec5308721dbd4bd63ab332e53a5', UTC_TIMESTAMP(6), NULL, NULL, CURRENT_USER(), 'HOST', '0.1.0-dev', 1, 0);

COMMIT;

CREATE TABLE t2 (id INTEGER);

START TRANSACTION;

UPDATE `retort_history` SET stmt_index = 1 WHERE dirty = 1 AND revision = 'r2';

COMMIT;

CREATE INDEX i2 ON t2 (id);

START TRANSACTION;

UPDATE `retort_version` SET version_num = 'r2' WHERE version_num = 'r1';

UPDATE `retort_history` SET dirty = 0, stmt_index = 2, finished_at = UTC_TIMESTAMP(6) WHERE dirty = 1 AND revision = 'r2';

COMMIT;

SET SESSION lock_wait_timeout = 5;

START TRANSACTION;

-- Running upgrade r2 -> r3

INSERT INTO `retort_history` (revision, direction, checksum, started_at, finished_at, duration_ms, db_user, hostname, retort_version, dirty, stmt_index) VALUES ('r3', 'up', '31e76e86aef9a58f79f0a9ec5ca03f4923ddf9a8b43040f0e61caa735fc8932a', UTC_TIMESTAMP(6), NULL, NULL, CURRENT_USER(), 'HOST', '0.1.0-dev', 1, 0);

COMMIT;

CREATE TABLE t3 (id INTEGER);

START TRANSACTION;

UPDATE `retort_version` SET version_num = 'r3' WHERE version_num = 'r2';

UPDATE `retort_history` SET dirty = 0, stmt_index = 1, finished_at = UTC_TIMESTAMP(6) WHERE dirty = 1 AND revision = 'r3';

COMMIT;

SET SESSION lock_wait_timeout = DEFAULT;

