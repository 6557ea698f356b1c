package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/schema"
)

// The schemas the schema-state rules' tests run against, by dialect:
// each is made on a scratch database of its dialect and reflected, as
// retort lint does with the earlier revisions.
var stateSetups = map[string]string{
	Postgres: `CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL, name varchar(100), code varchar(20) NOT NULL);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer (id), note text, total numeric(12,4) NOT NULL,
  placed_at timestamp(6) NOT NULL, qty integer NOT NULL, ratio double precision, flag text, CONSTRAINT orders_flag_nn CHECK (flag IS NOT NULL));
CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at);
CREATE INDEX customer_name_idx ON customer (name);
CREATE TABLE line (order_id integer REFERENCES orders (id), n integer);
CREATE UNIQUE INDEX line_order_key ON line (order_id);
CREATE TABLE invoice (id bigint PRIMARY KEY, memo text, ref text);
ALTER TABLE invoice ADD CONSTRAINT invoice_memo_nn CHECK (memo IS NOT NULL) NOT VALID;
ALTER TABLE invoice ADD CONSTRAINT invoice_ref_nn CHECK (ref IS NOT NULL) NOT VALID;
ALTER TABLE invoice VALIDATE CONSTRAINT invoice_ref_nn;
CREATE TABLE events (id bigint NOT NULL, kind text, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE events_archive (id bigint NOT NULL, kind text, at date NOT NULL);`,
	MySQL: `CREATE TABLE users (id bigint PRIMARY KEY, nickname varchar(50) NOT NULL, bio varchar(60) CHARACTER SET latin1,
  code varchar(20) COLLATE utf8mb4_bin NOT NULL, status enum('new','paid','sent') NOT NULL, flags set('a','b','c','d','e','f','g','h'),
  score decimal(10,2), age int unsigned, note text, UNIQUE KEY users_code_key (code), KEY users_nick_idx (nickname)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint NOT NULL, title varchar(200), body text, title_len int AS (char_length(title)) VIRTUAL, FULLTEXT KEY posts_body_ft (body),
  CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id));`,
	SQLite: `CREATE TABLE authors (id integer PRIMARY KEY, name text);
CREATE TABLE notes (id integer PRIMARY KEY, body text, slug text UNIQUE, rank int CHECK (rank > 0), tag text, author_id int REFERENCES authors (id), extra text, body_len int GENERATED ALWAYS AS (length(body)) VIRTUAL);
CREATE INDEX notes_tag_idx ON notes (tag);`,
}

// states reflects each dialect's setup once per test.
func states(t *testing.T) map[string]*schema.Schema {
	t.Helper()
	out := map[string]*schema.Schema{}
	for _, d := range allDialects {
		out[d] = stateOf(t, d, stateSetups[d])
	}
	return out
}

