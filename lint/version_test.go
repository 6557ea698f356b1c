package lint

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestParseServerVersion(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{"postgresql 15", "postgresql 15", ""},
		{"PostgreSQL 14.3", "postgresql 14.3", ""},
		{"postgres 9.6", "postgresql 9.6", ""},
		{"mysql 8.0", "mysql 8.0", ""},
		{"mysql 8.0.36", "mysql 8.0.36", ""},
		{" mariadb 10.11 ", "mariadb 10.11", ""},
		{"sqlite 3.40", "sqlite 3.40", ""},
		{"8.0", "", `server version "8.0": write the server and its version`},
		{"oracle 19", "", `server version "oracle 19"`},
		{"mysql eight", "", `server version "mysql eight"`},
		{"", "", `server version ""`},
	} {
		v, err := ParseServerVersion(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseServerVersion(%q) error = %v, want %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("ParseServerVersion(%q): %v", tc.in, err)
		case v.String() != tc.want:
			t.Errorf("ParseServerVersion(%q) = %s, want %s", tc.in, v, tc.want)
		}
	}
}

func TestLiveServerVersion(t *testing.T) {
	for _, tc := range []struct {
		dialect, answer, want string
	}{
		{Postgres, "PostgreSQL 15.4 (Debian 15.4-2.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc", "postgresql 15.4"},
		{Postgres, "PostgreSQL 9.6.24 on x86_64-pc-linux-gnu", "postgresql 9.6.24"},
		{MySQL, "8.0.36", "mysql 8.0.36"},
		{MySQL, "8.0.36-0ubuntu0.22.04.1", "mysql 8.0.36"},
		{MySQL, "10.11.6-MariaDB-0+deb12u1", "mariadb 10.11.6"},
		{SQLite, "3.40.1", "sqlite 3.40.1"},
	} {
		v, err := LiveServerVersion(tc.dialect, tc.answer)
		if err != nil || v.String() != tc.want {
			t.Errorf("LiveServerVersion(%s, %q) = %s, %v; want %s", tc.dialect, tc.answer, v, err, tc.want)
		}
	}
	if _, err := LiveServerVersion(MySQL, "unknown"); err == nil {
		t.Error("a version without numbers accepted")
	}
}

func TestServerVersionBefore(t *testing.T) {
	v := ServerVersion{Flavour: FlavourMySQL, Major: 8, Minor: 0, Patch: -1}
	if !v.Before(8, 0, 29) || v.Before(8, 0, 0) || !v.Before(9, 0, 0) || v.Before(5, 7, 44) {
		t.Errorf("%s: Before wrong", v)
	}
}

