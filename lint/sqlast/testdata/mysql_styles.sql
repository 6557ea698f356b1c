-- Laravel
create table `users` (`id` bigint unsigned not null auto_increment primary key, `name` varchar(255) not null, `email_verified_at` timestamp null, `remember_token` varchar(100) null, `created_at` timestamp null, `updated_at` timestamp null) default character set utf8mb4 collate 'utf8mb4_unicode_ci';
alter table `users` add unique `users_email_unique`(`email`);
alter table `users` add `is_admin` tinyint(1) not null default '0' after `email`;
alter table `posts` add constraint `posts_user_id_foreign` foreign key (`user_id`) references `users` (`id`) on delete cascade;
-- Flyway / hand-written
ALTER TABLE orders ADD COLUMN flags BIT(8) DEFAULT b'0', ADD COLUMN ratio DOUBLE DEFAULT -0.5 NOT NULL;
ALTER TABLE orders ADD INDEX IF NOT EXISTS idx_flags (flags), ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE orders COMMENT = 'orders table';
ALTER TABLE orders AUTO_INCREMENT = 1000;
ALTER TABLE orders ADD PARTITION (PARTITION p3 VALUES LESS THAN (2030));
ALTER TABLE orders DROP PARTITION p0;
-- MySQL 8 (MariaDB: IGNORED); not on the test servers
ALTER TABLE orders ALTER INDEX idx_flags INVISIBLE;
ALTER TABLE orders MODIFY COLUMN status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new';
ALTER TABLE orders CHARACTER SET utf8mb4;
CREATE TABLE logs (id INT PRIMARY KEY, msg TEXT) PARTITION BY HASH(id) PARTITIONS 4;
CREATE TABLE t5 (a INT) IGNORE SELECT 1;
SET @saved = @@foreign_key_checks;
SET FOREIGN_KEY_CHECKS = 0;
SET GLOBAL max_connections = 200;