// TestStateRules lints statements against the schemas of stateSetups:
// each case says whether its rule fires.
func TestStateRules(t *testing.T) {
	st := states(t)
	for _, tc := range []struct {
		name, dialect, code, sql string
		fires                    bool
		server                   string
	}{
		// RT107 lossy-type-change
		{"pg scale down", Postgres, "RT107", "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);", true, ""},
		{"pg double to real", Postgres, "RT107", "ALTER TABLE orders ALTER COLUMN ratio TYPE real;", true, ""},
		{"pg fewer fractional digits", Postgres, "RT107", "ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamp(3);", true, ""},
		{"pg timestamp to date", Postgres, "RT107", "ALTER TABLE orders ALTER COLUMN placed_at TYPE date;", true, ""},
		{"pg numeric wider", Postgres, "RT107", "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,4);", false, ""},
		{"pg numeric unconstrained", Postgres, "RT107", "ALTER TABLE orders ALTER COLUMN total TYPE numeric;", false, ""},
		{"pg column added in the revision", Postgres, "RT107", "ALTER TABLE orders ADD COLUMN fee numeric(12,4);\nALTER TABLE orders ALTER COLUMN fee TYPE numeric(12,2);", false, ""},
		{"pg table created in the revision", Postgres, "RT107", "CREATE TABLE fee (amount numeric(12,4));\nALTER TABLE fee ALTER COLUMN amount TYPE numeric(12,2);", false, ""},
		{"my decimal scale down", MySQL, "RT107", "ALTER TABLE users MODIFY score decimal(10,1);", true, ""},
		{"my charset to ascii", MySQL, "RT107", "ALTER TABLE users MODIFY bio varchar(60) CHARACTER SET ascii;", true, ""},
		{"my charset to utf8mb4", MySQL, "RT107", "ALTER TABLE users MODIFY bio varchar(60) CHARACTER SET utf8mb4;", false, ""},
		{"my insensitive collation on unique", MySQL, "RT107", "ALTER TABLE users MODIFY code varchar(20) COLLATE utf8mb4_general_ci NOT NULL;", true, ""},
		{"my same type new default", MySQL, "RT107", "ALTER TABLE users MODIFY score decimal(10,2) DEFAULT 0;", false, ""},

		// RT605 narrowing-may-truncate
		{"pg shorter varchar", Postgres, "RT605", "ALTER TABLE customer ALTER COLUMN name TYPE varchar(50);", true, ""},
		{"pg int to smallint", Postgres, "RT605", "ALTER TABLE orders ALTER COLUMN qty TYPE smallint;", true, ""},
		{"pg text to integer", Postgres, "RT605", "ALTER TABLE orders ALTER COLUMN note TYPE integer USING note::integer;", true, ""},
		{"pg varchar to text", Postgres, "RT605", "ALTER TABLE customer ALTER COLUMN name TYPE text;", false, ""},
		{"pg int to bigint", Postgres, "RT605", "ALTER TABLE orders ALTER COLUMN qty TYPE bigint;", false, ""},
		{"my unsigned to signed", MySQL, "RT605", "ALTER TABLE users MODIFY age int;", true, ""},
		{"my unsigned to bigint", MySQL, "RT605", "ALTER TABLE users MODIFY age bigint;", false, ""},
		{"my shorter varchar", MySQL, "RT605", "ALTER TABLE users MODIFY nickname varchar(20) NOT NULL;", true, ""},
		{"my text to tinytext", MySQL, "RT605", "ALTER TABLE users MODIFY note tinytext;", true, ""},
		{"my varchar to text", MySQL, "RT605", "ALTER TABLE users MODIFY nickname text NOT NULL;", false, ""},
		{"my change column renames and narrows", MySQL, "RT605", "ALTER TABLE users CHANGE nickname nick varchar(10) NOT NULL;", true, ""},

		// RT312 column-type-rewrite with the old type
		{"pg int to bigint rewrites", Postgres, "RT312", "ALTER TABLE orders ALTER COLUMN qty TYPE bigint;", true, ""},
		{"pg shorter varchar rewrites", Postgres, "RT312", "ALTER TABLE customer ALTER COLUMN name TYPE varchar(50);", true, ""},
		{"pg longer varchar keeps", Postgres, "RT312", "ALTER TABLE customer ALTER COLUMN name TYPE varchar(200);", false, ""},
		{"pg varchar to text keeps", Postgres, "RT312", "ALTER TABLE customer ALTER COLUMN name TYPE text;", false, ""},
		{"pg numeric same scale keeps", Postgres, "RT312", "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,4);", false, ""},
		{"pg numeric other scale rewrites", Postgres, "RT312", "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);", true, ""},

		// RT305 (nullable part: the message), RT309 exemption, RT603
		{"pg add pk", Postgres, "RT305", "ALTER TABLE line ADD PRIMARY KEY (order_id);", true, ""},
		{"pg set not null scans", Postgres, "RT309", "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;", true, ""},
		{"pg set not null proven by a check", Postgres, "RT309", "ALTER TABLE orders ALTER COLUMN flag SET NOT NULL;", false, ""},
		{"pg set not null of a not null column", Postgres, "RT309", "ALTER TABLE orders ALTER COLUMN total SET NOT NULL;", false, ""},
		{"pg not null without backfill", Postgres, "RT603", "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;", true, ""},
		// RT309 and RT603 with a CHECK (c IS NOT NULL) left NOT VALID: it proves nothing until validated
		{"pg set not null with a not valid check", Postgres, "RT309", "ALTER TABLE invoice ALTER COLUMN memo SET NOT NULL;", true, ""},
		{"pg set not null with a check validated later", Postgres, "RT309", "ALTER TABLE invoice ALTER COLUMN ref SET NOT NULL;", false, ""},
		{"pg set not null after validating the check", Postgres, "RT309", "ALTER TABLE invoice VALIDATE CONSTRAINT invoice_memo_nn;\nALTER TABLE invoice ALTER COLUMN memo SET NOT NULL;", false, ""},
		{"pg not null with a not valid check", Postgres, "RT603", "ALTER TABLE invoice ALTER COLUMN memo SET NOT NULL;", true, ""},
		{"pg not null with a validated check", Postgres, "RT603", "ALTER TABLE invoice ALTER COLUMN ref SET NOT NULL;", false, ""},
		// RT316 index-on-partitioned-table
		{"pg index on a partitioned table", Postgres, "RT316", "CREATE INDEX events_kind_idx ON events (kind);", true, ""},
		{"pg concurrent index on a partitioned table", Postgres, "RT316", "CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);", true, ""},
		{"pg index on only the parent", Postgres, "RT316", "CREATE INDEX events_kind_idx ON ONLY events (kind);", false, ""},
		{"pg index on a partition", Postgres, "RT316", "CREATE INDEX CONCURRENTLY events_2026_kind_idx ON events_2026 (kind);", false, ""},
		{"pg index on a plain table", Postgres, "RT316", "CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);", false, ""},
		// RT301 leaves a partitioned table to RT316, and ON ONLY to a partitioned parent
		{"pg plain index on a partitioned table is RT316's", Postgres, "RT301", "CREATE INDEX events_kind_idx ON events (kind);", false, ""},
		{"pg on only a partitioned parent", Postgres, "RT301", "CREATE INDEX events_kind_idx ON ONLY events (kind);", false, ""},
		{"pg on only a plain table builds it all", Postgres, "RT301", "CREATE INDEX orders_note_idx ON ONLY orders (note);", true, ""},
		{"pg plain index on a plain table", Postgres, "RT301", "CREATE INDEX orders_note_idx ON orders (note);", true, ""},
		{"pg partitioned in the revision with an existing partition", Postgres, "RT316",
			"CREATE TABLE log (id bigint NOT NULL, kind text, at date NOT NULL) PARTITION BY RANGE (at);\nALTER TABLE log ATTACH PARTITION events_archive FOR VALUES FROM ('2020-01-01') TO ('2026-01-01');\nCREATE INDEX log_kind_idx ON log (kind);", true, ""},
		{"pg partitioned in the revision with new partitions", Postgres, "RT316",
			"CREATE TABLE log (id bigint NOT NULL, kind text, at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE log_2026 PARTITION OF log FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\nCREATE INDEX log_kind_idx ON log (kind);", false, ""},
		{"pg not null after backfill", Postgres, "RT603", "UPDATE orders SET note = '' WHERE note IS NULL;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;", false, ""},
		{"pg not null proven by a check", Postgres, "RT603", "ALTER TABLE orders ALTER COLUMN flag SET NOT NULL;", false, ""},
		{"pg not null already", Postgres, "RT603", "ALTER TABLE orders ALTER COLUMN total SET NOT NULL;", false, ""},
		{"my modify to not null", MySQL, "RT603", "ALTER TABLE users MODIFY bio varchar(60) CHARACTER SET latin1 NOT NULL;", true, ""},
		{"my modify to not null after backfill", MySQL, "RT603", "UPDATE users SET bio = '' WHERE bio IS NULL;\nALTER TABLE users MODIFY bio varchar(60) CHARACTER SET latin1 NOT NULL;", false, ""},
		{"my modify of a not null column", MySQL, "RT603", "ALTER TABLE users MODIFY nickname varchar(50) NOT NULL;", false, ""},

		// RT324 fk-without-index
		{"pg fk without index", Postgres, "RT324", "ALTER TABLE line ADD CONSTRAINT line_n_fk FOREIGN KEY (n) REFERENCES orders (id) NOT VALID;", true, ""},
		{"pg fk led by an index", Postgres, "RT324", "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;", false, ""},
		{"pg fk after its index was dropped", Postgres, "RT324", "DROP INDEX orders_customer_placed_idx;\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;", true, ""},
		{"pg new table fk in its key", Postgres, "RT324", "CREATE TABLE tag (order_id integer REFERENCES orders (id), tag text, PRIMARY KEY (order_id, tag));", false, ""},
		{"pg new table fk indexed later", Postgres, "RT324", "CREATE TABLE tag (id bigint PRIMARY KEY, order_id integer REFERENCES orders (id));\nCREATE INDEX tag_order_idx ON tag (order_id);", false, ""},
		{"pg add column references", Postgres, "RT324", "ALTER TABLE line ADD COLUMN customer_id bigint REFERENCES customer (id);", true, ""},

		// RT327 pk-using-index-nullable
		{"pg pk using index of a nullable column", Postgres, "RT327", "ALTER TABLE line ADD CONSTRAINT line_pkey PRIMARY KEY USING INDEX line_order_key;", true, ""},
		{"pg pk using index after set not null", Postgres, "RT327", "ALTER TABLE line ALTER COLUMN order_id SET NOT NULL;\nALTER TABLE line ADD CONSTRAINT line_pkey PRIMARY KEY USING INDEX line_order_key;", false, ""},
		{"pg pk using an index the revision built", Postgres, "RT327", "-- +no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY line_n_key ON line (n);\nALTER TABLE line ADD CONSTRAINT line_pkey PRIMARY KEY USING INDEX line_n_key;", true, ""},

		// RT602 make-index-unique
		{"pg unique over an index's columns", Postgres, "RT602", "CREATE UNIQUE INDEX customer_name_key ON customer (name);", true, ""},
		{"pg unique constraint over an index's columns", Postgres, "RT602", "ALTER TABLE customer ADD CONSTRAINT customer_name_key UNIQUE (name);", true, ""},
		{"pg unique if not exists of an existing index", Postgres, "RT602", "CREATE UNIQUE INDEX IF NOT EXISTS customer_name_idx ON customer (name);", false, ""},
		{"pg unique after dropping the index of its name", Postgres, "RT602", "DROP INDEX customer_name_idx;\nCREATE UNIQUE INDEX customer_name_idx ON customer (name);", true, ""},
		{"pg unique over other columns", Postgres, "RT602", "CREATE UNIQUE INDEX customer_code_key ON customer (code);", false, ""},
		{"my add unique over an index's columns", MySQL, "RT602", "ALTER TABLE users ADD UNIQUE INDEX users_nick_key (nickname);", true, ""},
		{"my add unique elsewhere", MySQL, "RT602", "ALTER TABLE users ADD UNIQUE INDEX users_note_key (note(20));", false, ""},
		{"sqlite unique over an index's columns", SQLite, "RT602", "CREATE UNIQUE INDEX notes_tag_key ON notes (tag);", true, ""},
		{"sqlite unique elsewhere", SQLite, "RT602", "CREATE UNIQUE INDEX notes_body_key ON notes (body);", false, ""},

		// RT813 redundant-index
		{"pg prefix of an index", Postgres, "RT813", "CREATE INDEX orders_customer_idx ON orders (customer_id);", true, ""},
		{"pg makes an index redundant", Postgres, "RT813", "CREATE INDEX orders_customer_placed_note_idx ON orders (customer_id, placed_at, note);", true, ""},
		{"pg prefix of the primary key", Postgres, "RT813", "CREATE INDEX customer_id_idx ON customer (id);", true, ""},
		{"pg other column", Postgres, "RT813", "CREATE INDEX orders_placed_idx ON orders (placed_at);", false, ""},
		{"pg partial", Postgres, "RT813", "CREATE INDEX orders_open_idx ON orders (customer_id) WHERE note IS NULL;", false, ""},
		{"pg after the longer one is dropped", Postgres, "RT813", "DROP INDEX orders_customer_placed_idx;\nCREATE INDEX orders_customer_idx ON orders (customer_id);", false, ""},
		{"my duplicate of the foreign key's index", MySQL, "RT813", "ALTER TABLE posts ADD INDEX posts_user_idx (user_id);", true, ""},
		{"my makes an index redundant", MySQL, "RT813", "ALTER TABLE users ADD INDEX users_nick_code (nickname, code);", true, ""},
		{"my other column", MySQL, "RT813", "ALTER TABLE posts ADD INDEX posts_title_idx (title);", false, ""},
		{"sqlite duplicate", SQLite, "RT813", "CREATE INDEX notes_tag2_idx ON notes (tag);", true, ""},
		{"sqlite other column", SQLite, "RT813", "CREATE INDEX notes_body_idx ON notes (body);", false, ""},
		{"sqlite both in the revision", SQLite, "RT813", "CREATE TABLE t (a int, b int);\nCREATE INDEX t_ab ON t (a, b);\nCREATE INDEX t_a ON t (a);", true, ""},

		// RT209 drop-used-object
		{"pg drop referenced table", Postgres, "RT209", "DROP TABLE customer;", true, ""},
		{"pg drop table with its referencing table", Postgres, "RT209", "DROP TABLE line, orders;", false, ""},
		{"pg drop referenced column", Postgres, "RT209", "ALTER TABLE customer DROP COLUMN id;", true, ""},
		{"pg drop column of a two-column index", Postgres, "RT209", "ALTER TABLE orders DROP COLUMN placed_at;", true, ""},
		{"pg drop unused column", Postgres, "RT209", "ALTER TABLE orders DROP COLUMN ratio;", false, ""},
		{"my drop referenced table", MySQL, "RT209", "DROP TABLE users;", true, ""},
		{"my drop table after its key", MySQL, "RT209", "ALTER TABLE posts DROP FOREIGN KEY posts_user_fk;\nDROP TABLE users;", false, ""},
		{"sqlite drop referenced table", SQLite, "RT209", "DROP TABLE authors;", true, ""},
		{"sqlite drop unreferenced column", SQLite, "RT209", "ALTER TABLE authors DROP COLUMN name;", false, ""},

		// RT503 drop-column-rewrites
		{"sqlite drop unique column", SQLite, "RT503", "ALTER TABLE notes DROP COLUMN slug;", true, ""},
		{"sqlite drop plain column", SQLite, "RT503", "ALTER TABLE notes DROP COLUMN extra;", true, ""},
		{"sqlite drop column of a new table", SQLite, "RT503", "CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;", false, ""},

		// RT411 varchar-length-prefix-change
		{"my varchar across 255 bytes", MySQL, "RT411", "ALTER TABLE users MODIFY nickname varchar(100) NOT NULL;", true, ""},
		{"my varchar within 255 bytes", MySQL, "RT411", "ALTER TABLE users MODIFY nickname varchar(60) NOT NULL;", false, ""},
		{"my latin1 across 255 bytes", MySQL, "RT411", "ALTER TABLE users MODIFY bio varchar(300) CHARACTER SET latin1;", true, ""},
		{"my latin1 within 255 bytes", MySQL, "RT411", "ALTER TABLE users MODIFY bio varchar(200) CHARACTER SET latin1;", false, ""},
		{"mariadb widens in place", MySQL, "RT411", "ALTER TABLE users MODIFY nickname varchar(100) NOT NULL;", false, "mariadb 10.11"},
		{"mysql named", MySQL, "RT411", "ALTER TABLE users MODIFY nickname varchar(100) NOT NULL;", true, "mysql 8.0.36"},

		// RT412 enum-set-non-append and RT207 on MySQL
		{"my enum value inserted", MySQL, "RT412", "ALTER TABLE users MODIFY status enum('new','paid','shipped','sent') NOT NULL;", true, ""},
		{"my enum value appended", MySQL, "RT412", "ALTER TABLE users MODIFY status enum('new','paid','sent','shipped') NOT NULL;", false, ""},
		{"my enum value removed", MySQL, "RT412", "ALTER TABLE users MODIFY status enum('new','paid') NOT NULL;", true, ""},
		{"my set past 8 members", MySQL, "RT412", "ALTER TABLE users MODIFY flags set('a','b','c','d','e','f','g','h','i');", true, ""},
		{"my set within 8 members", MySQL, "RT412", "ALTER TABLE users MODIFY flags set('a','b','c','d','e','f','g','h');", false, ""},
		{"my enum value removed breaks clients", MySQL, "RT207", "ALTER TABLE users MODIFY status enum('new','paid') NOT NULL;", true, ""},
		{"my enum value renamed", MySQL, "RT207", "ALTER TABLE users CHANGE status status enum('new','paid','shipped') NOT NULL;", true, ""},
		{"my enum value appended keeps clients", MySQL, "RT207", "ALTER TABLE users MODIFY status enum('new','paid','sent','shipped') NOT NULL;", false, ""},

		// RT401 (type and charset changes copy), RT404 (nullability rebuilds), RT205 (silently nullable)
		{"my int to bigint copies", MySQL, "RT401", "ALTER TABLE users MODIFY age bigint unsigned;", true, ""},
		{"my char instead of varchar copies", MySQL, "RT401", "ALTER TABLE users MODIFY code char(20) COLLATE utf8mb4_bin NOT NULL;", true, ""},
		{"my charset latin1 to utf8mb4 copies", MySQL, "RT401", "ALTER TABLE users MODIFY bio varchar(60) CHARACTER SET utf8mb4;", true, ""},
		{"my type restated", MySQL, "RT401", "ALTER TABLE users MODIFY age INT(10) UNSIGNED;", false, ""},
		{"my decimal restated with a default", MySQL, "RT401", "ALTER TABLE users MODIFY score decimal(10,2) DEFAULT 0;", false, ""},
		{"my varchar widened is RT411's", MySQL, "RT401", "ALTER TABLE users MODIFY nickname varchar(100) NOT NULL;", false, ""},
		{"my enum appended is RT412's", MySQL, "RT401", "ALTER TABLE users MODIFY status enum('new','paid','sent','shipped') NOT NULL;", false, ""},
		{"my modify leaves not null out", MySQL, "RT404", "ALTER TABLE users MODIFY nickname varchar(50);", true, ""},
		{"my modify sets not null", MySQL, "RT404", "ALTER TABLE users MODIFY bio varchar(60) CHARACTER SET latin1 NOT NULL;", true, ""},
		{"my modify keeps not null", MySQL, "RT404", "ALTER TABLE users MODIFY nickname varchar(50) NOT NULL COMMENT 'shown name';", false, ""},
		{"my modify of the primary key", MySQL, "RT404", "ALTER TABLE users MODIFY id bigint;", false, ""},
		{"my modify with a type change is RT401's", MySQL, "RT404", "ALTER TABLE users MODIFY nickname varchar(20);", false, ""},
		{"my silently nullable", MySQL, "RT205", "ALTER TABLE users MODIFY nickname varchar(50);", true, ""},
		{"my explicit null on a not null column", MySQL, "RT205", "ALTER TABLE users MODIFY nickname varchar(50) NULL;", true, ""},
		{"my explicit null on a nullable column", MySQL, "RT205", "ALTER TABLE users MODIFY bio varchar(60) CHARACTER SET latin1 NULL;", false, ""},
		{"my primary key column stays not null", MySQL, "RT205", "ALTER TABLE users MODIFY id bigint;", false, ""},

		{"my type restated is no type change", MySQL, "RT206", "ALTER TABLE users MODIFY age INT(10) UNSIGNED;", false, ""},
		{"my default changed is no type change", MySQL, "RT206", "ALTER TABLE users MODIFY score decimal(10,2) DEFAULT 0;", false, ""},
		{"my charset changed breaks clients", MySQL, "RT206", "ALTER TABLE users MODIFY bio varchar(60) CHARACTER SET utf8mb4;", true, ""},
		{"my type changed breaks clients", MySQL, "RT206", "ALTER TABLE users MODIFY age bigint unsigned;", true, ""},
		{"pg type restated is no type change", Postgres, "RT206", "ALTER TABLE orders ALTER COLUMN qty TYPE int4;", false, ""},
		{"pg type changed breaks clients", Postgres, "RT206", "ALTER TABLE orders ALTER COLUMN qty TYPE bigint;", true, ""},

		// RT601 with the table's keys
		{"pg unique over a new column set", Postgres, "RT601", "CREATE UNIQUE INDEX customer_name_code_key ON customer (name, code);", true, ""},
		{"pg unique including the primary key", Postgres, "RT601", "CREATE UNIQUE INDEX customer_id_email_key ON customer (id, email);", false, ""},
		{"my unique including a unique key", MySQL, "RT601", "ALTER TABLE users ADD UNIQUE INDEX users_code_status (code, status);", false, ""},
		{"sqlite unique including a unique column", SQLite, "RT601", "CREATE UNIQUE INDEX notes_slug_tag ON notes (slug, tag);", false, ""},

		// RT406 FULLTEXT part
		{"my add column to a fulltext table", MySQL, "RT406", "ALTER TABLE posts ADD COLUMN summary text;", true, "mysql 8.0.36"},
		{"my add column to another table", MySQL, "RT406", "ALTER TABLE users ADD COLUMN nick2 varchar(20);", false, "mysql 8.0.36"},

		// RT801 foreign key part
		{"pg fk bigint to integer", Postgres, "RT801", "ALTER TABLE customer ADD COLUMN first_order_id bigint REFERENCES orders (id);", true, ""},
		{"pg fk same type", Postgres, "RT801", "ALTER TABLE line ADD COLUMN customer_id bigint REFERENCES customer (id);", false, ""},
		{"my fk unsigned to signed", MySQL, "RT801", "ALTER TABLE posts ADD COLUMN editor_id bigint unsigned, ADD CONSTRAINT posts_editor_fk FOREIGN KEY (editor_id) REFERENCES users (id);", true, ""},
		{"my drop column of its own foreign key", MySQL, "RT209", "ALTER TABLE posts DROP COLUMN user_id;", true, ""},
		{"pg drop column of its own foreign key", Postgres, "RT209", "ALTER TABLE line DROP COLUMN order_id;", false, ""},
		{"my drop index and add its prefix in one statement", MySQL, "RT813", "ALTER TABLE users DROP INDEX users_nick_idx, ADD INDEX users_nick2_idx (nickname);", false, ""},
		{"my varchar to enum", MySQL, "RT605", "ALTER TABLE posts MODIFY title enum('a','b');", true, ""},
		{"my fk same type", MySQL, "RT801", "ALTER TABLE posts ADD COLUMN editor_id bigint, ADD CONSTRAINT posts_editor_fk FOREIGN KEY (editor_id) REFERENCES users (id);", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s Settings
			if tc.server != "" {
				v, err := ParseServerVersion(tc.server)
				if err != nil {
					t.Fatal(err)
				}
				s.Server = &v
			}
			got := lintTextBefore(t, tc.dialect, tc.sql, s, st[tc.dialect])
			if has(got, tc.code) != tc.fires {
				t.Errorf("%s fired = %v, want %v: %v", tc.code, !tc.fires, tc.fires, codes(got))
			}
		})
	}
}