func TestLintVersionRules(t *testing.T) {
	for _, tc := range []struct {
		name, dialect, server, code, sql string
		fires                            bool
	}{
		// RT326 concurrent-index-pg14-bug
		{"pg 14.3 concurrently", Postgres, "postgresql 14.3", "RT326", "-- +no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (lower(email));", true},
		{"pg 14 unknown minor", Postgres, "postgresql 14", "RT326", "-- +no-transaction\nCREATE INDEX CONCURRENTLY a_b ON a (b);", true},
		{"pg 14 reindex", Postgres, "postgresql 14.0", "RT326", "-- +no-transaction\nREINDEX INDEX CONCURRENTLY a_b;", true},
		{"pg 14.4 fixed", Postgres, "postgresql 14.4", "RT326", "-- +no-transaction\nCREATE INDEX CONCURRENTLY a_b ON a (b);", false},
		{"pg 15", Postgres, "postgresql 15", "RT326", "-- +no-transaction\nCREATE INDEX CONCURRENTLY a_b ON a (b);", false},
		{"pg 13", Postgres, "postgresql 13.2", "RT326", "-- +no-transaction\nCREATE INDEX CONCURRENTLY a_b ON a (b);", false},
		{"pg 14 not concurrently", Postgres, "postgresql 14.2", "RT326", "CREATE INDEX a_b ON a (b);", false},
		// RT816 hash-index-old-pg
		{"hash on 9.6", Postgres, "postgresql 9.6", "RT816", "CREATE INDEX t_h ON t USING HASH (token);", true},
		{"hash on 10", Postgres, "postgresql 10", "RT816", "CREATE INDEX t_h ON t USING hash (token);", false},
		{"btree on 9.6", Postgres, "postgresql 9.6", "RT816", "CREATE INDEX t_h ON t (token);", false},
		// RT310 add-column-volatile-default, PostgreSQL before 11: any default rewrites
		{"constant default on 10", Postgres, "postgresql 10.23", "RT310", "ALTER TABLE orders ADD COLUMN status varchar(20) DEFAULT 'new' NOT NULL;", true},
		{"stable default on 9.6", Postgres, "postgresql 9.6", "RT310", "ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();", true},
		{"constant default on 11", Postgres, "postgresql 11", "RT310", "ALTER TABLE orders ADD COLUMN status varchar(20) DEFAULT 'new' NOT NULL;", false},
		{"no default on 10", Postgres, "postgresql 10", "RT310", "ALTER TABLE orders ADD COLUMN status varchar(20);", false},
		{"default on a new table on 10", Postgres, "postgresql 10", "RT310", "CREATE TABLE orders (id int);\nALTER TABLE orders ADD COLUMN status text DEFAULT 'new';", false},
		{"set default on 10", Postgres, "postgresql 10", "RT310", "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';", false},
		{"volatile default on 15", Postgres, "postgresql 15", "RT310", "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();", true},
		// RT406 add-column-not-last
		{"after on 8.0.28", MySQL, "mysql 8.0.28", "RT406", "ALTER TABLE `users` ADD `nickname` varchar(255) DEFAULT NULL AFTER `email`;", true},
		{"first on 5.7", MySQL, "mysql 5.7", "RT406", "ALTER TABLE users ADD COLUMN id2 int FIRST;", true},
		{"after on mariadb 10.3", MySQL, "mariadb 10.3", "RT406", "ALTER TABLE users ADD COLUMN n int AFTER email;", true},
		{"after on 8.0.29", MySQL, "mysql 8.0.29", "RT406", "ALTER TABLE users ADD COLUMN n int AFTER email;", false},
		{"after on mariadb 10.11", MySQL, "mariadb 10.11", "RT406", "ALTER TABLE users ADD COLUMN n int AFTER email;", false},
		{"last on 5.7", MySQL, "mysql 5.7", "RT406", "ALTER TABLE users ADD COLUMN n int;", false},
		{"after on created table", MySQL, "mysql 5.7", "RT406", "CREATE TABLE users (id int, email text);\nALTER TABLE users ADD COLUMN n int AFTER email;", false},
		// RT407 inline-references-ignored
		{"inline on mysql 8", MySQL, "mysql 8.0", "RT407", "CREATE TABLE comments (id int PRIMARY KEY, post_id int REFERENCES posts (id) ON DELETE CASCADE);", true},
		{"inline in add column", MySQL, "mysql 5.7", "RT407", "ALTER TABLE comments ADD COLUMN author_id int REFERENCES users (id);", true},
		{"inline on mysql 9", MySQL, "mysql 9.1", "RT407", "CREATE TABLE comments (id int PRIMARY KEY, post_id int REFERENCES posts (id));", false},
		{"inline on mariadb", MySQL, "mariadb 10.11", "RT407", "CREATE TABLE comments (id int PRIMARY KEY, post_id int REFERENCES posts (id));", false},
		{"table-level fk", MySQL, "mysql 8.0", "RT407", "CREATE TABLE comments (id int PRIMARY KEY, post_id int, FOREIGN KEY (post_id) REFERENCES posts (id));", false},
		// RT501 alter-needs-rebuild, the version-dependent forms
		{"drop column on 3.31", SQLite, "sqlite 3.31", "RT501", "ALTER TABLE notes DROP COLUMN legacy;", true},
		{"drop column on 3.40", SQLite, "sqlite 3.40", "RT501", "ALTER TABLE notes DROP COLUMN legacy;", false},
		{"rename column on 3.22", SQLite, "sqlite 3.22", "RT501", "ALTER TABLE notes RENAME COLUMN body TO text;", true},
		{"rename column on 3.25", SQLite, "sqlite 3.25", "RT501", "ALTER TABLE notes RENAME COLUMN body TO text;", false},
		{"set not null on 3.40", SQLite, "sqlite 3.40", "RT501", "ALTER TABLE notes ALTER COLUMN body SET NOT NULL;", true},
		{"check on 3.53", SQLite, "sqlite 3.53", "RT501", "ALTER TABLE notes ADD CONSTRAINT body_len CHECK (length(body) < 10000);", false},
		{"type change on any version", SQLite, "sqlite 3.53", "RT501", "ALTER TABLE notes ALTER COLUMN body TYPE text;", true},
		// a server of another dialect is no version for this one
		{"pg server for mysql", MySQL, "postgresql 15", "RT406", "ALTER TABLE users ADD COLUMN n int FIRST;", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := ParseServerVersion(tc.server)
			if err != nil {
				t.Fatal(err)
			}
			got := lintText(t, tc.dialect, tc.sql, Settings{Server: &v})
			if has(got, tc.code) != tc.fires {
				t.Errorf("%s fired = %v, want %v: %v", tc.code, !tc.fires, tc.fires, codes(got))
			}
		})
	}
}

