-- dialect: mysql
-- case: rails create_table
CREATE TABLE `posts` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `title` varchar(255) NOT NULL, `body` text, `user_id` bigint NOT NULL, `created_at` datetime(6) NOT NULL, `updated_at` datetime(6) NOT NULL, INDEX `index_posts_on_user_id` (`user_id`));
-- case: rails int primary key
CREATE TABLE `legacy` (`id` int NOT NULL AUTO_INCREMENT PRIMARY KEY, `name` varchar(255) NOT NULL);
-- case: rails add_column not null without default
ALTER TABLE `users` ADD `tenant_id` bigint NOT NULL;
-- case: rails add_column with default
ALTER TABLE `users` ADD `admin` tinyint(1) DEFAULT 0 NOT NULL;
-- case: rails remove_column
ALTER TABLE `users` DROP COLUMN `legacy_token`;
-- case: rails change_column
ALTER TABLE `users` MODIFY `age` bigint NOT NULL;
-- case: rails change_column_null true
ALTER TABLE `users` MODIFY `phone` varchar(20) NULL;
-- case: rails change_column without null
ALTER TABLE `users` MODIFY `nickname` varchar(50);
-- case: rails remove_foreign_key
ALTER TABLE `comments` DROP FOREIGN KEY `fk_rails_2fd19c0db7`;
-- case: rails add_index unique
CREATE UNIQUE INDEX `index_users_on_email` ON `users` (`email`);
-- case: mariadb create or replace
CREATE OR REPLACE TABLE settings (id bigint NOT NULL PRIMARY KEY, name varchar(100) NOT NULL);
-- case: django create model with enum-like choices
CREATE TABLE `shop_order` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `status` varchar(10) NOT NULL, `placed_at` datetime(6) NOT NULL);
-- case: django add unique
ALTER TABLE `shop_customer` ADD CONSTRAINT `shop_customer_email_uniq` UNIQUE (`email`);
-- case: django add check
ALTER TABLE `shop_order` ADD CONSTRAINT `total_gte_0` CHECK (`total` >= 0);
-- case: hand-written enum column
ALTER TABLE orders ADD COLUMN state ENUM('new','paid','shipped') NOT NULL DEFAULT 'new';
-- case: hand-written char uuid
CREATE TABLE session (id char(36) NOT NULL PRIMARY KEY, user_id bigint NOT NULL, data json NOT NULL);
-- case: hand-written drop primary key
ALTER TABLE audit DROP PRIMARY KEY, ADD PRIMARY KEY (id, created_at);
-- case: hand-written wide key
ALTER TABLE orders ADD INDEX idx_report (customer_id, status, placed_at, total);
-- case: hand-written insert set twice
INSERT INTO settings SET name = 'a', value = 'b', name = 'c';
-- case: hand-written check not enforced
ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0) NOT ENFORCED;
-- case: hand-written table without key
CREATE TABLE import_log (line int NOT NULL, message text NOT NULL);
-- case: mysql change column rename and type
ALTER TABLE orders CHANGE COLUMN total total_cents bigint NOT NULL;
-- case: mysql add nullable column explicit
ALTER TABLE orders ADD COLUMN shipped_at datetime NULL AFTER placed_at;
-- case: mysql add unique column with default
ALTER TABLE orders ADD COLUMN code varchar(20) NOT NULL DEFAULT '' UNIQUE;
-- case: mysql foreign key not valid does not exist
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customer (id);
-- case: mysql mediumint key
CREATE TABLE region (id mediumint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL);
-- case: mysql create like
CREATE TABLE orders_archive LIKE orders;
-- case: mysql modify to not null with default
ALTER TABLE orders MODIFY status varchar(20) NOT NULL DEFAULT 'new';
-- case: mysql drop check
ALTER TABLE orders DROP CHECK chk_total;
-- case: mysql update same column twice
UPDATE orders SET status = 'a', status = 'b' WHERE id = 1;
-- case: mysql created table altered
CREATE TABLE coupon (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, code varchar(20) NOT NULL);
ALTER TABLE coupon ADD COLUMN amount int NOT NULL, ADD UNIQUE KEY uk_code (code);