// TestStateRuleMessages checks what the rules that extend a stateless
// rule add: the severity and message of the state's part.
func TestStateRuleMessages(t *testing.T) {
	st := states(t)
	find := func(fs []Finding, code string) (Finding, bool) {
		i := slices.IndexFunc(fs, func(f Finding) bool { return f.Code == code })
		if i < 0 {
			return Finding{}, false
		}
		return fs[i], true
	}
	for _, tc := range []struct {
		name, dialect, sql, code string
		sev                      Severity
		want                     string
	}{
		{"pk over a nullable column", Postgres, "ALTER TABLE line ADD PRIMARY KEY (order_id);", "RT305", Error, "nullable column order_id"},
		{"fk type differs", Postgres, "ALTER TABLE customer ADD COLUMN first_order_id bigint REFERENCES orders (id);", "RT801", Warning, "references orders.id (integer)"},
		{"sqlite drop of a unique column fails", SQLite, "ALTER TABLE notes DROP COLUMN slug;", "RT503", Error, "unique"},
		{"sqlite drop of a checked column fails", SQLite, "ALTER TABLE notes DROP COLUMN rank;", "RT503", Error, "CHECK"},
		{"sqlite drop of a foreign key column fails", SQLite, "ALTER TABLE notes DROP COLUMN author_id;", "RT503", Error, "foreign key to authors"},
		{"sqlite drop of a plain column rewrites", SQLite, "ALTER TABLE notes DROP COLUMN extra;", "RT503", Warning, "rewrites every row"},
		{"old type in RT312", Postgres, "ALTER TABLE orders ALTER COLUMN qty TYPE bigint;", "RT312", Error, "from integer to bigint"},
		{"mysql fk of another sign fails", MySQL, "ALTER TABLE posts ADD COLUMN editor_id bigint unsigned, ADD CONSTRAINT posts_editor_fk FOREIGN KEY (editor_id) REFERENCES users (id);", "RT801", Error, "refuses"},
		{"pg fk across type families fails", Postgres, "ALTER TABLE line ADD COLUMN customer_code varchar(20) REFERENCES customer (id);", "RT801", Error, "refuses"},
		{"my drop of a virtual column", MySQL, "ALTER TABLE posts DROP COLUMN title_len;", "RT102", Warning, "virtual generated column"},
		{"my drop of a stored column", MySQL, "ALTER TABLE posts DROP COLUMN title;", "RT102", Error, "deletes the column's values"},
		{"sqlite drop of a virtual column", SQLite, "ALTER TABLE notes DROP COLUMN body_len;", "RT102", Warning, "virtual generated column"},
		{"latin1 bytes", MySQL, "ALTER TABLE users MODIFY bio varchar(300) CHARACTER SET latin1;", "RT411", Warning, "from 60 to 300 bytes (latin1)"},
		{"enum removal message", MySQL, "ALTER TABLE users MODIFY status enum('new','paid') NOT NULL;", "RT207", Error, "loses value 'sent'"},
		{"charset assumed", MySQL, "ALTER TABLE users MODIFY nickname varchar(100) NOT NULL;", "RT411", Warning, "from 200 to 400 bytes (utf8mb4 assumed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := find(lintTextBefore(t, tc.dialect, tc.sql, Settings{}, st[tc.dialect]), tc.code)
			if !ok {
				t.Fatalf("%s did not fire", tc.code)
			}
			if f.Severity != tc.sev || !strings.Contains(f.Message, tc.want) {
				t.Errorf("%s: %s %q, want %s and %q", tc.code, f.Severity, f.Message, tc.sev, tc.want)
			}
		})
	}
}

