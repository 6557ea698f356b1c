package lint

import "testing"

// ruleCase is one statement (or revision body) and whether a rule fires
// on it.
type ruleCase struct {
	name, dialect, code, sql string
	fires                    bool
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := lintText(t, tc.dialect, tc.sql, Settings{})
			if has(got, tc.code) != tc.fires {
				t.Errorf("%s fired = %v, want %v: %v", tc.code, !tc.fires, tc.fires, codes(got))
			}
		})
	}
}

func TestLintMySQLOnlineRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// RT401 alter-copies-table
		{"convert charset", MySQL, "RT401", "ALTER TABLE `users` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;", true},
		{"default charset only", MySQL, "RT401", "ALTER TABLE users DEFAULT CHARSET=utf8mb4;", false},
		{"drop pk alone", MySQL, "RT401", "ALTER TABLE order_items DROP PRIMARY KEY;", true},
		{"drop and add pk", MySQL, "RT401", "ALTER TABLE order_items DROP PRIMARY KEY, ADD PRIMARY KEY (order_id, line_no);", false},
		{"engine change", MySQL, "RT401", "ALTER TABLE sessions ENGINE=MyISAM;", true},
		{"engine innodb is a rebuild", MySQL, "RT401", "ALTER TABLE sessions ENGINE=InnoDB;", false},
		{"partition by", MySQL, "RT401", "ALTER TABLE events PARTITION BY RANGE (year(created_at)) (PARTITION p2024 VALUES LESS THAN (2025), PARTITION pmax VALUES LESS THAN MAXVALUE);", true},
		{"system versioning", MySQL, "RT401", "ALTER TABLE prices ADD SYSTEM VERSIONING;", true},
		{"add column instant", MySQL, "RT401", "ALTER TABLE users ADD COLUMN nickname varchar(50) NULL;", false},
		{"created earlier", MySQL, "RT401", "CREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t CONVERT TO CHARACTER SET utf8mb4;", false},
		// RT404 alter-rebuilds-table
		{"null engine rebuild", MySQL, "RT404", "ALTER TABLE sessions ENGINE=InnoDB;", true},
		{"add primary key", MySQL, "RT404", "ALTER TABLE `logs` ADD PRIMARY KEY (`id`);", true},
		{"replace primary key", MySQL, "RT404", "ALTER TABLE order_items DROP PRIMARY KEY, ADD PRIMARY KEY (order_id, line_no);", true},
		{"force", MySQL, "RT404", "ALTER TABLE logs FORCE;", true},
		{"row format", MySQL, "RT404", "ALTER TABLE logs ROW_FORMAT=DYNAMIC;", true},
		{"move column", MySQL, "RT404", "ALTER TABLE users MODIFY COLUMN email varchar(255) NOT NULL AFTER id;", true},
		{"modify in place", MySQL, "RT404", "ALTER TABLE users MODIFY COLUMN email varchar(255) NOT NULL;", false},
		{"add index", MySQL, "RT404", "ALTER TABLE users ADD INDEX email_idx (email);", false},
		{"pk on created table", MySQL, "RT404", "CREATE TABLE logs (id int);\nALTER TABLE logs ADD PRIMARY KEY (id);", false},
		// RT413 guard-with-algorithm
		{"rails add column", MySQL, "RT413", "ALTER TABLE `users` ADD `admin` tinyint(1) DEFAULT 0;", true},
		{"create index is in place anyway", MySQL, "RT413", "CREATE INDEX `index_users_on_email` ON `users` (`email`);", false},
		{"algorithm instant", MySQL, "RT413", "ALTER TABLE users ADD COLUMN admin tinyint(1) DEFAULT 0, ALGORITHM=INSTANT;", false},
		{"lock none", MySQL, "RT413", "ALTER TABLE users ADD INDEX email_idx (email), LOCK=NONE;", false},
		{"rename only", MySQL, "RT413", "ALTER TABLE users RENAME TO members;", false},
		{"created table", MySQL, "RT413", "CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a int;", false},
		// RT416 auto-increment-sbr
		{"auto increment add", MySQL, "RT416", "ALTER TABLE legacy ADD COLUMN id int unsigned NOT NULL AUTO_INCREMENT, ADD PRIMARY KEY (id);", true},
		{"plain add", MySQL, "RT416", "ALTER TABLE legacy ADD COLUMN seq int NOT NULL DEFAULT 0;", false},
		{"auto increment in create", MySQL, "RT416", "CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY);", false},
		// RT402 add-stored-generated-column
		{"stored generated", MySQL, "RT402", "ALTER TABLE orders ADD total decimal(10,2) AS (qty * price) STORED;", true},
		{"persistent mariadb", MySQL, "RT402", "ALTER TABLE orders ADD COLUMN total decimal(10,2) AS (qty * price) PERSISTENT;", true},
		{"virtual generated", MySQL, "RT402", "ALTER TABLE orders ADD COLUMN total decimal(10,2) AS (qty * price);", false},
		{"stored in create", MySQL, "RT402", "CREATE TABLE o (qty int, price int, total int AS (qty * price) STORED);", false},
		// RT403 alter-blocks-writes
		{"fulltext alter", MySQL, "RT403", "ALTER TABLE posts ADD FULLTEXT KEY posts_body (body);", true},
		{"fulltext create index", MySQL, "RT403", "CREATE FULLTEXT INDEX posts_body ON posts (title, body);", true},
		{"spatial index", MySQL, "RT403", "ALTER TABLE places ADD SPATIAL INDEX places_geo (geo);", true},
		{"auto increment column", MySQL, "RT403", "ALTER TABLE legacy ADD COLUMN id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;", true},
		{"plain index", MySQL, "RT403", "CREATE INDEX posts_author ON posts (author_id);", false},
		{"fulltext on new table", MySQL, "RT403", "CREATE TABLE posts (id int, body text);\nCREATE FULLTEXT INDEX posts_body ON posts (body);", false},
		// RT405 add-column-expression-default
		{"uuid default", MySQL, "RT405", "ALTER TABLE accounts ADD COLUMN public_id binary(16) NOT NULL DEFAULT (uuid_to_bin(uuid()));", true},
		{"json default", MySQL, "RT405", "ALTER TABLE settings ADD COLUMN prefs json DEFAULT ('{}');", true},
		{"literal default", MySQL, "RT405", "ALTER TABLE accounts ADD COLUMN active tinyint(1) NOT NULL DEFAULT 1;", false},
		{"current timestamp default", MySQL, "RT405", "ALTER TABLE accounts ADD COLUMN seen_at datetime DEFAULT CURRENT_TIMESTAMP;", false},
		// RT408 add-foreign-key-mysql
		{"rails fk", MySQL, "RT408", "ALTER TABLE `comments` ADD CONSTRAINT `fk_rails_03de2dc08c` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`);", true},
		{"django fk", MySQL, "RT408", "ALTER TABLE `blog_entry` ADD CONSTRAINT `blog_entry_blog_id_fk_blog_blog_id` FOREIGN KEY (`blog_id`) REFERENCES `blog_blog` (`id`);", true},
		{"fk checks off", MySQL, "RT408", "SET FOREIGN_KEY_CHECKS=0;\nALTER TABLE comments ADD FOREIGN KEY (post_id) REFERENCES posts (id);", false},
		{"fk checks back on", MySQL, "RT408", "SET foreign_key_checks = 0;\nSET foreign_key_checks = 1;\nALTER TABLE comments ADD FOREIGN KEY (post_id) REFERENCES posts (id);", true},
		{"fk on new table", MySQL, "RT408", "CREATE TABLE c (id int, post_id int);\nALTER TABLE c ADD FOREIGN KEY (post_id) REFERENCES posts (id);", false},
		{"unique is not fk", MySQL, "RT408", "ALTER TABLE comments ADD CONSTRAINT u UNIQUE (post_id, author_id);", false},
		// RT409 add-check-mysql
		{"check", MySQL, "RT409", "ALTER TABLE products ADD CONSTRAINT price_nonneg CHECK (price >= 0);", true},
		{"check unnamed", MySQL, "RT409", "ALTER TABLE products ADD CHECK (stock >= 0);", true},
		{"check not enforced", MySQL, "RT409", "ALTER TABLE products ADD CONSTRAINT price_nonneg CHECK (price >= 0) NOT ENFORCED;", false},
		{"check in create", MySQL, "RT409", "CREATE TABLE p (price int, CHECK (price >= 0));", false},
		{"check on postgres is not this rule", Postgres, "RT409", "ALTER TABLE products ADD CONSTRAINT price_nonneg CHECK (price >= 0);", false},
	})
}
