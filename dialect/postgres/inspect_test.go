package postgres

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/internal/dbtest"
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
			fmt.Fprintf(&b, "  column %s %s values=%v raw=%v null=%v identity=%v default=%s (%T) comment=%q\n",
				c.Name, c.Type.Describe(), c.Type.Values, c.Type.Raw, c.Null, c.AutoIncrement, c.Def, c.Def.Value, c.Comment)
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
// normalised by PostgreSQL's Normalizer.
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
}

// TestDialect_InspectRoundTrip creates tables through the renderer,
// inspects them, and compares with what was declared through the
// normaliser. Check and index expressions are declared as the server
// deparses them, which is what autogenerate compares (both sides go
// through a server).
func TestDialect_InspectRoundTrip(t *testing.T) {
	mood := schema.EnumType{Name: "mood", Values: []string{"sad", "ok", "it's fine"}}
	org := schema.NewTable("org",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("code", schema.String(10)),
	).PrimaryKey("id").Unique("code").WithComment("organisations")
	tests := []struct {
		name   string
		enums  []schema.EnumType
		tables []*schema.Table
	}{
		{
			name:  "types and defaults",
			enums: []schema.EnumType{mood},
			tables: []*schema.Table{schema.NewTable("typed",
				schema.Col("id", schema.Integer()).Identity(),
				schema.Col("big", schema.BigInteger()).Default(schema.Value(int64(-7))),
				schema.Col("small", schema.SmallInteger()).Default(schema.Value(3)),
				schema.Col("flag", schema.Boolean()).Default(schema.Value(true)),
				schema.Col("off", schema.Boolean()).Default(schema.Expr("false")),
				schema.Col("name", schema.String(80)).Default(schema.Value("it's")),
				schema.Col("body", schema.Text()).Nullable().Default(schema.Value(nil)),
				schema.Col("price", schema.Numeric(12, 2)).Default(schema.Value("0.00")),
				schema.Col("any_num", schema.Numeric(0, 0)).Nullable().Default(schema.Expr("0.5")),
				schema.Col("ratio", schema.Float()).Default(schema.Value(1.5)),
				schema.Col("day", schema.Date()).Nullable().Default(schema.Expr("current_date")),
				schema.Col("at", schema.Time()).Nullable(),
				schema.Col("created", schema.DateTime(false)).Default(schema.Expr("CURRENT_TIMESTAMP")),
				schema.Col("created_tz", schema.DateTime(true)).Default(schema.Expr("now()")),
				schema.Col("span", schema.Interval()).Nullable(),
				schema.Col("doc", schema.JSON()).Default(schema.Expr("'{}'")),
				schema.Col("uid", schema.UUID()).Nullable().Default(schema.Expr("gen_random_uuid()")),
				schema.Col("bin", schema.LargeBinary()).Default(schema.Value([]byte{0xca, 0xfe})),
				schema.Col("feeling", schema.Enum("mood", mood.Values...)).Default(schema.Value("ok")).WithComment("how it's going"),
				schema.Col("addr", schema.Raw(map[string]string{"postgres": "INET", "": "VARCHAR(45)"})).Nullable(),
				schema.Col("stamp3", schema.Raw(map[string]string{"postgres": "TIMESTAMPTZ(3)"})).Nullable(),
				schema.Col("tags", schema.Raw(map[string]string{"postgres": "VARCHAR(20)[]"})).Nullable(),
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
				).PrimaryKey("id").
					Unique("org_id", "email").
					AddUnique(schema.UniqueOn("email", "age").Named("member_email_age")).
					ForeignKey(schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade).UpdateRule(schema.Restrict)).
					ForeignKey(schema.FK("boss_id").References("member", "id").DeleteRule(schema.SetNull).UpdateRule(schema.NoAction).Named("member_boss")).
					Check("age_positive", "(age IS NULL) OR (age >= 0)").
					AddCheck(schema.CheckExpr("", "length((email)::text) > 3").Named("email_len")).
					Index(schema.IndexOn("email")).
					Index(schema.IndexOn("age").Also(schema.IndexPart{Column: "id", Desc: true}).Named("member_age_id")).
					Index(schema.IndexOn("email").Partial("age IS NOT NULL").AsUnique().Named("member_email_partial")).
					Index(schema.IndexExpr("lower(email::text)")).
					Index(schema.IndexExpr("age + 1").Also(schema.IndexPart{Column: "org_id"}).Named("member_mixed")),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.Postgres(t).SQL
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			want := &schema.Schema{Enums: tt.enums}
			var ops []op.Op
			for _, e := range tt.enums {
				ops = append(ops, op.CreateEnum{Enum: e})
			}
			for _, tb := range tt.tables {
				ops = append(ops, op.CreateTable{Table: tb})
				want.Tables = append(want.Tables, tb)
			}
			dialecttest.Exec(ctx, t, New(), c, ops)
			got := inspect(t, c, dialect.InspectOptions{})
			sameSchema(t, got, want)
			n1, err := dialect.NormalizeSchema(New(), got, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			n2, err := dialect.NormalizeSchema(New(), n1, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			if !n1.Equal(n2) {
				t.Errorf("normalising twice changed the schema:\n--- once\n%s--- twice\n%s", dump(n1), dump(n2))
			}
		})
	}
}

// TestDialect_InspectReports checks what Inspect reports as it is, before
// normalising, for tables written by hand.
func TestDialect_InspectReports(t *testing.T) {
	db := dbtest.Postgres(t).SQL
	mustExec(t, db,
		`CREATE SCHEMA other`,
		`CREATE TYPE other.color AS ENUM ('red', 'green')`,
		`CREATE TABLE other.palette (id serial PRIMARY KEY, c other.color NOT NULL DEFAULT 'red')`,
		`CREATE TABLE child (
			id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			tags text[],
			name varchar,
			label text COLLATE "C" NOT NULL DEFAULT 'x',
			at timestamp(3) without time zone,
			pal integer REFERENCES other.palette (id) ON DELETE SET NULL ON UPDATE CASCADE,
			doc jsonb,
			UNIQUE (name, label),
			CHECK (length(label) > 0)
		)`,
		`COMMENT ON TABLE child IS 'kid'`,
		`COMMENT ON COLUMN child.name IS 'nom'`,
		`CREATE INDEX child_doc ON child USING gin (doc)`,
		`CREATE UNIQUE INDEX child_lower ON child (lower(name) DESC) WHERE id > 10`,
	)
	tests := []struct {
		name string
		opts dialect.InspectOptions
		want *schema.Schema
	}{
		{
			name: "default schema",
			want: &schema.Schema{Tables: []*schema.Table{{
				Name:    "child",
				Comment: "kid",
				Columns: []schema.Column{
					{Name: "id", Type: schema.Type{Kind: schema.KindInteger, Native: "integer"}, AutoIncrement: true},
					{Name: "tags", Type: schema.Type{Kind: schema.KindRaw, Raw: map[string]string{"postgres": "text[]"}, Native: "text[]", Ext: schema.TypeExt{ArrayDims: 1}}, Null: true},
					{Name: "name", Type: schema.Type{Kind: schema.KindRaw, Raw: map[string]string{"postgres": "character varying"}, Native: "character varying"}, Null: true, Comment: "nom"},
					{Name: "label", Type: schema.Type{Kind: schema.KindText, Native: "text", Ext: schema.TypeExt{Collation: "C"}}, Def: schema.Expr("'x'::text")},
					{Name: "at", Type: schema.Type{Kind: schema.KindRaw, Raw: map[string]string{"postgres": "timestamp(3) without time zone"}, Native: "timestamp(3) without time zone"}, Null: true},
					{Name: "pal", Type: schema.Type{Kind: schema.KindInteger, Native: "integer"}, Null: true},
					{Name: "doc", Type: schema.Type{Kind: schema.KindJSON, Native: "jsonb"}, Null: true},
				},
				PK:          &schema.PrimaryKey{Name: "child_pkey", Columns: []string{"id"}},
				Uniques:     []schema.Unique{{Name: "child_name_label_key", Columns: []string{"name", "label"}}},
				ForeignKeys: []schema.ForeignKey{{Name: "child_pal_fkey", Columns: []string{"pal"}, RefSchema: "other", RefTable: "palette", RefColumns: []string{"id"}, OnDelete: schema.SetNull, OnUpdate: schema.Cascade}},
				Checks:      []schema.Check{{Name: "child_label_check", Expr: "length(label) > 0"}},
				Indexes: []schema.Index{
					{Name: "child_doc", Parts: []schema.IndexPart{{Column: "doc"}}, Method: "gin"},
					{Name: "child_lower", Unique: true, Parts: []schema.IndexPart{{Expr: "lower(name::text)", Desc: true}}, Where: "id > 10"},
				},
			}}},
		},
		{
			name: "other schema",
			opts: dialect.InspectOptions{Schema: "other"},
			want: &schema.Schema{Name: "other", Tables: []*schema.Table{{
				Schema: "other",
				Name:   "palette",
				Columns: []schema.Column{
					{Name: "id", Type: schema.Type{Kind: schema.KindInteger, Native: "integer"}, Def: schema.Expr("nextval('other.palette_id_seq'::regclass)")},
					{Name: "c", Type: schema.Type{Kind: schema.KindEnum, EnumName: "color", EnumSchema: "other", Values: []string{"red", "green"}, Native: "other.color"}, Def: schema.Expr("'red'::other.color")},
				},
				PK: &schema.PrimaryKey{Name: "palette_pkey", Columns: []string{"id"}},
			}}, Enums: []schema.EnumType{{Schema: "other", Name: "color", Values: []string{"red", "green"}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inspect(t, db, tt.opts)
			if !got.Equal(tt.want) {
				t.Errorf("Inspect:\n--- got\n%s--- want\n%s", dump(got), dump(tt.want))
			}
		})
	}
}

// TestDialect_InspectReflectedFacts checks the facts Equal does not
// compare, which lint reads: partitioning (key and partitions, a
// sub-partitioned partition included) and NOT VALID constraints, which
// VALIDATE CONSTRAINT clears.
func TestDialect_InspectReflectedFacts(t *testing.T) {
	db := dbtest.Postgres(t).SQL
	mustExec(t, db,
		`CREATE TABLE customer (id bigint PRIMARY KEY)`,
		`CREATE TABLE orders (id bigint NOT NULL, customer_id bigint, note text, region text, created date NOT NULL) PARTITION BY RANGE (created)`,
		`CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')`,
		`CREATE TABLE orders_2026 PARTITION OF orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (region)`,
		`CREATE TABLE orders_2026_eu PARTITION OF orders_2026 FOR VALUES IN ('eu')`,
		`CREATE TABLE plain (id bigint, note text, customer_id bigint)`,
		`ALTER TABLE plain ADD CONSTRAINT plain_note_nn CHECK (note IS NOT NULL) NOT VALID`,
		`ALTER TABLE plain ADD CONSTRAINT plain_id_pos CHECK (id > 0) NOT VALID`,
		`ALTER TABLE plain VALIDATE CONSTRAINT plain_id_pos`,
		`ALTER TABLE plain ADD CONSTRAINT plain_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID`,
		`ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id)`,
	)
	s := inspect(t, db, dialect.InspectOptions{})
	table := func(name string) *schema.Table {
		tb, ok := s.Table(name)
		if !ok {
			t.Fatalf("no table %s in %s", name, dump(s))
		}
		return tb
	}
	if _, ok := s.Table("orders_2025"); ok {
		t.Errorf("a partition is read as a table")
	}
	if got, want := table("orders").Partitioning, (&schema.Partitioning{Key: "RANGE (created)", Partitions: []string{"orders_2025", "orders_2026"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("orders partitioning = %+v; want %+v", got, want)
	}
	for _, name := range []string{"customer", "plain"} {
		if p := table(name).Partitioning; p != nil {
			t.Errorf("%s partitioning = %+v; want none", name, p)
		}
	}
	plain := table("plain")
	valid := map[string]bool{}
	for _, ck := range plain.Checks {
		valid[ck.Name] = !ck.NotValid
	}
	for _, fk := range plain.ForeignKeys {
		valid[fk.Name] = !fk.NotValid
	}
	for _, fk := range table("orders").ForeignKeys {
		valid[fk.Name] = !fk.NotValid
	}
	want := map[string]bool{"plain_note_nn": false, "plain_id_pos": true, "plain_customer_fk": false, "orders_customer_fk": true}
	if !reflect.DeepEqual(valid, want) {
		t.Errorf("validated = %v; want %v", valid, want)
	}
	// lint reads the schema in its normal form: normalisation keeps both.
	norm, err := dialect.NormalizeSchema(New(), s, schema.DefaultNaming())
	if err != nil {
		t.Fatal(err)
	}
	no, _ := norm.Table("orders")
	np, _ := norm.Table("plain")
	if no.Partitioning == nil || no.Partitioning.Key != "RANGE (created)" || !np.Checks[slices.IndexFunc(np.Checks, func(c schema.Check) bool { return c.Name == "plain_note_nn" })].NotValid {
		t.Errorf("normalisation lost a reflected fact: %+v %+v", no.Partitioning, np.Checks)
	}
}

// TestDialect_InspectOptions checks which tables are read, and that the
// default schema is the search_path's first.
func TestDialect_InspectOptions(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Postgres(t).SQL
	mustExec(t, db,
		`CREATE TABLE a (x integer)`, `CREATE TABLE b (x integer)`,
		`CREATE TABLE retort_version (version_num varchar(255) NOT NULL)`, `CREATE TABLE retort_lock (x integer)`,
		`CREATE SCHEMA s2`, `CREATE TABLE s2.c (x integer)`,
		`CREATE TABLE parted (x integer) PARTITION BY RANGE (x)`, `CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10)`,
		`CREATE VIEW v AS SELECT 1 AS x`,
	)
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tests := []struct {
		name string
		opts dialect.InspectOptions
		path string // search_path, when set
		want []string
	}{
		{"default skips own tables, views and partitions", dialect.InspectOptions{}, "", []string{"a", "b", "parted"}},
		{"include own", dialect.InspectOptions{IncludeOwn: true}, "", []string{"a", "b", "parted", "retort_lock", "retort_version"}},
		{"exclude", dialect.InspectOptions{Exclude: []string{"a"}}, "", []string{"b", "parted"}},
		{"only", dialect.InspectOptions{Tables: []string{"b"}}, "", []string{"b"}},
		{"include name", dialect.InspectOptions{IncludeName: func(n schema.TableName) bool { return n.Name != "parted" }}, "", []string{"a", "b"}},
		{"schema", dialect.InspectOptions{Schema: "s2"}, "", []string{"c"}},
		{"search_path", dialect.InspectOptions{}, "s2, public", []string{"c"}},
		{"no such schema", dialect.InspectOptions{Schema: "nope"}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "public"
			if tt.path != "" {
				path = tt.path
			}
			mustExec(t, c, "SET search_path TO "+path)
			s := inspect(t, c, tt.opts)
			var names []string
			for _, tb := range s.Tables {
				names = append(names, tb.Name)
			}
			if !slices.Equal(names, tt.want) {
				t.Errorf("tables = %v; want %v", names, tt.want)
			}
		})
	}
}

// TestDialect_InspectUnsupported checks that what the model cannot hold
// is an error naming the table, and that Exclude gets past it.
func TestDialect_InspectUnsupported(t *testing.T) {
	tests := []struct {
		name  string
		setup []string
		want  string
	}{
		{"exclusion constraint", []string{`CREATE TABLE g (b box, CONSTRAINT g_excl EXCLUDE USING gist (b WITH &&))`}, "constraint g_excl is of a kind (x)"},
		{"nulls order", []string{`CREATE TABLE g (a integer)`, `CREATE INDEX g_a ON g (a NULLS FIRST)`}, "index g_a orders NULLs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := dbtest.Postgres(t).SQL
			mustExec(t, db, append(tt.setup, `CREATE TABLE ok (x integer)`)...)
			_, err := New().Inspect(context.Background(), db, dialect.InspectOptions{})
			if !errors.Is(err, dialect.ErrUnsupported) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "table g") {
				t.Fatalf("err = %v; want ErrUnsupported naming table g and %q", err, tt.want)
			}
			s := inspect(t, db, dialect.InspectOptions{Exclude: []string{"g"}})
			if len(s.Tables) != 1 || s.Tables[0].Name != "ok" {
				t.Errorf("with g excluded:\n%s", dump(s))
			}
		})
	}
}

// serverSpelling (the conformance suite's Spelling) is how PostgreSQL
// deparses the check and index expressions of the shared cases that it
// does not keep as written.
var serverSpelling = map[string]string{
	"age IS NULL OR age >= 0": "(age IS NULL) OR (age >= 0)",
	"lower(email)":            "lower(email::text)",
	"email LIKE '%@%'":        "(email)::text ~~ '%@%'::text",
}

func TestDialect_NormalizeType(t *testing.T) {
	nat := func(ty schema.Type, n string) schema.Type { ty.Native = n; return ty }
	raw := func(s string, dims int) schema.Type {
		r := schema.Raw(map[string]string{"postgres": s})
		r.Native, r.Ext.ArrayDims = s, dims
		return r
	}
	tests := []struct {
		name string
		in   schema.Type
		want schema.Type
	}{
		{"integer", schema.Integer(), nat(schema.Integer(), "integer")},
		{"int4", nat(schema.Type{}, "INT4"), nat(schema.Integer(), "integer")},
		{"serial", nat(schema.Type{}, "serial"), nat(schema.Integer(), "integer")},
		{"string", schema.String(255), nat(schema.String(255), "character varying(255)")},
		{"varchar spelled", nat(schema.Type{}, "VARCHAR ( 255 )"), nat(schema.String(255), "character varying(255)")},
		{"float", schema.Float(), nat(schema.Float(), "double precision")},
		{"float8", nat(schema.Type{}, "float8"), nat(schema.Float(), "double precision")},
		{"numeric", schema.Numeric(12, 2), nat(schema.Numeric(12, 2), "numeric(12,2)")},
		{"decimal", nat(schema.Type{}, "DECIMAL(12, 2)"), nat(schema.Numeric(12, 2), "numeric(12,2)")},
		{"timestamptz", schema.DateTime(true), nat(schema.DateTime(true), "timestamp with time zone")},
		{"timestamp", schema.DateTime(false), nat(schema.DateTime(false), "timestamp without time zone")},
		{"timestamptz(3)", nat(schema.Type{}, "TIMESTAMPTZ(3)"), raw("timestamp(3) with time zone", 0)},
		{"time", schema.Time(), nat(schema.Time(), "time without time zone")},
		{"json", schema.JSON(), nat(schema.JSON(), "jsonb")},
		{"bytea", schema.LargeBinary(), nat(schema.LargeBinary(), "bytea")},
		{"raw inet", schema.Raw(map[string]string{"postgres": "INET"}), raw("inet", 0)},
		{"array", schema.Raw(map[string]string{"postgres": "VARCHAR(20)[]"}), raw("character varying(20)[]", 1)},
		{"enum", nat(schema.Enum("mood", "a", "b"), "mood"), schema.Enum("mood", "a", "b")},
		{"collation kept", schema.Type{Kind: schema.KindText, Ext: schema.TypeExt{Collation: "C"}}, schema.Type{Kind: schema.KindText, Native: "text", Ext: schema.TypeExt{Collation: "C"}}},
		{"quoted name kept", nat(schema.Type{}, `"MyType"`), raw(`"MyType"`, 0)},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.NormalizeType(tt.in)
			if !got.Equal(tt.want) {
				t.Errorf("NormalizeType(%s) = %s %v; want %s %v", tt.in.Describe(), got.Describe(), got.Raw, tt.want.Describe(), tt.want.Raw)
			}
			if again := d.NormalizeType(got); !again.Equal(got) {
				t.Errorf("not idempotent: %s then %s", got.Describe(), again.Describe())
			}
		})
	}
}