// TestStateRulesWithoutState: without the schema before the revision the
// C rules say nothing and are listed as skipped, and RT312 keeps its
// stateless judgement.
func TestStateRulesWithoutState(t *testing.T) {
	for _, tc := range []struct {
		name, dialect, sql string
		skipped            []string
		fired              []string
	}{
		{"pg numeric scale", Postgres, "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);", []string{"RT107", "RT312", "RT605"}, nil},
		{"pg int to bigint", Postgres, "ALTER TABLE orders ALTER COLUMN qty TYPE bigint;", []string{"RT107", "RT312", "RT605"}, []string{"RT312"}},
		{"my enum", MySQL, "ALTER TABLE users MODIFY status enum('new') NOT NULL;", []string{"RT107", "RT207", "RT412", "RT603", "RT605"}, nil},
		{"sqlite drop column", SQLite, "ALTER TABLE notes DROP COLUMN slug;", []string{"RT209", "RT503"}, []string{"RT503"}},
		{"sqlite rebuild copy of a column", SQLite, "-- +no-transaction\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE a_new (id integer PRIMARY KEY, bio text NOT NULL);\nINSERT INTO a_new (id, bio) SELECT id, bio FROM a;\nDROP TABLE a;\nALTER TABLE a_new RENAME TO a;\nPRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;",
			[]string{"RT502"}, nil},
		{"sqlite rebuild copy leaving a column out", SQLite, "-- +no-transaction\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE a_new (id integer PRIMARY KEY, bio text NOT NULL);\nINSERT INTO a_new (id) SELECT id FROM a;\nDROP TABLE a;\nALTER TABLE a_new RENAME TO a;\nPRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;",
			nil, []string{"RT502"}},
		{"pg index on an existing table", Postgres, "CREATE INDEX CONCURRENTLY i ON events (kind);", []string{"RT316"}, nil},
		{"pg index on only the parent needs no state", Postgres, "CREATE INDEX i ON ONLY events (kind);", nil, nil},
		{"new table needs no state", Postgres, "CREATE TABLE t (a bigint PRIMARY KEY, b bigint REFERENCES t (a));", nil, []string{"RT324"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rev, err := SQLRevision("migrations/abc123.sql", []byte(file(tc.sql)), []string{tc.dialect})
			if err != nil {
				t.Fatal(err)
			}
			res := Lint([]*Revision{rev}, Settings{})
			for _, code := range tc.skipped {
				if !slices.Contains(res.SkippedState, code) {
					t.Errorf("%s not listed as skipped for want of state: %v", code, res.SkippedState)
				}
			}
			if slices.Contains(res.SkippedState, "RT316") != slices.Contains(tc.skipped, "RT316") {
				t.Errorf("RT316 skipped = %v: %v", !slices.Contains(tc.skipped, "RT316"), res.SkippedState)
			}
			for _, code := range []string{"RT107", "RT207", "RT209", "RT312", "RT316", "RT324", "RT327", "RT411", "RT412", "RT502", "RT503", "RT602", "RT603", "RT605", "RT813"} {
				if has(res.Findings, code) != slices.Contains(tc.fired, code) {
					t.Errorf("%s fired = %v: %v", code, has(res.Findings, code), codes(res.Findings))
				}
			}
		})
	}
}

