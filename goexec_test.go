package retort

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/examples/data-migration/migrations/versions"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

// goFile is the source of a Go revision file as retort reads it (never
// compiled here: the functions come from the registry).
func goFile(id, down, msg string, withDown bool) *fstest.MapFile {
	d := ""
	if withDown {
		d = "\n\t\tDowngrade: func(o *op.Ops) error { return nil },"
	}
	return &fstest.MapFile{Data: []byte(fmt.Sprintf(`package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     %q,
		DownRevision: %q,
		Message:      %q,
		Upgrade:      func(o *op.Ops) error { return nil },%s
	})
}
`, id, down, msg, d))}
}

var accountRef = op.Table("account",
	op.Column("id", schema.Integer()),
	op.Column("name", schema.String(50)),
	op.Column("email", schema.String(100)),
)

// goProject: r1 (SQL) creates account; r2 (Go) loads rows with
// BulkInsert, back-fills with Execute and checks with Run; r3 (Go)
// fails when fail is set.
func goProject(t *testing.T, fail bool) (fstest.MapFS, *script.Registry) {
	t.Helper()
	fsys := fstest.MapFS{
		"001_r1.sql": &fstest.MapFile{Data: []byte("-- revision: r1\n-- down_revision:\n-- message: account\n\n-- +upgrade\n" +
			"CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(100) NULL);\n\n-- +downgrade\nDROP TABLE account;\n")},
		"002_r2.go": goFile("r2", "r1", "load", true),
		"003_r3.go": goFile("r3", "r2", "more", true),
	}
	reg := &script.Registry{}
	reg.Add(script.GoRevision{Revision: "r2", DownRevision: "r1", Message: "load",
		Upgrade: func(o *op.Ops) error {
			o.BulkInsert(accountRef, []map[string]any{
				{"id": 1, "name": "ann", "email": "ann@example.com"},
				{"id": 2, "name": "bob", "email": nil},
				{"id": 3, "name": "it's \\ me", "email": nil},
			})
			o.Execute("UPDATE account SET email = ? WHERE email IS NULL AND id = ?", "bob@example.com", 2)
			o.Execute("UPDATE account SET email = ? WHERE email IS NULL", "o'brien@example.com")
			o.Run("count back-filled rows", func(ctx context.Context, db op.DB) error {
				var n int
				if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM account WHERE email IS NULL").Scan(&n); err != nil {
					return err
				}
				if n != 0 {
					return fmt.Errorf("%d rows without email", n)
				}
				return nil
			})
			return nil
		},
		Downgrade: func(o *op.Ops) error {
			o.Execute("DELETE FROM account")
			return nil
		},
	})
	reg.Add(script.GoRevision{Revision: "r3", DownRevision: "r2", Message: "more",
		Upgrade: func(o *op.Ops) error {
			o.BulkInsert(accountRef, []map[string]any{{"id": 4, "name": "dee", "email": "dee@example.com"}})
			if fail {
				o.Execute("UPDATE no_such_table SET x = 1")
			}
			return nil
		},
		Downgrade: func(o *op.Ops) error {
			o.Execute("DELETE FROM account WHERE id = ?", 4)
			return nil
		},
	})
	return fsys, reg
}

func accountRows(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query("SELECT id, name, email FROM account ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id int
		var name, email sql.NullString
		if err := rows.Scan(&id, &name, &email); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d %s %s;", id, name.String, email.String)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGoRevisions(t *testing.T) {
	const want = "1 ann ann@example.com;2 bob bob@example.com;3 it's \\ me o'brien@example.com;4 dee dee@example.com;"
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			fsys, reg := goProject(t, false)
			p := openProvider(t, db, dn, fsys, WithRevisions(reg))
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if got := accountRows(t, db); got != want {
				t.Fatalf("rows after upgrade:\n%s\nwant\n%s", got, want)
			}
			if _, err := p.Downgrade(ctx, "r1"); err != nil {
				t.Fatal(err)
			}
			if got := accountRows(t, db); got != "" {
				t.Fatalf("rows after downgrade: %s", got)
			}
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if got := accountRows(t, db); got != want {
				t.Fatalf("rows after the second upgrade:\n%s\nwant\n%s", got, want)
			}
			hist, err := p.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hist {
				if h.Revision == "r2" && len(h.Checksum) != 64 {
					t.Errorf("history row of r2 has checksum %q", h.Checksum)
				}
			}
		})
	}
}

