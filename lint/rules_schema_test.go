package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/lint/sqlast"
)

type schemaCase struct {
	name, dialect, code, sql string
	fires                    bool
}

// enabled is the default settings with rule code enabled (as info) when
// it is off by default: a case of an opt-in rule tests it switched on.
func enabled(code string) Settings {
	if r := RuleByCode(code); r != nil && r.Severity == Off {
		return Settings{Severity: map[string]Severity{code: Info}}
	}
	return Settings{}
}

// TestLintOptInRules: the opt-in rules are off by default and fire once
// [lint.rules] enables them.
func TestLintOptInRules(t *testing.T) {
	for code, sql := range map[string]string{
		"RT807": "ALTER TABLE orders ADD COLUMN note text NULL;",
		"RT815": "CREATE TABLE event (active boolean NOT NULL, id bigint PRIMARY KEY, archived boolean NOT NULL, created_at timestamptz NOT NULL);",
	} {
		if RuleByCode(code).Severity != Off {
			t.Errorf("%s is on by default; it is opt-in", code)
		}
		if got := lintText(t, Postgres, sql, Settings{}); has(got, code) {
			t.Errorf("%s fired by default: %v", code, codes(got))
		}
		got := lintText(t, Postgres, sql, Settings{Severity: map[string]Severity{code: Warning}})
		if !has(got, code) {
			t.Errorf("%s enabled as a warning did not fire: %v", code, codes(got))
		}
		for _, f := range got {
			if f.Code == code && f.Severity != Warning {
				t.Errorf("%s enabled as a warning reported %s", code, f.Severity)
			}
		}
	}
}