// TestParseColType reads the type spellings of the reflected schema and
// of statements.
func TestParseColType(t *testing.T) {
	for _, tc := range []struct {
		dialect, text string
		want          colType
	}{
		{Postgres, "character varying(20)", colType{family: "string", name: "character varying", known: true, length: 20}},
		{Postgres, "timestamp(3) without time zone", colType{family: "datetime", name: "timestamp without time zone", known: true, fsp: 3}},
		{Postgres, "numeric", colType{family: "decimal", name: "numeric", known: true, anyPrec: true}},
		{Postgres, "pg_catalog.int4", colType{family: "int", name: "int4", known: true, bytes: 4}},
		{Postgres, "integer[]", colType{family: "integer[]", name: "integer", array: true, bytes: 4}},
		{MySQL, "int(10) unsigned", colType{family: "int", name: "int", known: true, bytes: 4, unsigned: true}},
		{MySQL, "decimal(10,2)", colType{family: "decimal", name: "decimal", known: true, prec: 10, scale: 2}},
		{MySQL, "enum('a','it''s','x,y')", colType{family: "enum", name: "enum", known: true, values: []string{"a", "it's", "x,y"}}},
		{MySQL, "SET('A','b')", colType{family: "set", name: "set", known: true, values: []string{"A", "b"}}},
		{MySQL, "tinytext", colType{family: "string", name: "tinytext", known: true, textBytes: 255}},
		{MySQL, "float(30)", colType{family: "float", name: "float", known: true, bytes: 8}},
		{MySQL, "datetime", colType{family: "datetime", name: "datetime", known: true}},
		{SQLite, "geometry", colType{name: "geometry"}},
	} {
		got := parseColType(tc.dialect, tc.text)
		if got.family != tc.want.family || got.name != tc.want.name || got.known != tc.want.known || got.bytes != tc.want.bytes ||
			got.unsigned != tc.want.unsigned || got.length != tc.want.length || got.textBytes != tc.want.textBytes ||
			got.prec != tc.want.prec || got.scale != tc.want.scale || got.anyPrec != tc.want.anyPrec || got.fsp != tc.want.fsp ||
			got.array != tc.want.array || !slices.Equal(got.values, tc.want.values) {
			t.Errorf("%s %q: %+v, want %+v", tc.dialect, tc.text, got, tc.want)
		}
	}
}