func TestGoRevisionFailureRollsBack(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			fsys, reg := goProject(t, true)
			p := openProvider(t, db, dn, fsys, WithRevisions(reg))
			_, err := p.Upgrade(ctx, "head")
			var se *StmtError
			// The operation was recorded in this file, not in 003_r3.go.
			if !errors.As(err, &se) || se.Revision != "r3" || se.Path != "goexec_test.go" {
				t.Fatalf("Upgrade = %v; want a StmtError of r3 in goexec_test.go", err)
			}
			if se.Line == 0 || !strings.Contains(err.Error(), "UPDATE no_such_table") {
				t.Errorf("error %q: want the recording line and the SQL", err)
			}
			wantCurrent := "r2"
			cur, err := p.Current(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if dn == "mysql" {
				// MySQL commits DDL and DML as they go: the step is dirty.
				if _, derr := p.Dirty(ctx); derr != nil {
					t.Fatal(derr)
				}
				return
			}
			if len(cur) != 1 || cur[0] != wantCurrent {
				t.Errorf("current = %v; want %s", cur, wantCurrent)
			}
			if got := accountRows(t, db); strings.Contains(got, "dee") {
				t.Errorf("the failed step's insert stayed: %s", got)
			}
		})
	}
}

func TestGoRevisionsOffline(t *testing.T) {
	fsys, reg := goProject(t, false)
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			p := openProvider(t, nil, dn, fsys, WithRevisions(reg))
			var out bytes.Buffer
			err := p.Project().WriteUpgradeSQL(context.Background(), &out, "head")
			var se *ScriptError
			if !errors.As(err, &se) || !errors.Is(err, ErrOfflineRun) || se.Revision != "r2" || se.Line == 0 {
				t.Fatalf("WriteSQL = %v; want ErrOfflineRun naming r2 and its line", err)
			}
			if out.Len() != 0 {
				t.Errorf("WriteSQL wrote %d bytes before refusing", out.Len())
			}
			// From r2 on there is no Run: the script has the literals.
			out.Reset()
			if err := p.Project().WriteUpgradeSQL(context.Background(), &out, "r2:head"); err != nil {
				t.Fatal(err)
			}
			s := out.String()
			for _, w := range []string{"-- bulk insert 1 rows into account", "'dee@example.com'"} {
				if !strings.Contains(s, w) {
					t.Errorf("script lacks %q:\n%s", w, s)
				}
			}
		})
	}
}

func TestGoRevisionNotCompiled(t *testing.T) {
	fsys, _ := goProject(t, false)
	db, _ := testDB(t, "sqlite")
	p := openProvider(t, db, "sqlite", fsys) // no registry
	if heads := p.Project().Heads(); len(heads) != 1 || heads[0] != "r3" {
		t.Fatalf("heads = %v: the graph must work without the registry", heads)
	}
	_, err := p.Upgrade(testContext(t), "head")
	var se *ScriptError
	if !errors.As(err, &se) || !errors.Is(err, ErrNotCompiled) || se.Revision != "r2" {
		t.Fatalf("Upgrade = %v; want ErrNotCompiled for r2", err)
	}
	if cur, _ := p.Current(testContext(t)); len(cur) != 0 {
		t.Errorf("current = %v; want the database untouched", cur)
	}
}

func TestGoRevisionUpgradeError(t *testing.T) {
	fsys, _ := goProject(t, false)
	reg := &script.Registry{}
	reg.Add(script.GoRevision{Revision: "r2", DownRevision: "r1", Message: "load",
		Upgrade:   func(o *op.Ops) error { return errors.New("no rows file") },
		Downgrade: func(o *op.Ops) error { return nil }})
	reg.Add(script.GoRevision{Revision: "r3", DownRevision: "r2", Message: "more",
		Upgrade: func(o *op.Ops) error { return nil }, Downgrade: func(o *op.Ops) error { return nil }})
	db, _ := testDB(t, "sqlite")
	p := openProvider(t, db, "sqlite", fsys, WithRevisions(reg))
	_, err := p.Upgrade(testContext(t), "head")
	if err == nil || !strings.Contains(err.Error(), "002_r2.go: revision r2: Upgrade: no rows file") {
		t.Fatalf("Upgrade = %v", err)
	}
	if cur, _ := p.Current(testContext(t)); len(cur) != 0 {
		t.Errorf("current = %v; want nothing applied (steps are prepared before any runs)", cur)
	}
}