func runSchemaCases(t *testing.T, cases []schemaCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.code+"/"+tc.name, func(t *testing.T) {
			got := lintText(t, tc.dialect, tc.sql, enabled(tc.code))
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
		{"mysql primary key redefined", MySQL, "RT105", "ALTER TABLE audit DROP PRIMARY KEY, ADD PRIMARY KEY (id, created_at);", false},
		{"redefined in the same statement", Postgres, "RT105", "ALTER TABLE orders DROP CONSTRAINT chk, ADD CONSTRAINT chk CHECK (a > 0) NOT VALID;", false},
		{"other constraint added", Postgres, "RT105", "ALTER TABLE orders DROP CONSTRAINT chk, ADD CONSTRAINT chk2 CHECK (a > 0) NOT VALID;", true},
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

func TestLintSchemaDesign(t *testing.T) {
	runSchemaCases(t, []schemaCase{
		// RT801
		{"rails integer fk", Postgres, "RT801", `ALTER TABLE "comments" ADD "post_id" integer NOT NULL;`, true},
		{"mysql int auto_increment", MySQL, "RT801", "CREATE TABLE users (id int NOT NULL AUTO_INCREMENT, PRIMARY KEY (id));", true},
		{"pg table pk constraint", Postgres, "RT801", "CREATE TABLE t (code int NOT NULL, PRIMARY KEY (code));", true},
		{"pg references", Postgres, "RT801", "ALTER TABLE orders ADD COLUMN owner int NULL REFERENCES users (id);", true},
		{"plain int column", Postgres, "RT801", "ALTER TABLE orders ADD COLUMN quantity integer NOT NULL DEFAULT 1;", false},
		{"bigint key", MySQL, "RT801", "CREATE TABLE users (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY);", false},
		{"mysql tinyint boolean", MySQL, "RT801", "ALTER TABLE users ADD COLUMN is_id tinyint(1) NOT NULL DEFAULT 0;", false},
		{"sqlite integer is 64 bit", SQLite, "RT801", "CREATE TABLE t (id INTEGER PRIMARY KEY);", false},
		// RT802
		{"serial", Postgres, "RT802", "CREATE TABLE t (id serial PRIMARY KEY);", true},
		{"alembic sa.Integer autoincrement", Postgres, "RT802", "CREATE TABLE account (\n\tid SERIAL NOT NULL,\n\tPRIMARY KEY (id)\n);", true},
		{"identity", Postgres, "RT802", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);", false},
		// RT803
		{"rails string limit", Postgres, "RT803", `CREATE TABLE "users" ("id" bigserial primary key, "name" character varying(255) NOT NULL);`, true},
		{"varchar without length", Postgres, "RT803", "ALTER TABLE users ADD COLUMN name varchar NOT NULL DEFAULT '';", false},
		{"mysql varchar", MySQL, "RT803", "ALTER TABLE users ADD COLUMN name varchar(255) NOT NULL DEFAULT '';", false},
		// RT804
		{"rails datetime", Postgres, "RT804", `CREATE TABLE "posts" ("id" bigserial primary key, "created_at" timestamp(6) NOT NULL);`, true},
		{"without time zone", Postgres, "RT804", "ALTER TABLE posts ALTER COLUMN created_at TYPE timestamp without time zone;", true},
		{"with time zone", Postgres, "RT804", "ALTER TABLE posts ADD COLUMN published_at timestamp with time zone NULL;", false},
		{"mysql timestamp", MySQL, "RT804", "ALTER TABLE posts ADD COLUMN published_at timestamp NULL;", false},
		// RT805
		{"mysql char uuid", MySQL, "RT805", "CREATE TABLE t (id char(36) NOT NULL PRIMARY KEY);", true},
		{"pg character", Postgres, "RT805", "ALTER TABLE t ADD COLUMN code character(3) NOT NULL DEFAULT 'EUR';", true},
		{"character varying", Postgres, "RT805", "ALTER TABLE t ADD COLUMN code character varying(3) NULL;", false},
		{"sqlite char", SQLite, "RT805", "ALTER TABLE t ADD COLUMN code char(3) NULL;", false},
		// RT807
		{"unqualified create", Postgres, "RT807", "CREATE TABLE orders (id bigint PRIMARY KEY);", true},
		{"unqualified index table", Postgres, "RT807", "CREATE INDEX i ON orders (a);", true},
		{"qualified", Postgres, "RT807", "CREATE INDEX i ON public.orders (a);", false},
		{"temp", Postgres, "RT807", "CREATE TEMP TABLE scratch (a int NULL);", false},
		{"update is not checked", Postgres, "RT807", "UPDATE orders SET a = 1 WHERE id = 2;", false},
		// RT809
		{"insert twice", Postgres, "RT809", "INSERT INTO orders (id, status, status) VALUES (1, 'a', 'b');", true},
		{"create twice", MySQL, "RT809", "CREATE TABLE t (a int NOT NULL, b int NOT NULL, A int NOT NULL);", true},
		{"alter add twice", Postgres, "RT809", "ALTER TABLE t ADD COLUMN x int NULL, ADD COLUMN x text NULL;", true},
		{"mysql insert set", MySQL, "RT809", "INSERT INTO t SET a = 1, b = 2, a = 3;", true},
		{"insert distinct", SQLite, "RT809", "INSERT INTO orders (id, status) VALUES (1, 'a');", false},
		{"update expression mentions column", Postgres, "RT809", "UPDATE orders SET total = total + 1, status = 'x' WHERE id = 1;", false},
		// RT810
		{"rails add column", Postgres, "RT810", `ALTER TABLE "users" ADD "nickname" character varying;`, true},
		{"mysql modify", MySQL, "RT810", "ALTER TABLE users MODIFY nickname varchar(50);", true},
		{"sqlite create", SQLite, "RT810", "CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT);", true},
		{"explicit null", Postgres, "RT810", "ALTER TABLE users ADD COLUMN nickname text NULL;", false},
		{"pk in table constraint", MySQL, "RT810", "CREATE TABLE t (a int, b int, PRIMARY KEY (a, b));", false},
		{"generated", Postgres, "RT810", "CREATE TABLE t (id bigint PRIMARY KEY, a int NOT NULL, b int GENERATED ALWAYS AS (a * 2) STORED);", false},
		{"temp table", Postgres, "RT810", "CREATE TEMP TABLE t (a int);", false},
		{"alter type only", Postgres, "RT810", "ALTER TABLE t ALTER COLUMN a TYPE bigint;", false},
		// RT811
		{"wide index", MySQL, "RT811", "ALTER TABLE orders ADD INDEX idx_report (a, b, c, d);", true},
		{"wide index in create", MySQL, "RT811", "CREATE TABLE t (a int NOT NULL, b int NOT NULL, c int NOT NULL, d int NOT NULL, KEY k (a, b, c, d));", true},
		{"wide unique", Postgres, "RT811", "CREATE UNIQUE INDEX u ON t (a, b, c, d);", false},
		{"three columns", SQLite, "RT811", "CREATE INDEX i ON t (a, b, c);", false},
		// RT812
		{"django m2m without pk", Postgres, "RT812", `CREATE TABLE "tag_links" ("post_id" bigint NOT NULL, "tag_id" bigint NOT NULL);`, true},
		{"sqlite no pk", SQLite, "RT812", "CREATE TABLE log (msg TEXT NOT NULL);", true},
		{"pk added later", Postgres, "RT812", "CREATE TABLE log (id bigint NOT NULL);\nALTER TABLE log ADD CONSTRAINT log_pkey PRIMARY KEY (id);", false},
		{"inline pk", MySQL, "RT812", "CREATE TABLE log (id bigint NOT NULL PRIMARY KEY);", false},
		{"partition", Postgres, "RT812", "CREATE TABLE log_2026 PARTITION OF log FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');", false},
		{"temporary", MySQL, "RT812", "CREATE TEMPORARY TABLE scratch (a int NOT NULL);", false},
		// RT814
		{"mysql enum column", MySQL, "RT814", "ALTER TABLE orders ADD COLUMN status enum('new','paid') NOT NULL DEFAULT 'new';", true},
		{"mysql create with enum", MySQL, "RT814", "CREATE TABLE t (id bigint NOT NULL PRIMARY KEY, s ENUM('a','b') NOT NULL);", true},
		{"pg add value", Postgres, "RT814", "ALTER TYPE order_status ADD VALUE 'refunded';", false},
		{"mysql set is not checked", MySQL, "RT814", "ALTER TABLE orders ADD COLUMN flags varchar(20) NOT NULL DEFAULT '';", false},
		// RT815
		{"boolean before bigints", Postgres, "RT815", "CREATE TABLE t (deleted boolean NOT NULL, id bigint NOT NULL, flag boolean NOT NULL, ts timestamptz NOT NULL, note text NULL);", true},
		{"small waste under a word", Postgres, "RT815", "CREATE TABLE t (id bigint NOT NULL, a smallint NOT NULL, b integer NOT NULL);", false},
		{"variable width only", Postgres, "RT815", "CREATE TABLE t (a text NOT NULL, b jsonb NOT NULL, c numeric NOT NULL);", false},
		{"already ordered", Postgres, "RT815", "CREATE TABLE t (id bigint NOT NULL, ts timestamptz NOT NULL, n int NOT NULL, s smallint NOT NULL, b boolean NOT NULL);", false},
	})
}

func TestAlignmentSaving(t *testing.T) {
	for _, tc := range []struct {
		types []string
		want  int
	}{
		{[]string{"boolean", "bigint"}, 0},                          // 16 either way
		{[]string{"boolean", "bigint", "boolean", "bigint"}, 8},     // 32 vs 24
		{[]string{"smallint", "bigint", "integer", "interval"}, 8},  // 40 vs 32
		{[]string{"bigint", "integer", "smallint", "boolean"}, 0},   // ordered
		{[]string{"boolean", "uuid", "boolean"}, 0},                 // uuid aligns on 1 byte
		{[]string{"integer", "bigint", "integer", "bigint"}, 8},     // 32 vs 24
		{[]string{"date", "timestamptz", "date", "timestamptz"}, 8}, // 32 vs 24
	} {
		ct := &sqlast.CreateTableParts{}
		for i, ty := range tc.types {
			ct.Columns = append(ct.Columns, &sqlast.Column{Name: fmt.Sprintf("c%d", i), Type: &sqlast.Type{Name: ty}})
		}
		ct.Columns = append(ct.Columns, &sqlast.Column{Name: "note", Type: &sqlast.Type{Name: "text"}})
		if got, order := alignmentSaving(ct); got != tc.want || len(order) != len(tc.types) {
			t.Errorf("%v: saving %d, order %v; want %d", tc.types, got, order, tc.want)
		}
	}
}

// TestLintCorpus lints the statement corpus: every lint/testdata/corpus/
// schema-*.sql file (the other corpus files have harnesses of their own,
// which set a server version per case) names its dialect on its first line ("-- dialect: mysql")
// and holds cases, each beginning with "-- case: name" and linted as the
// upgrade section of a revision of its own. The findings of every case
// (code@line, lines counted from the case's first statement) are compared
// with the file's .golden; go test ./lint -run TestLintCorpus -update
// rewrites it.
func TestLintCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "schema-*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no corpus files in testdata/corpus")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := lintCorpus(t, string(data))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			checkGolden(t, strings.TrimSuffix(path, ".sql")+".golden", got, "TestLintCorpus")
		})
	}
}

