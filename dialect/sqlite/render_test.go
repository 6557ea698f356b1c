package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"

	_ "modernc.org/sqlite" // database/sql driver "sqlite", for tests only
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestConformance runs the public dialect suite: the shared cases'
// goldens, each case upgraded, downgraded and upgraded again with the
// catalog compared, and read back by Inspect: a case's declared tables
// come back, after normalising, from SQLite.
func TestConformance(t *testing.T) {
	dialecttest.Run(t, dialecttest.Suite{
		Dialect:  New(),
		Open:     func(t testing.TB) *sql.DB { return dbtest.SQLite(t).SQL },
		Golden:   "testdata/render",
		Update:   *update,
		Snapshot: snapshot,
		Limit:    schema.NoLimit(),
	})
}

func newDB(t *testing.T) *sql.DB { return dbtest.SQLite(t).SQL }

// snapshot dumps sqlite_master and each table's columns.
func snapshot(t testing.TB, db *sql.DB) string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	var b strings.Builder
	var tables []string
	for rows.Next() {
		var typ, name, tbl, text string
		if err := rows.Scan(&typ, &name, &tbl, &text); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s on %s: %s\n", typ, name, tbl, text)
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	d := New()
	for _, tb := range tables {
		rows, err := db.QueryContext(ctx, "PRAGMA table_xinfo("+d.QuoteIdent(tb)+")")
		if err != nil {
			t.Fatalf("snapshot: %v", err)
		}
		for rows.Next() {
			var cid, notnull, pk, hidden int
			var name, typ string
			var dflt sql.NullString
			if err := rows.Scan(&cid, &name, &typ, &notnull, &dflt, &pk, &hidden); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "  %s.%d %s %s notnull=%d default=%v pk=%d hidden=%d\n", tb, cid, name, typ, notnull, dflt, pk, hidden)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

func execSQL(t *testing.T, q dialect.Querier, sqls ...string) {
	t.Helper()
	for _, s := range sqls {
		if _, err := q.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	acc := schema.TableName{Name: "account"}
	cases := []struct {
		name   string
		o      op.Op
		is     error
		wantIn []string
	}{
		{
			name:   "offline alter without CopyFrom",
			o:      op.AlterColumn{Table: acc, Column: "score", Type: op.Ptr(schema.BigInteger())},
			is:     dialect.ErrNeedExisting,
			wantIn: []string{"account", "op.Batch", "CopyFrom"},
		},
		{
			name:   "offline batch without CopyFrom",
			o:      op.Batch{Table: acc, Ops: []op.Op{op.CreateCheck{Table: acc, Check: schema.CheckExpr("pos", "score > 0")}}},
			is:     dialect.ErrNeedExisting,
			wantIn: []string{"account", "CopyFrom"},
		},
		{
			name: "identity not the primary key",
			o: op.CreateTable{Table: schema.NewTable("t",
				schema.Col("id", schema.BigInteger()).Identity(), schema.Col("x", schema.Integer())).PrimaryKey("id", "x")},
			wantIn: []string{"identity column id", "single-column primary key"},
		},
		{
			name:   "identity without primary key",
			o:      op.CreateTable{Table: schema.NewTable("t", schema.Col("id", schema.Integer()).Identity())},
			wantIn: []string{"identity column id", "single-column primary key"},
		},
		{
			name:   "raw without sqlite entry",
			o:      op.CreateTable{Table: schema.NewTable("t", schema.Col("ip", schema.Raw(map[string]string{"postgres": "INET"})))},
			wantIn: []string{"column ip", `no "sqlite" entry`},
		},
		{
			name:   "add identity column",
			o:      op.AddColumn{Table: acc, Column: schema.Col("id2", schema.Integer()).Identity()},
			wantIn: []string{"identity", "create the table with it"},
		},
		{
			name:   "add enum value",
			o:      op.AddEnumValue{Enum: schema.EnumType{Name: "mood"}, Value: "meh"},
			is:     dialect.ErrUnsupported,
			wantIn: []string{"CHECK", "AlterColumn"},
		},
		{
			name: "batch drops an unknown check",
			o: op.Batch{Table: acc, CopyFrom: dialecttest.Account(), Ops: []op.Op{
				op.DropCheck{Table: acc, Check: schema.CheckExpr("nope", "1")}}},
			wantIn: []string{"no check constraint ck_account_nope"},
		},
		{
			name: "batch op on another table",
			o: op.Batch{Table: acc, CopyFrom: dialecttest.Account(), Ops: []op.Op{
				op.DropColumn{Table: schema.TableName{Name: "org"}, Column: "name"}}},
			wantIn: []string{"not on the batch's table account"},
		},
	}
	d := New()
	rc := dialect.RenderContext{Naming: schema.DefaultNaming()}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := dialect.RenderOp(t.Context(), rc, d, c.o)
			if err == nil {
				t.Fatal("no error")
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v does not wrap %v", err, c.is)
			}
			for _, w := range c.wantIn {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestHostileIdentifiers renders and runs operations on names with quotes
// and keywords, and checks they were quoted, not pasted.
func TestHostileIdentifiers(t *testing.T) {
	name := `x"; DROP TABLE keep; --`
	col := `c"o'l`
	tbl := schema.NewTable(name,
		schema.Col("id", schema.Integer()).Identity(),
		schema.Col(col, schema.String(10)).Nullable(),
		schema.Col("select", schema.Enum("e", "it's", `a"b`)).Default(schema.Value("it's")),
	).PrimaryKey("id").Index(schema.IndexOn(col)).Check("c]k", `"select" <> ''`)
	tn := tbl.TableName()
	ops := []op.Op{
		op.CreateTable{Table: tbl},
		op.AddColumn{Table: tn, Column: schema.Col(`n"ew`, schema.Integer()).Nullable()},
		op.AlterColumn{Table: tn, Column: col, NewName: `r"en`},
		op.Batch{Table: tn, Ops: []op.Op{
			op.AlterColumn{Table: tn, Column: `n"ew`, Type: op.Ptr(schema.BigInteger())},
			op.CreateUnique{Table: tn, Unique: schema.UniqueOn(`n"ew`)},
		}},
		op.DropColumn{Table: tn, Column: `n"ew`, Def: nil},
		op.RenameTable{Table: tn, NewName: `y"`},
	}
	db := newDB(t)
	ctx := context.Background()
	execSQL(t, db, "CREATE TABLE keep (x INTEGER)")
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The unique constraint keeps the column: DropColumn must move and
	// copy after dropping it, so drop the constraint in a batch first.
	ops = append(ops[:4:4], op.Batch{Table: tn, Ops: []op.Op{
		op.DropUnique{Table: tn, Unique: schema.UniqueOn(`n"ew`)},
		op.DropColumn{Table: tn, Column: `n"ew`},
	}}, ops[5])
	for _, o := range ops {
		if err := dialecttest.ExecOp(ctx, New(), conn, o); err != nil {
			t.Fatalf("%s: %v", o, err)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name IN ('keep', 'y"')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("want tables keep and y\" to exist, found %d of them", n)
	}
	execSQL(t, db, `INSERT INTO "y""" ("r""en", "select") VALUES ('v', 'a"b')`)
	if _, err := db.ExecContext(ctx, `INSERT INTO "y""" ("select") VALUES ('other')`); err == nil {
		t.Error("the enum CHECK let 'other' in")
	}
}

// TestBatchKeepsRows runs batch_alter's operations on a table with rows
// (online, reflecting the table, and from CopyFrom) and reads them back.
func TestBatchKeepsRows(t *testing.T) {
	acc := schema.TableName{Name: "account"}
	for _, copyFrom := range []bool{false, true} {
		t.Run(fmt.Sprintf("copyFrom=%v", copyFrom), func(t *testing.T) {
			db := newDB(t)
			ctx := context.Background()
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			d := New()
			dialecttest.Exec(ctx, t, d, conn, []op.Op{
				op.CreateTable{Table: dialecttest.Org()},
				op.CreateTable{Table: dialecttest.Account()},
				op.CreateIndex{Table: acc, Index: schema.IndexOn("email")},
			})
			execSQL(t, conn,
				`INSERT INTO account (id, org_id, email, score) VALUES (1, 10, 'a@x', 5), (2, 20, NULL, 0), (3, 30, 'it''s', 7)`,
				`CREATE TRIGGER account_ins AFTER INSERT ON account BEGIN UPDATE account SET score = score + 100 WHERE id = NEW.id; END`)
			b := op.Batch{Table: acc, Ops: []op.Op{
				op.AlterColumn{Table: acc, Column: "score", Type: op.Ptr(schema.BigInteger()), Null: op.Ptr(true)},
				op.DropColumn{Table: acc, Column: "org_id"},
				op.CreateCheck{Table: acc, Check: schema.CheckExpr("score_nonneg", "score >= 0")},
			}}
			if copyFrom {
				b.CopyFrom = dialecttest.Account().Index(schema.IndexOn("email"))
			}
			dialecttest.Exec(ctx, t, d, conn, []op.Op{b})
			rows, err := conn.QueryContext(ctx, "SELECT id, email, score FROM account ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var id, score int64
				var email sql.NullString
				if err := rows.Scan(&id, &email, &score); err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprintf("%d %v %d", id, email, score))
			}
			rows.Close()
			want := []string{"1 {a@x true} 5", "2 { false} 0", "3 {it's true} 7"}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("rows after the batch:\n got %q\nwant %q", got, want)
			}
			if _, err := conn.ExecContext(ctx, "INSERT INTO account (id, score) VALUES (4, -1)"); err == nil {
				t.Error("the new check let score -1 in")
			}
			var idx int
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'ix_account_email'").Scan(&idx); err != nil || idx != 1 {
				t.Errorf("index ix_account_email not recreated (%d, %v)", idx, err)
			}
			var trig int
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'account_ins'").Scan(&trig); err != nil {
				t.Fatal(err)
			}
			if trig != 1 {
				t.Errorf("trigger account_ins: %d, want 1 (online, a move and copy reads the triggers from the database, with or without CopyFrom)", trig)
			}
		})
	}
}