// callerLine returns the line of its caller.
func callerLine() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

// TestGoRevisionErrorNamesOperation: an operation of a Go revision that
// fails as it runs is reported at the line that recorded it, with the
// operation and the server's error, on every dialect.
func TestGoRevisionErrorNamesOperation(t *testing.T) {
	missing := op.Table("no_such_table", op.Column("id", schema.Integer()))
	rows := []map[string]any{{"id": 1}}
	failing := func(context.Context, op.DB) error { return errors.New("2 rows left") }
	tests := []struct {
		name   string
		record func(o *op.Ops) int // records the failing operation; returns its line
		op     string              // the operation as the error names it
		sql    bool                // the error shows the SQL that failed
	}{
		{"execute", func(o *op.Ops) int { o.Execute("UPDATE no_such_table SET x = ?", 1); return callerLine() },
			"execute UPDATE no_such_table SET x = ?", true},
		{"drop table", func(o *op.Ops) int { o.DropTable("no_such_table"); return callerLine() },
			"drop table no_such_table", true},
		{"bulk insert", func(o *op.Ops) int { o.BulkInsert(missing, rows); return callerLine() },
			"bulk insert 1 rows into no_such_table", false},
		{"run", func(o *op.Ops) int { o.Run("count", failing); return callerLine() },
			"run count", false},
	}
	for _, dn := range dbtest.Dialects {
		for _, tt := range tests {
			t.Run(dn+"/"+tt.name, func(t *testing.T) {
				db, _ := testDB(t, dn)
				line := 0
				reg := &script.Registry{}
				reg.Add(script.GoRevision{Revision: "r1", Message: "fail",
					Upgrade: func(o *op.Ops) error {
						o.Execute("SELECT 1")
						line = tt.record(o)
						return nil
					},
					Downgrade: func(o *op.Ops) error { return nil }})
				fsys := fstest.MapFS{"001_r1.go": goFile("r1", "", "fail", true)}
				p := openProvider(t, db, dn, fsys, WithRevisions(reg))
				_, err := p.Upgrade(testContext(t), "head")
				var se *StmtError
				var oe *OpError
				if !errors.As(err, &se) || !errors.As(err, &oe) {
					t.Fatalf("Upgrade = %v; want a StmtError wrapping an OpError", err)
				}
				if se.Path != "goexec_test.go" || se.Line != line || oe.Op != tt.op {
					t.Errorf("StmtError at %s:%d, OpError.Op %q; want goexec_test.go:%d and %q", se.Path, se.Line, oe.Op, line, tt.op)
				}
				msg := err.Error()
				head := fmt.Sprintf("goexec_test.go:%d: revision r1: %s: %s", line, tt.op, oe.Err)
				if oe.Err == nil || !strings.HasPrefix(msg, head) {
					t.Errorf("error reads\n%s\nwant it to start with\n%s", msg, head)
				}
				if hasSQL := strings.Contains(msg, "\n  SQL: "); hasSQL != tt.sql || tt.sql && !strings.Contains(msg, "no_such_table") {
					t.Errorf("error reads\n%s\nwant the failed SQL shown: %v", msg, tt.sql)
				}
			})
		}
	}
}

