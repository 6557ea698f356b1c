package lint

import "testing"

type schemaCase struct {
	name, dialect, code, sql string
	fires                    bool
}

func runSchemaCases(t *testing.T, cases []schemaCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.code+"/"+tc.name, func(t *testing.T) {
			got := lintText(t, tc.dialect, tc.sql, Settings{})
			if has(got, tc.code) != tc.fires {
				t.Errorf("%s fired = %v, want %v: %v", tc.code, !tc.fires, tc.fires, codes(got))
			}
		})
	}
}

func TestLintSchemaCompat(t *testing.T) {
	runSchemaCases(t, []schemaCase{
		// RT102
		{"rails remove_column", Postgres, "RT102", `ALTER TABLE "users" DROP COLUMN "legacy_token";`, true},
		{"django drop column cascade", Postgres, "RT102", `ALTER TABLE "shop_order" DROP COLUMN "note" CASCADE;`, true},
		{"mysql drop without COLUMN", MySQL, "RT102", "ALTER TABLE orders DROP note;", true},
		{"mysql drop among others", MySQL, "RT102", "ALTER TABLE orders ADD COLUMN a int NULL, DROP COLUMN b;", true},
		{"sqlite drop column", SQLite, "RT102", "ALTER TABLE orders DROP COLUMN note;", true},
		{"alembic if exists", Postgres, "RT102", "ALTER TABLE orders DROP COLUMN IF EXISTS note;", true},
		{"new table", Postgres, "RT102", "CREATE TABLE t (a int NOT NULL, b int NULL);\nALTER TABLE t DROP COLUMN b;", false},
		{"added then dropped", MySQL, "RT102", "ALTER TABLE orders ADD COLUMN tmp int NULL;\nALTER TABLE orders DROP COLUMN tmp;", false},
		{"drop constraint is no column", Postgres, "RT102", "ALTER TABLE orders DROP CONSTRAINT c;", false},
		// RT105
		{"mysql drop foreign key", MySQL, "RT105", "ALTER TABLE orders DROP FOREIGN KEY fk_orders_customer;", true},
		{"mysql drop primary key", MySQL, "RT105", "ALTER TABLE orders DROP PRIMARY KEY;", true},
		{"mysql drop check", MySQL, "RT105", "ALTER TABLE orders DROP CHECK chk_total;", true},
		{"django drop constraint", Postgres, "RT105", `ALTER TABLE "shop_order" DROP CONSTRAINT "shop_order_customer_id_fk";`, true},
		{"redefined later", Postgres, "RT105", "ALTER TABLE orders DROP CONSTRAINT chk;\nALTER TABLE orders ADD CONSTRAINT chk CHECK (a > 0) NOT VALID;", false},
		{"new table constraint", Postgres, "RT105", "CREATE TABLE t (a int NOT NULL, CONSTRAINT chk CHECK (a > 0));\nALTER TABLE t DROP CONSTRAINT chk;", false},
		{"drop index is no constraint", MySQL, "RT105", "ALTER TABLE orders DROP INDEX idx_a;", false},
		// RT108
		{"rails force true", Postgres, "RT108", "DROP TABLE IF EXISTS \"settings\" CASCADE;\nCREATE TABLE \"settings\" (\"id\" bigserial primary key, \"name\" character varying NOT NULL);", true},
		{"drop and create mysql", MySQL, "RT108", "DROP TABLE IF EXISTS settings;\nCREATE TABLE settings (id bigint NOT NULL PRIMARY KEY);", true},
		{"sqlite drop and create", SQLite, "RT108", "DROP TABLE settings;\nCREATE TABLE settings (id integer NOT NULL PRIMARY KEY);", true},
		{"created dropped created", Postgres, "RT108", "CREATE TABLE t (a int NOT NULL);\nDROP TABLE t;\nCREATE TABLE t (b int NOT NULL);", false},
		{"if not exists", MySQL, "RT108", "CREATE TABLE IF NOT EXISTS settings (id bigint NOT NULL PRIMARY KEY);", false},
		{"drop other table", Postgres, "RT108", "DROP TABLE old_settings;\nCREATE TABLE settings (id bigint NOT NULL PRIMARY KEY);", false},
		{"temp table recreated", Postgres, "RT108", "DROP TABLE IF EXISTS tmp_import;\nCREATE TEMP TABLE tmp_import (id int);", false},
		// RT203
		{"rails add null false", Postgres, "RT203", `ALTER TABLE "users" ADD "tenant_id" bigint NOT NULL;`, true},
		{"mysql", MySQL, "RT203", "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL AFTER id;", true},
		{"sqlite", SQLite, "RT203", "ALTER TABLE users ADD COLUMN tenant_id integer NOT NULL;", true},
		{"with default", Postgres, "RT203", "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;", false},
		{"identity", Postgres, "RT203", "ALTER TABLE users ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY NOT NULL;", false},
		{"nullable", Postgres, "RT203", "ALTER TABLE users ADD COLUMN tenant_id bigint NULL;", false},
		{"new table", Postgres, "RT203", "CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ADD COLUMN b int NOT NULL;", false},
		{"generated", MySQL, "RT203", "ALTER TABLE users ADD COLUMN full_name varchar(200) AS (concat(first, ' ', last)) STORED NOT NULL;", false},
		// RT204
		{"zero fill", MySQL, "RT204", "ALTER TABLE orders ADD COLUMN shipped_at datetime NOT NULL;", true},
		{"zero fill string", MySQL, "RT204", "ALTER TABLE orders ADD code varchar(20) NOT NULL, ALGORITHM=INSTANT;", true},
		{"explicit default", MySQL, "RT204", "ALTER TABLE orders ADD COLUMN code varchar(20) NOT NULL DEFAULT '';", false},
		{"auto increment", MySQL, "RT204", "ALTER TABLE orders ADD COLUMN seq bigint NOT NULL AUTO_INCREMENT UNIQUE;", false},
		{"pg has none", Postgres, "RT204", "ALTER TABLE orders ADD COLUMN code text NOT NULL;", false},
		// RT205
		{"pg drop not null", Postgres, "RT205", `ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL;`, true},
		{"mysql modify null", MySQL, "RT205", "ALTER TABLE users MODIFY email varchar(255) NULL;", true},
		{"mysql change null", MySQL, "RT205", "ALTER TABLE users CHANGE email email varchar(255) NULL;", true},
		{"mysql modify not null", MySQL, "RT205", "ALTER TABLE users MODIFY email varchar(255) NOT NULL;", false},
		{"column added in revision", Postgres, "RT205", "ALTER TABLE users ADD COLUMN x int NOT NULL DEFAULT 0;\nALTER TABLE users ALTER COLUMN x DROP NOT NULL;", false},
		{"drop default", Postgres, "RT205", "ALTER TABLE users ALTER COLUMN email DROP DEFAULT;", false},
		// RT206
		{"pg set data type", Postgres, "RT206", "ALTER TABLE users ALTER COLUMN age SET DATA TYPE bigint;", true},
		{"pg type using", Postgres, "RT206", "ALTER TABLE users ALTER age TYPE int USING age::int;", true},
		{"mysql modify", MySQL, "RT206", "ALTER TABLE users MODIFY COLUMN age bigint NOT NULL;", true},
		{"mysql change", MySQL, "RT206", "ALTER TABLE users CHANGE age age_years smallint NULL;", true},
		{"new table", Postgres, "RT206", "CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ALTER COLUMN a TYPE bigint;", false},
		{"column added earlier", MySQL, "RT206", "ALTER TABLE users ADD COLUMN x int NULL;\nALTER TABLE users MODIFY x bigint NULL;", false},
		{"set not null", Postgres, "RT206", "ALTER TABLE users ALTER COLUMN age SET NOT NULL;", false},
		// RT207
		{"rename value", Postgres, "RT207", "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';", true},
		{"created type", Postgres, "RT207", "CREATE TYPE mood AS ENUM ('sad', 'ok');\nALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';", false},
		{"rename type", Postgres, "RT207", "ALTER TYPE mood RENAME TO feeling;", false},
	})
}

