-- MySQL 8 (NOT ENFORCED); not on the test servers
CREATE TABLE `orders` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `user_id` int(11) NOT NULL,
  `status` enum('new','paid','it''s') NOT NULL DEFAULT 'new',
  `note` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL COMMENT 'free text',
  `created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `uid` char(36) DEFAULT (uuid()),
  `total` decimal(12,2) AS (`qty` * `price`) STORED,
  `half` int GENERATED ALWAYS AS (`qty` / 2) VIRTUAL,
  `ref` int REFERENCES users (id),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_user` (`user_id`, `status`),
  KEY `idx_created` (`created_at`),
  FULLTEXT KEY `ft_note` (`note`),
  CONSTRAINT `fk_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
  CONSTRAINT `chk_total` CHECK (`total` >= 0) NOT ENFORCED
) ENGINE=InnoDB AUTO_INCREMENT=10 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC;
CREATE OR REPLACE TABLE t (a int);
CREATE TABLE IF NOT EXISTS s (id SERIAL PRIMARY KEY, v int KEY);
CREATE TABLE t2 LIKE t;
CREATE TABLE t3 AS SELECT * FROM t;
CREATE TABLE t4 (a int) SELECT 1 AS a;
CREATE TEMPORARY TABLE tmp (a int);
