package mysql

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/optest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// dump writes a schema one object a line, for failure messages.
func dump(s *schema.Schema) string {
	if s == nil {
		return "<nil>\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "schema %q\n", s.Name)
	for _, t := range s.Tables {
		fmt.Fprintf(&b, "table %s comment=%q ext=%+v\n", t.TableName(), t.Comment, t.Ext)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "  column %s %s enum=%q values=%q raw=%v null=%v identity=%v default=%s (%T) comment=%q\n",
				c.Name, c.Type.Describe(), c.Type.EnumName, c.Type.Values, c.Type.Raw, c.Null, c.AutoIncrement, c.Def, c.Def.Value, c.Comment)
		}
		if t.PK != nil {
			fmt.Fprintf(&b, "  pk %q %v\n", t.PK.Name, t.PK.Columns)
		}
		for _, u := range t.Uniques {
			fmt.Fprintf(&b, "  unique %q %v\n", u.Name, u.Columns)
		}
		for _, fk := range t.ForeignKeys {
			fmt.Fprintf(&b, "  fk %+v\n", fk)
		}
		for _, ck := range t.Checks {
			fmt.Fprintf(&b, "  check %+v\n", ck)
		}
		for _, idx := range t.Indexes {
			fmt.Fprintf(&b, "  index %q %s\n", idx.Name, idx)
		}
	}
	for _, e := range s.Enums {
		fmt.Fprintf(&b, "enum %s %v\n", e, e.Values)
	}
	return b.String()
}

func inspect(t *testing.T, q dialect.Querier, opts dialect.InspectOptions) *schema.Schema {
	t.Helper()
	s, err := New().Inspect(context.Background(), q, opts)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return s
}

// sameSchema fails the test unless got and want are equal after both are
// normalised by MySQL's Normalizer, and normalising got again changes
// nothing.
func sameSchema(t *testing.T, got, want *schema.Schema) {
	t.Helper()
	ng, err := dialect.NormalizeSchema(New(), got, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise the inspected schema: %v", err)
	}
	nw, err := dialect.NormalizeSchema(New(), want, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise the declared schema: %v", err)
	}
	if !ng.Equal(nw) {
		t.Errorf("inspected schema differs from the declared one after normalising:\n--- inspected\n%s--- declared\n%s", dump(ng), dump(nw))
	}
	again, err := dialect.NormalizeSchema(New(), ng, schema.DefaultNaming())
	if err != nil {
		t.Fatal(err)
	}
	if !again.Equal(ng) {
		t.Errorf("normalising twice changed the schema:\n--- once\n%s--- twice\n%s", dump(ng), dump(again))
	}
}

