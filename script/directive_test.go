package script

import (
	"crypto/sha256"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

const head = "-- revision: a\n-- down_revision:\n"

// TestParseDirectiveErrors checks that every "-- +word" line that is not
// a directive stops the parse with its line and the directive meant:
// left as a comment, a misspelt -- +downgrade would run the downgrade as
// part of the upgrade.
func TestParseDirectiveErrors(t *testing.T) {
	const why = `; a line that starts with "-- +" must be "-- +upgrade", "-- +downgrade" (each optionally followed by a dialect) or "-- +no-transaction", so that a misspelt marker cannot run one section as part of another; write a comment as "-- text"`
	const dialects = "; the dialects are postgresql (or postgres), mysql and sqlite, and a marker without one applies to every dialect"
	tests := []struct {
		name, src, want string
	}{
		{"downgrade misspelt", head + "-- +upgrade\nCREATE TABLE t (x INT);\n-- +downgrad\nDROP TABLE t;\n",
			`m/x.sql:5: unknown directive "-- +downgrad" (did you mean "-- +downgrade"?)` + why},
		{"downgrade shortened", head + "-- +upgrade\nCREATE TABLE t (x INT);\n\n-- +down\nDROP TABLE t;\n",
			`m/x.sql:6: unknown directive "-- +down" (did you mean "-- +downgrade"?)` + why},
		{"downgrade with a colon", head + "-- +upgrade\nCREATE TABLE t (x INT);\n-- +downgrade:\nDROP TABLE t;\n",
			`m/x.sql:5: unknown directive "-- +downgrade:" (did you mean "-- +downgrade"?)` + why},
		{"upgrade lengthened", head + "-- +upgrade\nSELECT 1;\n-- +upgradeish\nSELECT 2;\n",
			`m/x.sql:5: unknown directive "-- +upgradeish" (did you mean "-- +upgrade"?)` + why},
		{"upgrade shortened", head + "-- +upgrade\nSELECT 1;\n-- +up\n",
			`m/x.sql:5: unknown directive "-- +up" (did you mean "-- +upgrade"?)` + why},
		{"no-transaction with words after it", head + "-- +upgrade\n-- +no-transaction because of the index\nSELECT 1;\n",
			`m/x.sql:4: unknown directive "-- +no-transaction because of the index" (did you mean "-- +no-transaction"?)` + why},
		{"no-transaction shortened", head + "-- +upgrade\n-- +no-tx\nSELECT 1;\n",
			`m/x.sql:4: unknown directive "-- +no-tx" (did you mean "-- +no-transaction"?)` + why},
		{"in the downgrade section", head + "-- +upgrade\nSELECT 1;\n-- +downgrade\n-- +notransaction\nSELECT 2;\n",
			`m/x.sql:6: unknown directive "-- +notransaction" (did you mean "-- +no-transaction"?)` + why},
		{"nothing near", head + "-- +upgrade\n-- +todo check the index\nSELECT 1;\n",
			`m/x.sql:4: unknown directive "-- +todo check the index"` + why},
		{"goose marker in a section", head + "-- +upgrade\nSELECT 1;\n-- +goose Down\nSELECT 2;\n",
			`m/x.sql:5: "-- +goose Down" is goose's marker; retort's sections start with "-- +upgrade" and "-- +downgrade"`},
		{"indented, with a tab", head + "-- +upgrade\nSELECT 1;\n\t--\t+downgrde\n",
			`m/x.sql:5: unknown directive "--\t+downgrde" (did you mean "-- +downgrade"?)` + why},
		{"unknown directive in the header", head + "-- +upgrad\nSELECT 1;\n",
			`m/x.sql:3: unknown directive "-- +upgrad" (did you mean "-- +upgrade"?)` + why},
		{"second plain upgrade", head + "-- +upgrade\nSELECT 1;\n-- +upgrade\n",
			`m/x.sql:5: second "-- +upgrade" line; a file has one upgrade section`},
		{"unknown dialect", head + "-- +upgrade\nSELECT 1;\n-- +upgrade postgre\nSELECT 2;\n",
			`m/x.sql:5: unknown dialect "postgre" in "-- +upgrade postgre" (did you mean "-- +upgrade postgres"?)` + dialects},
		{"unknown dialect, sqlite3", head + "-- +upgrade\nSELECT 1;\n-- +downgrade sqlite3\n",
			`m/x.sql:5: unknown dialect "sqlite3" in "-- +downgrade sqlite3" (did you mean "-- +downgrade sqlite"?)` + dialects},
		{"unknown dialect, mariadb", head + "-- +upgrade\nSELECT 1;\n-- +upgrade mariadb\n",
			`m/x.sql:5: unknown dialect "mariadb" in "-- +upgrade mariadb" (did you mean "-- +upgrade mysql"?)` + dialects},
		{"unknown dialect, psql", head + "-- +upgrade\nSELECT 1;\n-- +upgrade psql\n",
			`m/x.sql:5: unknown dialect "psql" in "-- +upgrade psql" (did you mean "-- +upgrade postgresql"?)` + dialects},
		{"unknown dialect, nothing near", head + "-- +upgrade\nSELECT 1;\n-- +upgrade oracle\n",
			`m/x.sql:5: unknown dialect "oracle" in "-- +upgrade oracle"` + dialects},
		{"unknown dialect in the first marker", head + "-- +upgrade sqlit\nSELECT 1;\n",
			`m/x.sql:3: unknown dialect "sqlit" in "-- +upgrade sqlit" (did you mean "-- +upgrade sqlite"?)` + dialects},
		{"two dialects", head + "-- +upgrade\nSELECT 1;\n-- +upgrade mysql, sqlite\n",
			`m/x.sql:5: "mysql, sqlite" after "-- +upgrade": a section marker names one dialect` + dialects},
		{"dialect in upper case", head + "-- +upgrade\nSELECT 1;\n-- +upgrade SQLite\n",
			`m/x.sql:5: "-- +upgrade SQLite" is not a marker; write exactly "-- +upgrade sqlite" (lower case, one space)`},
		{"dialect marker in upper case", head + "-- +upgrade\nSELECT 1;\n-- +Downgrade mysql\n",
			`m/x.sql:5: "-- +Downgrade mysql" is not a marker; write exactly "-- +downgrade mysql" (lower case, one space)`},
		{"dialect marker with two spaces", head + "-- +upgrade\nSELECT 1;\n-- +upgrade  mysql\n",
			`m/x.sql:5: "-- +upgrade  mysql" is not a marker; write exactly "-- +upgrade mysql" (lower case, one space)`},
		{"second upgrade for a dialect", head + "-- +upgrade mysql\nSELECT 1;\n-- +downgrade mysql\n-- +upgrade mysql\n",
			`m/x.sql:6: second upgrade section for mysql ("-- +upgrade mysql"; the first starts on line 3); a file has one upgrade section per dialect`},
		{"second downgrade for a dialect, both spellings", head + "-- +upgrade\n-- +downgrade postgresql\n-- +downgrade postgres\n",
			`m/x.sql:5: second downgrade section for postgres ("-- +downgrade postgres"; the first starts on line 4); a file has one downgrade section per dialect`},
		{"dialect downgrade before any upgrade", head + "-- +downgrade mysql\n-- +upgrade\n",
			`m/x.sql:3: "-- +downgrade mysql" comes before "-- +upgrade"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tt.src), "m/x.sql")
			checkParseError(t, "Parse", err, tt.want)
			// Load reads only the header: an error after it shows in Body.
			ss, err := Load(fstest.MapFS{"d/x.sql": {Data: []byte(tt.src)}}, "d", "m")
			if err == nil {
				_, err = ss[0].Body()
			}
			checkParseError(t, "Load and Body", err, tt.want)
		})
	}
}

// TestParseDirectivesAccepted checks the lines that stay as they are:
// -- +no-transaction in every spelling the splitter accepts, and free
// comments that do not start with "+" and a letter.
func TestParseDirectivesAccepted(t *testing.T) {
	for _, line := range []string{
		"-- +no-transaction",
		"--+no-transaction",
		"  --   +NO-Transaction  ",
		"-- +1 for this",
		"-- + a plus sign",
		"--- +upgrade",
		"SELECT '-- +downgrade';",
		"-- note: -- +downgrade",
	} {
		t.Run(line, func(t *testing.T) {
			src := head + "-- +upgrade\n" + line + "\nSELECT 1;\n"
			_, body, err := Parse([]byte(src), "x.sql")
			if err != nil {
				t.Fatal(err)
			}
			if want := line + "\nSELECT 1;\n"; body.Upgrade.SQL != want || body.Downgrade.Present {
				t.Errorf("sections %+v, want the upgrade %q", body, want)
			}
		})
	}
}

const multi = head + `
-- +upgrade
CREATE TABLE t (id INTEGER);

-- +downgrade
DROP TABLE t;

-- +upgrade postgresql
CREATE TABLE t (id BIGSERIAL);

-- +upgrade mysql
CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY);

-- +downgrade mysql
DROP TABLE IF EXISTS t;

-- +upgrade sqlite
CREATE TABLE t (id INTEGER PRIMARY KEY);
-- +downgrade sqlite
DROP TABLE t;
`

func TestParseDialectSections(t *testing.T) {
	_, body, err := Parse([]byte(multi), "x.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := &Body{
		Upgrade:   Section{SQL: "CREATE TABLE t (id INTEGER);\n\n", Line: 5, Present: true},
		Downgrade: Section{SQL: "DROP TABLE t;\n\n", Line: 8, Present: true},
		DialectUpgrade: map[string]Section{
			"postgres": {SQL: "CREATE TABLE t (id BIGSERIAL);\n\n", Line: 11, Present: true, Dialect: "postgres"},
			"mysql":    {SQL: "CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY);\n\n", Line: 14, Present: true, Dialect: "mysql"},
			"sqlite":   {SQL: "CREATE TABLE t (id INTEGER PRIMARY KEY);\n", Line: 20, Present: true, Dialect: "sqlite"},
		},
		DialectDowngrade: map[string]Section{
			"mysql":  {SQL: "DROP TABLE IF EXISTS t;\n\n", Line: 17, Present: true, Dialect: "mysql"},
			"sqlite": {SQL: "DROP TABLE t;\n", Line: 22, Present: true, Dialect: "sqlite"},
		},
		Checksum: Checksum([]byte(multi)),
	}
	if body.Upgrade != want.Upgrade || body.Downgrade != want.Downgrade || body.Checksum != want.Checksum ||
		!reflect.DeepEqual(body.DialectUpgrade, want.DialectUpgrade) || !reflect.DeepEqual(body.DialectDowngrade, want.DialectDowngrade) {
		t.Errorf("body\n%+v\nwant\n%+v", body, want)
	}
	if got := body.Dialects(true); !reflect.DeepEqual(got, []string{"mysql", "postgres", "sqlite"}) {
		t.Errorf("Dialects(up) = %q", got)
	}
	if got := body.Dialects(false); !reflect.DeepEqual(got, []string{"mysql", "sqlite"}) {
		t.Errorf("Dialects(down) = %q", got)
	}
}

// without returns multi without the given sections, each written as its
// marker line.
func without(src string, markers ...string) string {
	lines := strings.SplitAfter(src, "\n")
	var out strings.Builder
	skip := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "-- +upgrade") || strings.HasPrefix(t, "-- +downgrade") {
			skip = false
			for _, m := range markers {
				if t == m {
					skip = true
				}
			}
		}
		if !skip {
			out.WriteString(l)
		}
	}
	return out.String()
}

func TestBody_For(t *testing.T) {
	_, body, err := Parse([]byte(multi), "x.sql")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dialect  string
		up, down string // the SQL the dialect runs
		upLine   int
		kept     string // the text its checksum is of
	}{
		{"sqlite", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n", "DROP TABLE t;\n", 20,
			without(multi, "-- +upgrade", "-- +downgrade", "-- +upgrade postgresql", "-- +upgrade mysql", "-- +downgrade mysql")},
		{"postgres", "CREATE TABLE t (id BIGSERIAL);\n\n", "DROP TABLE t;\n\n", 11,
			without(multi, "-- +upgrade", "-- +upgrade mysql", "-- +downgrade mysql", "-- +upgrade sqlite", "-- +downgrade sqlite")},
		{"postgresql", "CREATE TABLE t (id BIGSERIAL);\n\n", "DROP TABLE t;\n\n", 11,
			without(multi, "-- +upgrade", "-- +upgrade mysql", "-- +downgrade mysql", "-- +upgrade sqlite", "-- +downgrade sqlite")},
		{"mysql", "CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY);\n\n", "DROP TABLE IF EXISTS t;\n\n", 14,
			without(multi, "-- +upgrade", "-- +downgrade", "-- +upgrade postgresql", "-- +upgrade sqlite", "-- +downgrade sqlite")},
		{"cockroach", "CREATE TABLE t (id INTEGER);\n\n", "DROP TABLE t;\n\n", 5,
			without(multi, "-- +upgrade postgresql", "-- +upgrade mysql", "-- +downgrade mysql", "-- +upgrade sqlite", "-- +downgrade sqlite")},
	}
	for _, tt := range tests {
		t.Run(tt.dialect, func(t *testing.T) {
			got := body.For(tt.dialect)
			if got.Upgrade.SQL != tt.up || got.Upgrade.Line != tt.upLine || !got.Upgrade.Present {
				t.Errorf("upgrade %+v, want %q at line %d", got.Upgrade, tt.up, tt.upLine)
			}
			if got.Downgrade.SQL != tt.down || !got.Downgrade.Present {
				t.Errorf("downgrade %+v, want %q", got.Downgrade, tt.down)
			}
			if got.Checksum != sha256.Sum256([]byte(tt.kept)) {
				t.Errorf("checksum is not that of\n%s", tt.kept)
			}
		})
	}
	t.Run("upgrade only for other dialects", func(t *testing.T) {
		src := head + "-- +upgrade postgresql\nSELECT 1;\n-- +upgrade mysql\nSELECT 2;\n-- +downgrade\nSELECT 3;\n"
		_, body, err := Parse([]byte(src), "x.sql")
		if err != nil {
			t.Fatal(err)
		}
		got := body.For("sqlite")
		if got.Upgrade.Present || !got.Downgrade.Present || got.Downgrade.SQL != "SELECT 3;\n" {
			t.Errorf("For(sqlite) = %+v", got)
		}
		if d := body.Dialects(true); !reflect.DeepEqual(d, []string{"mysql", "postgres"}) {
			t.Errorf("Dialects(up) = %q", d)
		}
	})
}

// TestBody_ForChecksum checks what changes the checksum a dialect
// records: its own sections and the plain ones it runs, not another
// dialect's; and that a file without dialect sections keeps the
// checksum of the whole file, as before dialect sections existed.
func TestBody_ForChecksum(t *testing.T) {
	sum := func(src, dialect string) [32]byte {
		t.Helper()
		_, body, err := Parse([]byte(src), "x.sql")
		if err != nil {
			t.Fatal(err)
		}
		return body.For(dialect).Checksum
	}
	editMySQL := strings.Replace(multi, "BIGINT AUTO_INCREMENT", "INT AUTO_INCREMENT", 1)
	editPlainDown := strings.Replace(multi, "DROP TABLE t;\n\n-- +upgrade postgresql", "DROP TABLE IF EXISTS t;\n\n-- +upgrade postgresql", 1)
	plain := head + "-- +upgrade\nCREATE TABLE t (id INTEGER);\n-- +downgrade\nDROP TABLE t;\n"
	tests := []struct {
		name, before, after, dialect string
		same                         bool
	}{
		{"mysql section edited, on sqlite", multi, editMySQL, "sqlite", true},
		{"mysql section edited, on postgres", multi, editMySQL, "postgres", true},
		{"mysql section edited, on mysql", multi, editMySQL, "mysql", false},
		{"plain downgrade edited, on sqlite (own downgrade)", multi, editPlainDown, "sqlite", true},
		{"plain downgrade edited, on postgres (runs it)", multi, editPlainDown, "postgres", false},
		{"header edited", multi, strings.Replace(multi, "-- down_revision:\n", "-- down_revision:\n-- message: m\n", 1), "sqlite", false},
		{"mysql section added, on sqlite", plain, plain + "-- +upgrade mysql\nCREATE TABLE t (id INT);\n", "sqlite", true},
		{"mysql section added, on mysql", plain, plain + "-- +upgrade mysql\nCREATE TABLE t (id INT);\n", "mysql", false},
		{"sqlite section added, on sqlite", plain, plain + "-- +upgrade sqlite\nCREATE TABLE t (id INT);\n", "sqlite", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if same := sum(tt.before, tt.dialect) == sum(tt.after, tt.dialect); same != tt.same {
				t.Errorf("checksum unchanged: %v, want %v", same, tt.same)
			}
		})
	}
	t.Run("no dialect sections: the whole file", func(t *testing.T) {
		for _, d := range []string{"sqlite", "postgres", "mysql", "other"} {
			if sum(sample, d) != Checksum([]byte(sample)) {
				t.Errorf("For(%s).Checksum differs from Checksum", d)
			}
		}
	})
}