// stateCodes are the rules that read the schema state: the state corpus
// goldens show their messages.
var stateCodes = []string{"RT102", "RT107", "RT205", "RT207", "RT209", "RT305", "RT309", "RT312", "RT316", "RT324", "RT327", "RT401", "RT404",
	"RT406", "RT411", "RT412", "RT502", "RT503", "RT601", "RT602", "RT603", "RT605", "RT801", "RT813"}

// lintStateCorpus lints each "-- case:" of testdata/corpus/<name>.sql as
// a revision of its own for dialect d, against the schema the file's
// "-- before:" part makes on a scratch database, and compares the
// findings (with the messages of the schema-state rules) with
// <name>.golden.
func lintStateCorpus(t *testing.T, name, d string, min int) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "corpus", name+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(src), "\n-- case: ")
	_, setup, ok := strings.Cut(parts[0], "-- before:\n")
	if !ok {
		t.Fatalf("%s.sql: no \"-- before:\" line before the first case", name)
	}
	before := stateOf(t, d, setup)
	var out strings.Builder
	for _, part := range parts[1:] {
		title, body, _ := strings.Cut(part, "\n")
		rev, err := SQLRevision("migrations/abc123.sql", []byte(file(strings.TrimSpace(body))), []string{d})
		if err != nil {
			t.Fatalf("case %s: %v", title, err)
		}
		rev.Before = map[string]*schema.Schema{d: before}
		res := Lint([]*Revision{rev}, Settings{})
		fmt.Fprintf(&out, "%s: %s", title, strings.Join(codes(res.Findings), " "))
		if len(res.SkippedState) > 0 {
			fmt.Fprintf(&out, " (skipped for want of state %s)", strings.Join(res.SkippedState, " "))
		}
		out.WriteByte('\n')
		for _, f := range res.Findings {
			if slices.Contains(stateCodes, f.Code) {
				fmt.Fprintf(&out, "    %s %s: %s\n", f.Code, f.Severity, f.Message)
			}
		}
	}
	if n := len(parts) - 1; n < min {
		t.Fatalf("the corpus has %d cases, want %d or more", n, min)
	}
	golden := filepath.Join("testdata", "corpus", name+".golden")
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./lint -run Corpus -update)", err)
	}
	if out.String() != string(want) {
		t.Errorf("findings differ from %s:\n%s", golden, out.String())
	}
}

// TestStateCorpus lints migrations in the styles of Rails, Django,
// Alembic, Laravel and hand-written SQL against a schema state per
// dialect.
func TestStateCorpus(t *testing.T) {
	for _, tc := range []struct {
		name, dialect string
		min           int
	}{
		{"state-postgres", Postgres, 25}, {"state-mysql", MySQL, 20}, {"state-sqlite", SQLite, 12},
	} {
		t.Run(tc.dialect, func(t *testing.T) { lintStateCorpus(t, tc.name, tc.dialect, tc.min) })
	}
}