// TestDialect_InspectRoundTrip creates tables through the renderer,
// inspects them, and compares with what was declared through the
// normaliser. Check expressions are declared in a spelling MariaDB
// prints back alike once canonical.
func TestDialect_InspectRoundTrip(t *testing.T) {
	org := schema.NewTable("org",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("code", schema.String(10)),
	).PrimaryKey("id").Unique("code").WithComment("organisations")
	tests := []struct {
		name   string
		tables []*schema.Table
	}{
		{
			name: "types and defaults",
			tables: []*schema.Table{schema.NewTable("typed",
				schema.Col("id", schema.Integer()).Identity(),
				schema.Col("big", schema.BigInteger()).Default(schema.Value(int64(-7))),
				schema.Col("small", schema.SmallInteger()).Default(schema.Value(3)),
				schema.Col("flag", schema.Boolean()).Default(schema.Value(true)),
				schema.Col("off", schema.Boolean()).Default(schema.Expr("false")),
				schema.Col("name", schema.String(80)).Default(schema.Value("it's a \\ and a\nline")),
				schema.Col("body", schema.Text()).Nullable().Default(schema.Value(nil)),
				schema.Col("price", schema.Numeric(12, 2)).Default(schema.Value(5)),
				schema.Col("any_num", schema.Numeric(0, 0)).Nullable().Default(schema.Expr("7")),
				schema.Col("ratio", schema.Float()).Default(schema.Value(1e-05)),
				schema.Col("huge", schema.Float()).Default(schema.Value(1e20)),
				schema.Col("day", schema.Date()).Nullable().Default(schema.Value("2020-01-02")),
				schema.Col("at", schema.Time()).Nullable(),
				schema.Col("created", schema.DateTime(false)).Default(schema.Expr("CURRENT_TIMESTAMP")),
				schema.Col("created_tz", schema.DateTime(true)).Default(schema.Expr("now()")),
				schema.Col("stamp3", schema.Raw(map[string]string{"mysql": "DATETIME(3)"})).Default(schema.Expr("LOCALTIMESTAMP")),
				schema.Col("span", schema.Interval()).Nullable(),
				schema.Col("doc", schema.JSON()).Default(schema.Value("{}")),
				schema.Col("uid", schema.UUID()).Default(schema.Expr("uuid()")),
				schema.Col("bin", schema.LargeBinary()).Default(schema.Value([]byte{0xca, 0xfe})),
				schema.Col("feeling", schema.Enum("mood", "sad", "ok", "it's fine", `back\slash`)).Default(schema.Value("ok")).WithComment("how it's going"),
				schema.Col("addr", schema.Raw(map[string]string{"postgres": "INET", "": "VARCHAR(45)"})).Nullable(),
				schema.Col("counter", schema.Raw(map[string]string{"mysql": "INTEGER(10) UNSIGNED"})).Default(schema.Value(0)),
				schema.Col("tiny", schema.Raw(map[string]string{"mysql": "TINYINT"})).Nullable(),
				schema.Col("code", schema.Raw(map[string]string{"mysql": "CHAR"})).Nullable(),
				schema.Col("sum", schema.Raw(map[string]string{"mysql": "NUMERIC(8)"})).Default(schema.Value("1.5")),
				schema.Col("hash", schema.Raw(map[string]string{"mysql": "VARBINARY(4)"})).Default(schema.Value([]byte("ab"))),
			).PrimaryKey("id").WithComment("every type")},
		},
		{
			name: "keys, constraints and indexes",
			tables: []*schema.Table{
				org,
				schema.NewTable("member",
					schema.Col("id", schema.BigInteger()).Identity(),
					schema.Col("org_id", schema.BigInteger()),
					schema.Col("boss_id", schema.BigInteger()).Nullable(),
					schema.Col("email", schema.String(255)),
					schema.Col("age", schema.Integer()).Nullable(),
					schema.Col("org_code", schema.String(10)).Nullable(),
				).PrimaryKey("id").
					Unique("org_id", "email").
					AddUnique(schema.UniqueOn("email", "age").Named("member_email_age")).
					ForeignKey(schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade).UpdateRule(schema.Restrict)).
					ForeignKey(schema.FK("boss_id").References("member", "id").DeleteRule(schema.SetNull).UpdateRule(schema.NoAction).Named("member_boss")).
					ForeignKey(schema.FK("org_code").References("org", "code")).
					Check("age_positive", "age IS NULL OR age >= 0").
					AddCheck(schema.CheckExpr("", "CHAR_LENGTH(`email`) > 3").Named("email_len")).
					Index(schema.IndexOn("email")).
					Index(schema.IndexOn("age").Also(schema.IndexPart{Column: "id", Desc: true}).Named("member_age_id")).
					Index(schema.IndexOn("age", "email").AsUnique()).
					Index(schema.IndexOn("email").Also(schema.IndexPart{Column: "org_id", Desc: true}).AsUnique().Named("member_email_desc")),
			},
		},
		{
			name: "composite primary key",
			tables: []*schema.Table{schema.NewTable("tag",
				schema.Col("name", schema.String(50)),
				schema.Col("kind", schema.String(20)),
			).PrimaryKey("kind", "name")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			c := conn(t, dbtest.MySQL(t).SQL)
			want := &schema.Schema{}
			var ops []op.Op
			for _, tb := range tt.tables {
				ops = append(ops, op.CreateTable{Table: tb})
				want.Tables = append(want.Tables, tb)
			}
			optest.Exec(ctx, t, New(), c, ops)
			sameSchema(t, inspect(t, c, dialect.InspectOptions{}), want)
		})
	}
}

// serverSpelling is how MariaDB prints the check expressions of the
// shared cases whose canonical spelling it does not keep.
var serverSpelling = map[string]string{}

// TestInspect_OptestCases runs the Setup and Ops of every shared
// operation case that applies to MySQL, inspects the database, and
// compares with the schema the cases declare, built by applying the same
// operations to the model (optest.Apply).
func TestInspect_OptestCases(t *testing.T) {
	d := New()
	for _, c := range optest.Cases() {
		if !c.AppliesTo(d.Name()) {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			ctx := context.Background()
			conn := conn(t, dbtest.MySQL(t).SQL)
			model := optest.ExecCase(ctx, t, d, conn, c, schema.MySQLLimit())
			want := &schema.Schema{}
			for _, tb := range model.Tables {
				tb = tb.Clone()
				for i, ck := range tb.Checks {
					if s, ok := serverSpelling[ck.Expr]; ok {
						tb.Checks[i].Expr = s
					}
				}
				want.Tables = append(want.Tables, tb)
			}
			sameSchema(t, inspect(t, conn, dialect.InspectOptions{}), want)
		})
	}
}
