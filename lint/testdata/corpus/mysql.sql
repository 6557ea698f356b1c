-- The MySQL/MariaDB online-DDL corpus: each "-- case:" is linted as the
-- upgrade section of a revision of its own, for the mysql dialect; a
-- "-- server: ..." line first sets lint.server_version for the case.
-- mysql.golden has the findings (go test ./lint -run TestMySQLCorpus -update).

-- case: rails add_column
ALTER TABLE `users` ADD `admin` tinyint(1) DEFAULT 0;

-- case: rails add_column with algorithm
ALTER TABLE `users` ADD `admin` tinyint(1) DEFAULT 0, ALGORITHM=INSTANT;

-- case: rails add_index
CREATE INDEX `index_users_on_email` ON `users` (`email`);

-- case: rails add_foreign_key
ALTER TABLE `comments` ADD CONSTRAINT `fk_rails_2fd19c0db7` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`);

-- case: rails add_reference with foreign key checks off
SET FOREIGN_KEY_CHECKS = 0;
ALTER TABLE `comments` ADD CONSTRAINT `fk_rails_2fd19c0db7` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`), ALGORITHM=INPLACE, LOCK=NONE;
SET FOREIGN_KEY_CHECKS = 1;

-- case: rails change_column_null
ALTER TABLE `users` MODIFY `name` varchar(255) NOT NULL;

-- case: rails change_column_null on a loose 5.6
-- server: mysql 5.6
ALTER TABLE `users` MODIFY `name` varchar(255) NOT NULL;

-- case: rails change_column_null on 8.0
-- server: mysql 8.0.36
ALTER TABLE `users` MODIFY `name` varchar(255) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;

-- case: rails add_column after
-- server: mysql 8.0.28
ALTER TABLE `users` ADD `nickname` varchar(255) AFTER `email`, ALGORITHM=INPLACE, LOCK=NONE;

-- case: rails add_column after on 8.0.29
-- server: mysql 8.0.29
ALTER TABLE `users` ADD `nickname` varchar(255) AFTER `email`, ALGORITHM=INSTANT;

-- case: rails add_column first on mariadb 10.3
-- server: mariadb 10.3
ALTER TABLE `users` ADD `tenant_id` bigint FIRST, ALGORITHM=INPLACE;

-- case: add column after without a version
ALTER TABLE users ADD COLUMN nickname varchar(50) AFTER email, ALGORITHM=INSTANT;

-- case: django add field
ALTER TABLE `blog_entry` ADD COLUMN `rating` integer DEFAULT 0 NOT NULL;

-- case: django add foreign key
ALTER TABLE `blog_entry` ADD CONSTRAINT `blog_entry_blog_id_fk_blog_blog_id` FOREIGN KEY (`blog_id`) REFERENCES `blog_blog` (`id`);

-- case: django check constraint
ALTER TABLE `shop_product` ADD CONSTRAINT `price_gte_0` CHECK (`price` >= 0);

-- case: check not enforced
ALTER TABLE shop_product ADD CONSTRAINT price_gte_0 CHECK (price >= 0) NOT ENFORCED, ALGORITHM=INSTANT;

-- case: django create model with inline reference on mysql 8
-- server: mysql 8.0
CREATE TABLE `blog_comment` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `entry_id` bigint NOT NULL REFERENCES `blog_entry` (`id`));

-- case: inline reference on mariadb
-- server: mariadb 10.11
CREATE TABLE blog_comment (id bigint AUTO_INCREMENT PRIMARY KEY, entry_id bigint NOT NULL REFERENCES blog_entry (id));

-- case: inline reference on mysql 9
-- server: mysql 9.1
CREATE TABLE blog_comment (id bigint AUTO_INCREMENT PRIMARY KEY, entry_id bigint NOT NULL REFERENCES blog_entry (id));

-- case: table-level foreign key in create
CREATE TABLE blog_comment (id bigint AUTO_INCREMENT PRIMARY KEY, entry_id bigint NOT NULL, FOREIGN KEY (entry_id) REFERENCES blog_entry (id));

-- case: convert charset
ALTER TABLE `users` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- case: default charset only
ALTER TABLE users DEFAULT CHARACTER SET utf8mb4, ALGORITHM=INSTANT;

-- case: drop primary key alone
ALTER TABLE order_items DROP PRIMARY KEY;

-- case: replace primary key
ALTER TABLE order_items DROP PRIMARY KEY, ADD PRIMARY KEY (order_id, line_no);

-- case: add primary key to a heap
ALTER TABLE audit_log ADD PRIMARY KEY (id), ALGORITHM=INPLACE, LOCK=NONE;

-- case: myisam to innodb
ALTER TABLE legacy_sessions ENGINE=InnoDB;

-- case: to aria
ALTER TABLE cache ENGINE=Aria;

-- case: optimize by force
ALTER TABLE events FORCE;

-- case: compress
ALTER TABLE events ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8;

-- case: partition by range
ALTER TABLE events PARTITION BY RANGE (YEAR(created_at)) (PARTITION p2024 VALUES LESS THAN (2025), PARTITION pmax VALUES LESS THAN MAXVALUE);

-- case: remove partitioning
ALTER TABLE events REMOVE PARTITIONING;

-- case: mariadb system versioning
ALTER TABLE prices ADD SYSTEM VERSIONING;

-- case: stored generated column
ALTER TABLE orders ADD COLUMN total decimal(12,2) GENERATED ALWAYS AS (quantity * unit_price) STORED;

-- case: virtual generated column
ALTER TABLE orders ADD COLUMN total decimal(12,2) GENERATED ALWAYS AS (quantity * unit_price) VIRTUAL, ALGORITHM=INSTANT;

-- case: fulltext index
ALTER TABLE articles ADD FULLTEXT INDEX articles_body_ft (title, body);

-- case: create fulltext index
CREATE FULLTEXT INDEX articles_body_ft ON articles (body);

-- case: spatial index
ALTER TABLE places ADD SPATIAL INDEX places_location (location);

-- case: auto increment id on a legacy table
ALTER TABLE legacy_rows ADD COLUMN id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;

-- case: expression default
ALTER TABLE accounts ADD COLUMN public_id binary(16) NOT NULL DEFAULT (UUID_TO_BIN(UUID()));

-- case: current timestamp default is instant
ALTER TABLE accounts ADD COLUMN seen_at datetime NULL DEFAULT CURRENT_TIMESTAMP, ALGORITHM=INSTANT;

-- case: move a column
ALTER TABLE users MODIFY COLUMN email varchar(255) NOT NULL AFTER id;

-- case: new table then alter it
CREATE TABLE tags (id int PRIMARY KEY, name varchar(50));
ALTER TABLE tags ADD FULLTEXT INDEX tags_name_ft (name), ADD CONSTRAINT name_len CHECK (CHAR_LENGTH(name) > 0);

-- case: rename table
ALTER TABLE users RENAME TO members;