// TestStateRulesOnEveryCorpus lints every case of every corpus file, on
// each dialect, against that dialect's schema of stateSetups: the rules
// that read the state must cope with any statement (no panic), and the
// tables the corpora name are often in the state.
func TestStateRulesOnEveryCorpus(t *testing.T) {
	st := states(t)
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	n := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range strings.Split(string(src), "\n-- case: ")[1:] {
			_, body, _ := strings.Cut(part, "\n")
			for _, d := range allDialects {
				rev, err := SQLRevision("migrations/abc123.sql", []byte(file(strings.TrimSpace(body))), []string{d})
				if err != nil {
					continue // a case of another dialect's syntax
				}
				rev.Before = map[string]*schema.Schema{d: st[d]}
				if res := Lint([]*Revision{rev}, Settings{}); len(res.SkippedState) > 0 {
					t.Errorf("%s on %s: rules skipped for want of state although it is there: %v", f, d, res.SkippedState)
				}
				n++
			}
		}
	}
	if n < 500 {
		t.Errorf("linted %d cases, want 500 or more", n)
	}
}

// TestLossy classifies type changes: silent are the ones that change
// values without failing (RT107), rangeLoss the ones whose values may not
// fit (RT605).
func TestLossy(t *testing.T) {
	for _, tc := range []struct {
		dialect, old, new string
		silent, rangeLoss bool
	}{
		{Postgres, "integer", "bigint", false, false},
		{Postgres, "bigint", "integer", false, true},
		{Postgres, "integer", "real", true, false},
		{Postgres, "smallint", "real", false, false},
		{Postgres, "bigint", "double precision", true, false},
		{Postgres, "integer", "numeric(12,2)", false, false},
		{Postgres, "integer", "numeric(5,0)", false, true},
		{Postgres, "integer", "text", false, false},
		{Postgres, "integer", "varchar(5)", false, true},
		{Postgres, "numeric(10,2)", "numeric(10,2)", false, false},
		{Postgres, "numeric(10,2)", "numeric", false, false},
		{Postgres, "numeric", "numeric(10,2)", true, true},
		{Postgres, "numeric(10,2)", "integer", true, false},
		{Postgres, "numeric(10,2)", "double precision", true, false},
		{Postgres, "double precision", "real", true, false},
		{Postgres, "real", "numeric(10,2)", true, true},
		{Postgres, "character varying(20)", "varchar(10)", false, true},
		{Postgres, "character varying(20)", "text", false, false},
		{Postgres, "text", "integer", false, true},
		{Postgres, "timestamp(6) with time zone", "timestamptz(3)", true, false},
		{Postgres, "timestamp without time zone", "date", true, false},
		{Postgres, "timestamp without time zone", "timestamptz", false, false},
		{Postgres, "date", "timestamp", false, false},
		{Postgres, "time(6) without time zone", "time(0)", true, false},
		{Postgres, "integer[]", "smallint[]", false, false}, // arrays are not judged
		{Postgres, "mood", "text", false, false},            // neither are types outside the families
		{MySQL, "int(10) unsigned", "int", false, true},
		{MySQL, "int(11)", "int unsigned", false, true},
		{MySQL, "int(10) unsigned", "bigint", false, false},
		{MySQL, "tinyint(1)", "boolean", false, false},
		{MySQL, "mediumint(8) unsigned", "int", false, false},
		{MySQL, "varchar(300)", "tinytext", false, true},
		{MySQL, "varchar(60)", "tinytext", false, false},
		{MySQL, "text", "mediumtext", false, false},
		{MySQL, "datetime(6)", "datetime", true, false},
		{MySQL, "datetime", "time", true, false},
		{MySQL, "varchar(10)", "enum('a','b')", false, true},
		{MySQL, "decimal(10,2)", "decimal(8,2)", false, true},
		{MySQL, "float", "double", false, false},
		{MySQL, "double", "float", true, false},
	} {
		o, n := parseColType(tc.dialect, tc.old), parseColType(tc.dialect, tc.new)
		silent, rng := lossy(o, n, 4)
		if (len(silent) > 0) != tc.silent || (len(rng) > 0) != tc.rangeLoss {
			t.Errorf("%s %s -> %s: silent %q, range %q; want silent %v, range %v", tc.dialect, tc.old, tc.new, silent, rng, tc.silent, tc.rangeLoss)
		}
	}
}

// TestStateRT305NotNullable: a primary key over columns the revision made
// NOT NULL first says nothing of a NOT NULL scan.
func TestStateRT305NotNullable(t *testing.T) {
	st := states(t)
	got := lintTextBefore(t, Postgres, "ALTER TABLE line ALTER COLUMN order_id SET NOT NULL;\nALTER TABLE line ADD PRIMARY KEY (order_id);", Settings{}, st[Postgres])
	i := slices.IndexFunc(got, func(f Finding) bool { return f.Code == "RT305" })
	if i < 0 {
		t.Fatalf("RT305 did not fire: %v", codes(got))
	}
	if strings.Contains(got[i].Message, "nullable") {
		t.Errorf("RT305 names a nullable column although the revision set it NOT NULL: %s", got[i].Message)
	}
}

// stateOfSize is a schema of n tables, each with a primary key, a
// foreign key to the one before, a nullable column and an index.
func stateOfSize(n int) *schema.Schema {
	sc := &schema.Schema{}
	for i := range n {
		tb := schema.NewTable(fmt.Sprintf("t%d", i),
			schema.Col("id", schema.BigInteger()), schema.Col("parent_id", schema.BigInteger()).Nullable(),
			schema.Col("name", schema.String(100)).Nullable(), schema.Col("amount", schema.Numeric(12, 2))).
			PrimaryKey("id").Index(schema.IndexOn("parent_id", "name").Named(fmt.Sprintf("t%d_parent_name_idx", i)))
		for k := range tb.Columns {
			tb.Columns[k].Type.Native = map[string]string{"id": "bigint", "parent_id": "bigint", "name": "character varying(100)", "amount": "numeric(12,2)"}[tb.Columns[k].Name]
		}
		if i > 0 {
			tb = tb.ForeignKey(schema.FK("parent_id").References(fmt.Sprintf("t%d", i-1), "id").Named(fmt.Sprintf("t%d_parent_fk", i)))
		}
		sc.Tables = append(sc.Tables, tb)
	}
	return sc
}

