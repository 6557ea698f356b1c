-- dialect: mysql
-- Near misses of every MySQL/MariaDB rule, and the rules the other corpus
-- files do not reach (the format is rules-postgres.sql's).

-- case: drop system versioning
ALTER TABLE price_history DROP SYSTEM VERSIONING;

-- case: drop a partition of a versioned table
-- near miss: RT109
ALTER TABLE price_history DROP PARTITION p2019;

-- case: not null with an explicit default
-- near miss: RT204 RT203
ALTER TABLE `users` ADD COLUMN `score` int NOT NULL DEFAULT 0;

-- case: instant add column
-- near miss: RT401 RT404 RT413
ALTER TABLE `users` ADD COLUMN `nickname` varchar(50) NULL, ALGORITHM=INSTANT;

-- case: virtual generated column
-- near miss: RT402
ALTER TABLE orders ADD COLUMN total_cents bigint AS (total * 100) VIRTUAL;

-- case: plain index online
-- near miss: RT403 RT410
ALTER TABLE orders ADD INDEX idx_orders_customer (customer_id), ALGORITHM=INPLACE, LOCK=NONE;

-- case: constant default
-- near miss: RT405
ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';

-- case: add column after on mysql 8.0.29
-- server: mysql 8.0.29
-- near miss: RT406
ALTER TABLE users ADD COLUMN nickname varchar(50) NULL AFTER email;

-- case: table-level foreign key on mysql 8.0
-- server: mysql 8.0
-- near miss: RT407
CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint NOT NULL, FOREIGN KEY (post_id) REFERENCES posts (id));

-- case: foreign key in a new table
-- near miss: RT408
CREATE TABLE line_item (id bigint PRIMARY KEY, order_id bigint NOT NULL, CONSTRAINT fk_line_item_order FOREIGN KEY (order_id) REFERENCES orders (id));

-- case: check in a new table
-- near miss: RT409
CREATE TABLE coupon (id bigint PRIMARY KEY, percent int NOT NULL, CONSTRAINT coupon_percent CHECK (percent BETWEEN 0 AND 100));

-- case: explicit copy algorithm
ALTER TABLE orders MODIFY note text NULL, ALGORITHM=COPY;

-- case: explicit shared lock
ALTER TABLE orders ADD INDEX idx_orders_note (note(20)), LOCK=SHARED;

-- case: not null under strict mode
-- server: mysql 8.0.36
-- near miss: RT414
ALTER TABLE users MODIFY email varchar(255) NOT NULL;

-- case: two ddl statements in one revision
ALTER TABLE orders ADD COLUMN note text NULL;
CREATE INDEX idx_orders_placed ON orders (placed_at);

-- case: one ddl statement per revision
-- near miss: RT415
ALTER TABLE orders ADD COLUMN note text NULL, ADD INDEX idx_orders_placed (placed_at);

-- case: auto increment in a new table
-- near miss: RT416
CREATE TABLE audit (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, action varchar(50) NOT NULL);

-- case: identifier longer than 64 characters
CREATE INDEX idx_subscription_reminder_attempts_on_subscription_id_and_created ON subscription_reminder_attempts (subscription_id, created_at);

-- case: identifier of 64 characters
-- near miss: RT806
CREATE INDEX idx_subscription_reminder_attempts_on_subscription_id_and_create ON subscription_reminder_attempts (subscription_id, created_at);

-- case: laravel drop table
DROP TABLE IF EXISTS `password_resets`;

-- case: drop database
DROP DATABASE legacy_shop;

-- case: truncate a cache table
TRUNCATE TABLE `cache`;

-- case: backfill of a whole table
UPDATE `orders` SET `currency` = 'EUR';

-- case: transaction never committed
START TRANSACTION;
UPDATE `orders` SET `currency` = 'EUR' WHERE `id` BETWEEN 1 AND 1000;

-- case: explicit transaction around a backfill
-- near miss: RT703
START TRANSACTION;
UPDATE `orders` SET `currency` = 'EUR' WHERE `id` BETWEEN 1 AND 1000;
COMMIT;

-- case: revision without a downgrade
-- +upgrade
ALTER TABLE orders ADD COLUMN note text NULL;

-- case: camel case names, naming convention enabled
-- enable: RT808
CREATE TABLE `OrderLine` (`id` bigint PRIMARY KEY, `orderId` bigint NOT NULL);

-- case: unterminated string
ALTER TABLE orders ADD COLUMN note text DEFAULT 'oops;

-- case: suppression of a rule that does not fire
-- retort:ignore RT101 the table was archived first
ALTER TABLE orders ADD COLUMN note text NULL;

-- case: suppression without a reason
-- retort:ignore RT101
DROP TABLE legacy_orders;