func TestLintSchemaData(t *testing.T) {
	runSchemaCases(t, []schemaCase{
		// RT210
		{"create table json", Postgres, "RT210", "CREATE TABLE event (id bigint PRIMARY KEY, payload json NOT NULL);", true},
		{"alter type json", Postgres, "RT210", "ALTER TABLE event ALTER COLUMN payload TYPE json USING payload::json;", true},
		{"json array", Postgres, "RT210", "ALTER TABLE event ADD COLUMN parts json[] NULL;", true},
		{"jsonb", Postgres, "RT210", "CREATE TABLE event (id bigint PRIMARY KEY, payload jsonb NOT NULL);", false},
		{"column named json", Postgres, "RT210", "ALTER TABLE event ADD COLUMN json text NULL;", false},
		{"mysql json is binary", MySQL, "RT210", "ALTER TABLE event ADD COLUMN payload json NULL;", false},
		// RT601
		{"pg unique index", Postgres, "RT601", "CREATE UNIQUE INDEX CONCURRENTLY index_users_on_email ON users (email);", true},
		{"django unique constraint", Postgres, "RT601", `ALTER TABLE "shop_customer" ADD CONSTRAINT "shop_customer_email_uniq" UNIQUE ("email");`, true},
		{"add primary key", MySQL, "RT601", "ALTER TABLE audit ADD PRIMARY KEY (id);", true},
		{"mysql add unique key", MySQL, "RT601", "ALTER TABLE users ADD UNIQUE KEY uk_email (email);", true},
		{"sqlite unique index", SQLite, "RT601", "CREATE UNIQUE INDEX ux_users_email ON users (email);", true},
		{"unique column with default", Postgres, "RT601", "ALTER TABLE users ADD COLUMN code text UNIQUE DEFAULT 'x';", true},
		{"unique nullable column added", Postgres, "RT601", "ALTER TABLE users ADD COLUMN code text UNIQUE NULL;", false},
		{"using index", Postgres, "RT601", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;", false},
		{"plain index", Postgres, "RT601", "CREATE INDEX users_email_idx ON users (email);", false},
		{"new table", SQLite, "RT601", "CREATE TABLE t (a int NOT NULL);\nCREATE UNIQUE INDEX tu ON t (a);", false},
		// RT604
		{"pg foreign key", Postgres, "RT604", "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id);", true},
		{"pg validate", Postgres, "RT604", "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;", true},
		{"mysql check", MySQL, "RT604", "ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0);", true},
		{"mysql fk", MySQL, "RT604", "ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customer (id);", true},
		{"not valid", Postgres, "RT604", "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;", false},
		{"mysql not enforced", MySQL, "RT604", "ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0) NOT ENFORCED;", false},
		{"unique is RT601", Postgres, "RT604", "ALTER TABLE orders ADD CONSTRAINT u UNIQUE (code);", false},
		{"new table", Postgres, "RT604", "CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);", false},
	})
}