func TestDialect_NormalizeDefault(t *testing.T) {
	tests := []struct {
		name string
		in   schema.Default
		want schema.Default
	}{
		{"none", schema.Default{}, schema.Default{}},
		{"string", schema.Value("it's"), schema.Value("it's")},
		{"reflected string", schema.Expr("'it''s'::character varying"), schema.Value("it's")},
		{"reflected enum", schema.Expr("'ok'::other.mood"), schema.Value("ok")},
		{"int", schema.Value(0), schema.Value("0")},
		{"negative int", schema.Value(-7), schema.Value("-7")},
		{"reflected negative", schema.Expr("'-7'::integer"), schema.Value("-7")},
		{"reflected numeric", schema.Expr("0.00"), schema.Value("0.00")},
		{"declared numeric string", schema.Value("0.00"), schema.Value("0.00")},
		{"float", schema.Value(1.5), schema.Value("1.5")},
		{"reflected float", schema.Expr("'1.5'::double precision"), schema.Value("1.5")},
		{"exponent", schema.Expr("1e-05"), schema.Value("1e-05")},
		{"bool", schema.Value(true), schema.Value("true")},
		{"reflected bool", schema.Expr("false"), schema.Value("false")},
		{"bytea", schema.Value([]byte{0xca, 0xfe}), schema.Value(`\xcafe`)},
		{"null", schema.Value(nil), schema.Default{}},
		{"null cast", schema.Expr("NULL::text"), schema.Default{}},
		{"current timestamp", schema.Expr("current_timestamp"), schema.Expr("CURRENT_TIMESTAMP")},
		{"now() is CURRENT_TIMESTAMP", schema.Expr("now()"), schema.Expr("CURRENT_TIMESTAMP")},
		{"function", schema.Expr("gen_random_uuid()"), schema.Expr("gen_random_uuid()")},
		{"sequence", schema.Expr("nextval('t_id_seq'::regclass)"), schema.Expr("nextval('t_id_seq'::regclass)")},
		{"string then more", schema.Expr("'a'::text || 'b'::text"), schema.Expr("'a'::text || 'b'::text")},
		{"parenthesised", schema.Expr("(1 + 2)"), schema.Expr("1 + 2")},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.NormalizeDefault(tt.in)
			if !got.Equal(tt.want) {
				t.Errorf("NormalizeDefault(%s) = %s (%T); want %s (%T)", tt.in, got, got.Value, tt.want, tt.want.Value)
			}
			if again := d.NormalizeDefault(got); !again.Equal(got) {
				t.Errorf("not idempotent: %s then %s", got, again)
			}
		})
	}
}