// BenchmarkLintState500 lints a revision whose statements each wake some
// schema-state rule, against a schema of 500 tables: the state rules'
// share of "lint the newest revision with schema state".
func BenchmarkLintState500(b *testing.B) {
	before := stateOfSize(500)
	var up strings.Builder
	for i := 0; i < 500; i += 25 {
		fmt.Fprintf(&up, "ALTER TABLE t%d ALTER COLUMN amount TYPE numeric(12,0);\n", i)
		fmt.Fprintf(&up, "ALTER TABLE t%d ALTER COLUMN name SET NOT NULL;\n", i)
		fmt.Fprintf(&up, "CREATE INDEX t%d_parent_idx ON t%d (parent_id);\n", i, i)
		fmt.Fprintf(&up, "ALTER TABLE t%d DROP COLUMN parent_id;\n", i+1)
		fmt.Fprintf(&up, "DROP TABLE t%d;\n", i+2)
	}
	src := []byte(file(up.String()))
	b.ReportAllocs()
	for b.Loop() {
		rev, err := SQLRevision("m/r.sql", src, []string{Postgres})
		if err != nil {
			b.Fatal(err)
		}
		rev.Before = map[string]*schema.Schema{Postgres: before}
		if res := Lint([]*Revision{rev}, Settings{}); !has(res.Findings, "RT813") || !has(res.Findings, "RT209") || len(res.SkippedState) > 0 {
			b.Fatalf("findings %v, skipped %v", codes(res.Findings), res.SkippedState)
		}
	}
}

// TestStateRulesWithinRevision: the schema before the revision is not
// the schema a later statement of it runs on once an earlier statement
// changed the table (its type, its name, the search_path, another schema
// of the same name). Each case lints a revision whose last statement is
// checked: the rule fires on it or not.
func TestStateRulesWithinRevision(t *testing.T) {
	st := states(t)
	for _, tc := range []struct {
		name, dialect, code, sql string
		fires                    bool
	}{
		// altered twice: the second change compares with the first's type
		{"pg narrowed then widened", Postgres, "RT605", "ALTER TABLE customer ALTER COLUMN name TYPE varchar(20);\nALTER TABLE customer ALTER COLUMN name TYPE varchar(30);", false},
		{"pg widened then narrowed back", Postgres, "RT605", "ALTER TABLE customer ALTER COLUMN name TYPE varchar(200);\nALTER TABLE customer ALTER COLUMN name TYPE varchar(100);", false},
		{"my modified twice", MySQL, "RT107", "ALTER TABLE users MODIFY score decimal(10,1);\nALTER TABLE users MODIFY score decimal(10,1) DEFAULT 0;", false},
		{"pg column renamed then changed", Postgres, "RT605", "ALTER TABLE customer RENAME COLUMN name TO full_name;\nALTER TABLE customer RENAME COLUMN code TO name;\nALTER TABLE customer ALTER COLUMN name TYPE varchar(50);", false},
		// a table renamed earlier: its state follows it
		{"pg renamed then narrowed", Postgres, "RT605", "ALTER TABLE customer RENAME TO client;\nALTER TABLE client ALTER COLUMN name TYPE varchar(50);", true},
		{"pg swapped names", Postgres, "RT605", "ALTER TABLE customer RENAME TO customer_old;\nALTER TABLE orders RENAME TO customer;\nALTER TABLE customer ALTER COLUMN note TYPE varchar(50);", true},
		{"pg name taken by a renamed table", Postgres, "RT605", "ALTER TABLE customer RENAME TO customer_old;\nALTER TABLE orders RENAME TO customer;\nALTER TABLE customer ALTER COLUMN name TYPE varchar(50);", false},
		{"my rename table then modify", MySQL, "RT605", "RENAME TABLE users TO members;\nALTER TABLE members MODIFY nickname varchar(10) NOT NULL;", true},
		// another schema, the search_path
		{"pg other schema", Postgres, "RT605", "ALTER TABLE audit.customer ALTER COLUMN name TYPE varchar(50);", false},
		{"pg public schema", Postgres, "RT605", "ALTER TABLE public.customer ALTER COLUMN name TYPE varchar(50);", true},
		{"pg search_path set", Postgres, "RT605", "SET search_path = audit;\nALTER TABLE customer ALTER COLUMN name TYPE varchar(50);", false},
		{"my other database", MySQL, "RT605", "ALTER TABLE archive.users MODIFY nickname varchar(10) NOT NULL;", false},
		// what references a table, when the revision dropped the referencing one first
		{"pg child dropped first", Postgres, "RT209", "DROP TABLE line;\nDROP TABLE orders;", false},
		{"pg child kept", Postgres, "RT209", "DROP TABLE orders;", true},
		{"pg fk dropped first", Postgres, "RT209", "ALTER TABLE line DROP CONSTRAINT line_order_id_fkey;\nDROP TABLE orders;", false},
		{"my child dropped first", MySQL, "RT209", "DROP TABLE posts;\nDROP TABLE users;", false},
		{"pg drop after search_path", Postgres, "RT209", "SET search_path = audit;\nDROP TABLE orders;", false},
		{"pg drop in another schema", Postgres, "RT209", "DROP TABLE audit.orders;", false},
		{"pg drop renamed", Postgres, "RT209", "ALTER TABLE orders RENAME TO orders_old;\nDROP TABLE orders_old;", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := strings.Split(tc.sql, "\n")
			last := lines[len(lines)-1]
			fired := slices.ContainsFunc(lintTextBefore(t, tc.dialect, tc.sql, Settings{}, st[tc.dialect]), func(f Finding) bool {
				return f.Code == tc.code && strings.TrimSuffix(f.Statement, ";") == strings.TrimSuffix(last, ";")
			})
			if fired != tc.fires {
				t.Errorf("%s fired on the last statement = %v, want %v", tc.code, fired, tc.fires)
			}
		})
	}
}

// TestStateDropReferencedAfterReferrerGone: a foreign key whose column
// the revision dropped earlier went with it (PostgreSQL and MySQL drop
// it, or refuse the earlier statement): dropping the referenced column
// or table later is not "still referenced".
func TestStateDropReferencedAfterReferrerGone(t *testing.T) {
	st := states(t)
	for _, tc := range []struct{ name, dialect, sql string }{
		{"pg column", Postgres, "ALTER TABLE line DROP COLUMN order_id;\nALTER TABLE orders DROP COLUMN id;"},
		{"pg table", Postgres, "ALTER TABLE line DROP COLUMN order_id;\nDROP TABLE orders;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range lintTextBefore(t, tc.dialect, tc.sql, Settings{}, st[tc.dialect]) {
				if strings.Contains(f.Message, "referenced by") || strings.Contains(f.Message, "still used by") {
					t.Errorf("%s: %s", f.Code, f.Message)
				}
			}
		})
	}
}