// TestRecordedAt: an operation's error points at the revision file where
// it is among the calls that recorded the operation, else at the
// innermost call.
func TestRecordedAt(t *testing.T) {
	const rev = "migrations/versions/20240101_add.go"
	wd := filepath.FromSlash("/home/u/app")
	in := func(p string) string { return filepath.Join(wd, filepath.FromSlash(p)) }
	at := func(file string, line int) op.Pos { return op.Pos{File: file, Line: line} }
	tests := []struct {
		name     string
		callers  []op.Pos
		wantPath string
		wantLine int
	}{
		{"revision records", []op.Pos{at(in("migrations/versions/20240101_add.go"), 17), at(in("retort/goexec.go"), 50)},
			rev, 17},
		{"revision calls a helper", []op.Pos{at(in("migrations/versions/helpers.go"), 9), at(in("migrations/versions/20240101_add.go"), 21)},
			rev, 21},
		{"built with -trimpath", []op.Pos{at("example.com/app/migrations/versions/20240101_add.go", 17)}, rev, 17},
		{"upgrade defined in another file", []op.Pos{at(in("migrations/versions/helpers.go"), 9), at(in("retort/goexec.go"), 50)},
			filepath.FromSlash("migrations/versions/helpers.go"), 9},
		{"another file outside the working folder", []op.Pos{at(filepath.FromSlash("/src/shared/ops.go"), 4)},
			filepath.FromSlash("/src/shared/ops.go"), 4},
		{"nothing known", nil, rev, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, line := recordedAt(tt.callers, rev, wd)
			if path != tt.wantPath || line != tt.wantLine {
				t.Errorf("recordedAt = %s:%d; want %s:%d", path, line, tt.wantPath, tt.wantLine)
			}
		})
	}
}

// TestGoRevisionPositionsInRevisionFile: the operations of a compiled
// revision file (the data-migration example's back-fill) point at the
// lines of that file that record them, by the path retort read it at.
func TestGoRevisionPositionsInRevisionFile(t *testing.T) {
	const (
		dir  = "examples/data-migration/migrations/versions"
		file = "20240103_0900_e3c4d5e6f7a8_backfill_email.go"
		id   = "e3c4d5e6f7a8"
	)
	src, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	// The lines that call o.Method, in Upgrade then Downgrade.
	var up, down []int
	inDown := false
	for i, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSpace(l)
		inDown = inDown || strings.HasPrefix(l, "Downgrade:")
		if strings.HasPrefix(l, "o.") {
			if inDown {
				down = append(down, i+1)
			} else {
				up = append(up, i+1)
			}
		}
	}
	if len(up) == 0 || len(down) == 0 {
		t.Fatalf("%s: no recording calls found (up %v, down %v)", file, up, down)
	}
	p, err := Open(nil, newDialect("sqlite"), os.DirFS(dir), WithRevisions(&versions.Registry))
	if err != nil {
		t.Fatal(err)
	}
	bodies, err := p.proj.prepare([]revision.Step{{Revision: id, Up: true}, {Revision: id}})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]int{up, down} {
		var got []int
		for _, st := range bodies[i].stmts {
			if st.Path != file {
				t.Errorf("%s is recorded in %s; want %s", st.SQL, st.Path, file)
			}
			got = append(got, st.Line)
		}
		if !slices.Equal(got, want) {
			t.Errorf("step %d: operations at lines %v; want %v", i, got, want)
		}
	}
}

// TestGoRevisionOfflineErrorNamesOperation: an operation that cannot be
// rendered offline is reported as one that fails online, and its cause
// stays reachable.
func TestGoRevisionOfflineErrorNamesOperation(t *testing.T) {
	line := 0
	notNull := op.AlterColumn{Column: "email", Null: op.Ptr(false)}
	reg := &script.Registry{}
	reg.Add(script.GoRevision{Revision: "r1", Message: "alter",
		Upgrade: func(o *op.Ops) error {
			line = func() int { o.AlterColumn("account", notNull); return callerLine() }()
			return nil
		},
		Downgrade: func(o *op.Ops) error { return nil }})
	fsys := fstest.MapFS{"001_r1.go": goFile("r1", "", "alter", true)}
	p := openProvider(t, nil, "mysql", fsys, WithRevisions(reg))
	err := p.Project().WriteUpgradeSQL(context.Background(), io.Discard, "head")
	var oe *OpError
	if !errors.As(err, &oe) || !errors.Is(err, dialect.ErrNeedExisting) {
		t.Fatalf("WriteSQL = %v; want an OpError wrapping ErrNeedExisting", err)
	}
	if want := fmt.Sprintf("goexec_test.go:%d: revision r1: alter column account.email (not null): ", line); !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error reads\n%s\nwant it to start with\n%s", err, want)
	}
}