func TestDialect_NormalizeTable(t *testing.T) {
	d := New()
	declared := schema.NewTable("t",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("mood", schema.Enum("mood", "a").InSchema("s")).WithComment("kept"),
	).InSchema("s").PrimaryKey("id").
		Check("pos", "((id > 0))").
		ForeignKey(schema.FK("id").ReferencesIn("s", "o", "id").DeleteRule(schema.NoAction)).
		Index(schema.IndexExpr("(lower(mood::text))").Partial("(id > 1)"))
	got, err := d.NormalizeTable(declared, schema.DefaultNaming())
	if err != nil {
		t.Fatal(err)
	}
	want := &schema.Table{Schema: "s", Name: "t",
		Columns: []schema.Column{
			{Name: "id", Type: schema.Type{Kind: schema.KindBigInteger, Native: "bigint"}, AutoIncrement: true},
			{Name: "mood", Type: schema.Enum("mood", "a"), Comment: "kept"},
		},
		PK:          &schema.PrimaryKey{Name: "pk_t", Columns: []string{"id"}},
		ForeignKeys: []schema.ForeignKey{{Name: "fk_t_id_o", Columns: []string{"id"}, RefTable: "o", RefColumns: []string{"id"}}},
		Checks:      []schema.Check{{Name: "ck_t_pos", Expr: "id > 0"}},
		Indexes:     []schema.Index{{Name: "ix_t_lower_mood_text", Parts: []schema.IndexPart{{Expr: "lower(mood::text)"}}, Where: "id > 1"}},
	}
	if !got.Equal(want) {
		t.Errorf("NormalizeTable:\n%s\nwant\n%s", dump(&schema.Schema{Tables: []*schema.Table{got}}), dump(&schema.Schema{Tables: []*schema.Table{want}}))
	}
	long := schema.NewTable(strings.Repeat("t", 60), schema.Col("c", schema.Integer())).Index(schema.IndexOn("c"))
	nl, err := d.NormalizeTable(long, schema.DefaultNaming())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(nl.Indexes[0].Name); n != 63 {
		t.Errorf("generated index name is %d bytes, want it fitted to 63", n)
	}
}