// lintCorpus lints each case of a corpus file and returns one line per
// case: its name and findings.
func lintCorpus(t *testing.T, text string) (string, error) {
	first, rest, _ := strings.Cut(text, "\n")
	dialect, ok := strings.CutPrefix(first, "-- dialect: ")
	if !ok || !slices.Contains(AllDialects(), dialect) {
		return "", fmt.Errorf("line 1: write -- dialect: postgres, mysql or sqlite")
	}
	var b strings.Builder
	cases := strings.Split(rest, "-- case: ")
	if strings.TrimSpace(cases[0]) != "" {
		return "", fmt.Errorf("text before the first -- case: line")
	}
	seen := map[string]bool{}
	for _, c := range cases[1:] {
		name, body, _ := strings.Cut(c, "\n")
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			return "", fmt.Errorf("case %q: every case needs a name of its own", name)
		}
		seen[name] = true
		fs := lintText(t, dialect, strings.TrimSpace(body), Settings{})
		var found []string
		for _, f := range fs {
			// file() puts the upgrade section's first statement on line 6
			found = append(found, fmt.Sprintf("%s@%d", f.Code, f.Line-5))
		}
		fmt.Fprintf(&b, "%s: %s\n", name, strings.Join(found, " "))
	}
	return b.String(), nil
}