// TestLintSkippedWithoutVersion: a version rule with something to check
// and no version is listed once, in the text and JSON outputs; a
// revision with nothing for it lists none.
func TestLintSkippedWithoutVersion(t *testing.T) {
	rev, err := SQLRevision("migrations/abc123.sql", []byte(file(
		"ALTER TABLE users ADD COLUMN n int AFTER email;\nALTER TABLE users ADD COLUMN m int FIRST;\nCREATE TABLE c (id int, p int REFERENCES p (id));")), []string{MySQL})
	if err != nil {
		t.Fatal(err)
	}
	res := Lint([]*Revision{rev}, Settings{})
	if !slices.Equal(res.Skipped, []string{"RT406", "RT407"}) {
		t.Errorf("Skipped = %v, want [RT406 RT407]", res.Skipped)
	}
	var text, js bytes.Buffer
	if err := res.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if want := "info: 2 rules skipped: no server version; set lint.server_version or a URL (RT406, RT407)\n"; !strings.Contains(text.String(), want) {
		t.Errorf("text output lacks %q:\n%s", want, text.String())
	}
	if err := res.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"skipped_rules": [`) {
		t.Errorf("JSON output lacks skipped_rules:\n%s", js.String())
	}

	rev2, err := SQLRevision("migrations/abc123.sql", []byte(file("ALTER TABLE users ADD COLUMN n int;")), []string{MySQL})
	if err != nil {
		t.Fatal(err)
	}
	res2 := Lint([]*Revision{rev2}, Settings{})
	text.Reset()
	if err := res2.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if len(res2.Skipped) != 0 || strings.Contains(text.String(), "no server version") {
		t.Errorf("nothing for a version rule, yet skipped: %v\n%s", res2.Skipped, text.String())
	}
}

func TestLintNotNullStrictMode(t *testing.T) {
	strict, loose := "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE", "NO_ENGINE_SUBSTITUTION"
	for _, tc := range []struct {
		name, server string
		mode         *string
		sql          string
		fires        bool
	}{
		{"live loose mode", "mariadb 10.11", &loose, "ALTER TABLE `users` MODIFY `nickname` varchar(50) NOT NULL;", true},
		{"live strict mode", "mysql 5.6", &strict, "ALTER TABLE users MODIFY nickname varchar(50) NOT NULL;", false},
		{"change column loose", "", &loose, "ALTER TABLE users CHANGE nick nickname varchar(50) NOT NULL DEFAULT '';", true},
		{"default of 5.6 is loose", "mysql 5.6", nil, "ALTER TABLE users MODIFY nickname varchar(50) NOT NULL;", true},
		{"default of 5.7 is strict", "mysql 5.7", nil, "ALTER TABLE users MODIFY nickname varchar(50) NOT NULL;", false},
		{"default of mariadb 10.1 is loose", "mariadb 10.1", nil, "ALTER TABLE users MODIFY nickname varchar(50) NOT NULL;", true},
		{"default of mariadb 10.11 is strict", "mariadb 10.11", nil, "ALTER TABLE users MODIFY nickname varchar(50) NOT NULL;", false},
		{"to NULL", "", &loose, "ALTER TABLE users MODIFY nickname varchar(50) NULL;", false},
		{"created table", "", &loose, "CREATE TABLE users (id int, nickname varchar(50));\nALTER TABLE users MODIFY nickname varchar(50) NOT NULL;", false},
		{"nothing known", "", nil, "ALTER TABLE users MODIFY nickname varchar(50) NOT NULL;", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Settings{SQLMode: tc.mode}
			if tc.server != "" {
				v, err := ParseServerVersion(tc.server)
				if err != nil {
					t.Fatal(err)
				}
				s.Server = &v
			}
			rev, err := SQLRevision("migrations/abc123.sql", []byte(file(tc.sql)), []string{MySQL})
			if err != nil {
				t.Fatal(err)
			}
			res := Lint([]*Revision{rev}, s)
			if has(res.Findings, "RT414") != tc.fires {
				t.Errorf("RT414 fired = %v, want %v: %v", !tc.fires, tc.fires, codes(res.Findings))
			}
			if skipped := slices.Contains(res.Skipped, "RT414"); skipped != (tc.name == "nothing known") {
				t.Errorf("RT414 skipped = %v: %v", skipped, res.Skipped)
			}
		})
	}
}

// TestLintRT310WithoutVersion: without a server version RT310 checks
// volatile defaults only, and is not listed as skipped (its PostgreSQL
// < 11 part matters on unsupported releases only).
func TestLintRT310WithoutVersion(t *testing.T) {
	rev, err := SQLRevision("migrations/abc123.sql", []byte(file("ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';")), []string{Postgres})
	if err != nil {
		t.Fatal(err)
	}
	res := Lint([]*Revision{rev}, Settings{})
	if has(res.Findings, "RT310") || slices.Contains(res.Skipped, "RT310") {
		t.Errorf("RT310 without a server version: findings %v, skipped %v", codes(res.Findings), res.Skipped)
	}
}
