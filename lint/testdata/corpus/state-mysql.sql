-- The schema before each case, made on a scratch MySQL/MariaDB database
-- and reflected (the catalogue's C rules read it):
-- before:
CREATE TABLE users (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, email varchar(191) NOT NULL, name varchar(60) NOT NULL, bio text, role enum('member','admin') NOT NULL DEFAULT 'member', prefs set('news','digest','beta'), country char(2) CHARACTER SET ascii, balance decimal(12,2) NOT NULL DEFAULT 0, login_count int NOT NULL DEFAULT 0, nickname varchar(40) NULL, UNIQUE KEY users_email_unique (email), KEY users_name_index (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE posts (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id bigint unsigned NOT NULL, title varchar(200) NOT NULL, body mediumtext, status enum('draft','published','archived') NOT NULL, published_at datetime(6), KEY posts_user_id_status_index (user_id, status), FULLTEXT KEY posts_body_fulltext (body), CONSTRAINT posts_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE tags (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, slug varchar(50) CHARACTER SET latin1 NOT NULL, label varchar(50)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- case: laravel string widened across 255 bytes
ALTER TABLE `users` MODIFY `name` varchar(100) NOT NULL;
-- case: laravel string widened within 255 bytes
ALTER TABLE `users` MODIFY `name` varchar(63) NOT NULL;
-- case: latin1 widened to 255 bytes
ALTER TABLE tags MODIFY slug varchar(255) CHARACTER SET latin1 NOT NULL;
-- case: latin1 widened past 255 bytes
ALTER TABLE tags MODIFY slug varchar(256) CHARACTER SET latin1 NOT NULL;
-- case: rails enum value appended
ALTER TABLE `users` MODIFY `role` enum('member','admin','owner') NOT NULL DEFAULT 'member';
-- case: enum value inserted in the middle
ALTER TABLE `users` MODIFY `role` enum('member','moderator','admin') NOT NULL DEFAULT 'member';
-- case: enum value renamed
ALTER TABLE posts MODIFY status enum('draft','live','archived') NOT NULL;
-- case: set member appended
ALTER TABLE users MODIFY prefs set('news','digest','beta','sms');
-- case: decimal to whole units
ALTER TABLE users MODIFY balance decimal(12,0) NOT NULL DEFAULT 0;
-- case: int to smallint
ALTER TABLE users MODIFY login_count smallint NOT NULL DEFAULT 0;
-- case: shorter email
ALTER TABLE users MODIFY email varchar(100) NOT NULL;
-- case: not null without a backfill
ALTER TABLE users MODIFY nickname varchar(40) NOT NULL;
-- case: not null after a backfill
UPDATE users SET nickname = '' WHERE nickname IS NULL;
ALTER TABLE users MODIFY nickname varchar(40) NOT NULL;
-- case: fewer fractional seconds
ALTER TABLE posts MODIFY published_at datetime NULL;
-- case: text converted to latin1
ALTER TABLE users MODIFY bio text CHARACTER SET latin1;
-- case: column added to a table with a fulltext index
ALTER TABLE posts ADD COLUMN excerpt varchar(255) NULL;
-- case: column added to a table without one
ALTER TABLE users ADD COLUMN last_seen_at datetime NULL;
-- case: index that is a prefix of another
ALTER TABLE posts ADD INDEX posts_user_id_index (user_id);
-- case: index made unique
ALTER TABLE users ADD UNIQUE INDEX users_name_unique (name);
-- case: drop a referenced table
DROP TABLE users;
-- case: drop a foreign key column
ALTER TABLE posts DROP COLUMN user_id;
-- case: drop the foreign key, then the table
ALTER TABLE posts DROP FOREIGN KEY posts_user_id_foreign;
DROP TABLE users;
-- case: foreign key signed against unsigned
ALTER TABLE tags ADD COLUMN owner_id bigint NULL, ADD CONSTRAINT tags_owner_id_foreign FOREIGN KEY (owner_id) REFERENCES users (id);
-- case: foreign key of the key's type
ALTER TABLE tags ADD COLUMN owner_id bigint unsigned NULL, ADD CONSTRAINT tags_owner_id_foreign FOREIGN KEY (owner_id) REFERENCES users (id);
-- case: text to varchar
ALTER TABLE users MODIFY bio varchar(500);
-- case: laravel change() that leaves nullable() out
ALTER TABLE users MODIFY name varchar(60);
-- case: int restated with its display width
ALTER TABLE users MODIFY login_count int(11) NOT NULL DEFAULT 0;
-- case: char to varchar
ALTER TABLE users MODIFY country varchar(2) CHARACTER SET ascii;
-- case: latin1 column converted to utf8mb4
ALTER TABLE tags MODIFY slug varchar(50) CHARACTER SET utf8mb4 NOT NULL;
