package schema

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNamingDefault(t *testing.T) {
	n := DefaultNaming()
	tests := []struct {
		name string
		c    Constraint
		want string
		gen  bool
	}{
		{"pk", PrimaryKeyOn("id"), "pk_account", true},
		{"unique", UniqueOn("org_id", "email"), "uq_account_org_id_email", true},
		{"fk", FK("org_id").References("org", "id"), "fk_account_org_id_org", true},
		{"check", CheckExpr("score_nonneg", "score >= 0"), "ck_account_score_nonneg", true},
		{"index", IndexOn("email"), "ix_account_email", true},
		{"expression index", IndexExpr("lower(email)"), "ix_account_lower_email", true},
		{"mixed index", IndexOn("org_id").Also(IndexPart{Expr: "COALESCE(a, 'x')"}), "ix_account_org_id_coalesce_a_x", true},
		{"symbols only", IndexExpr("(+)"), "ix_account_expr", true},
		{"explicit", IndexOn("email").Named("my_idx"), "my_idx", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, gen, err := n.Name("account", tt.c)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || gen != tt.gen {
				t.Errorf("Name = %q, %v; want %q, %v", got, gen, tt.want, tt.gen)
			}
		})
	}
}

func TestNamingErrors(t *testing.T) {
	tests := []struct {
		name string
		n    Naming
		c    Constraint
		want string
	}{
		{"no template", Naming{}, IndexOn("a"), `no template for "ix"`},
		{"unknown token", Naming{Index: "ix_%(colum)s"}, IndexOn("a"), "unknown token %(colum)s"},
		{"bad token", Naming{Index: "ix_%(table"}, IndexOn("a"), "bad token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tt.n.Name("t", tt.c)
			if !errors.Is(err, ErrNaming) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want ErrNaming containing %q", err, tt.want)
			}
		})
	}
	if err := (Naming{Index: "%(nope)s"}).Validate(); err == nil {
		t.Error("Validate accepted an unknown token")
	}
	if err := DefaultNaming().Validate(); err != nil {
		t.Errorf("DefaultNaming().Validate() = %v", err)
	}
}

func TestLimitFit(t *testing.T) {
	long := "ix_" + strings.Repeat("table", 10) + "_" + strings.Repeat("column", 10)
	utf := "ix_" + strings.Repeat("é", 70) // 2 bytes each
	tests := []struct {
		name    string
		lim     Limit
		in      string
		gen     bool
		wantLen int // 0: unchanged
		wantErr bool
	}{
		{"short unchanged", PostgresLimit(), "ix_a_b", true, 0, false},
		{"no limit", NoLimit(), long, true, 0, false},
		{"pg generated", PostgresLimit(), long, true, 63, false},
		{"mysql generated", MySQLLimit(), long, true, 64, false},
		{"pg explicit too long", PostgresLimit(), long, false, 0, true},
		{"mysql explicit too long", MySQLLimit(), long, false, 0, true},
		{"pg counts bytes", PostgresLimit(), utf, true, 63, false},
		{"mysql counts characters", MySQLLimit(), utf, true, 64, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.lim.Fit("index", tt.in, tt.gen)
			if tt.wantErr {
				if !errors.Is(err, ErrIdentTooLong) || !strings.Contains(err.Error(), "choose a shorter name") {
					t.Fatalf("err = %v; want ErrIdentTooLong", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantLen == 0 {
				if got != tt.in {
					t.Errorf("Fit = %q; want it unchanged", got)
				}
				return
			}
			if n := tt.lim.Len(got); n > tt.wantLen || n < tt.wantLen-1 {
				t.Errorf("Fit = %q (%d long); want about %d", got, n, tt.wantLen)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Fit = %q: not valid UTF-8 (cut inside a character)", got)
			}
			if got[:10] != tt.in[:10] {
				t.Errorf("Fit = %q does not keep the start of %q", got, tt.in)
			}
			again, _ := tt.lim.Fit("index", tt.in, tt.gen)
			if again != got {
				t.Errorf("Fit is not stable: %q then %q", got, again)
			}
			other, _ := tt.lim.Fit("index", tt.in+"x", tt.gen)
			if other == got {
				t.Errorf("two different long names fit to the same %q", got)
			}
		})
	}
}

func TestApply(t *testing.T) {
	tbl := NewTable("account",
		Col("id", BigInteger()).Identity(),
		Col("email", String(255)).Nullable(),
		Col("org_id", BigInteger()),
	).PrimaryKey("id").Unique("email").
		ForeignKey(FK("org_id").References("org", "id")).
		Check("email_len", "length(email) > 3").
		Index(IndexOn("org_id"))
	got, err := DefaultNaming().Apply(tbl, PostgresLimit())
	if err != nil {
		t.Fatal(err)
	}
	names := []string{got.PK.Name, got.Uniques[0].Name, got.ForeignKeys[0].Name, got.Checks[0].Name, got.Indexes[0].Name}
	want := []string{"pk_account", "uq_account_email", "fk_account_org_id_org", "ck_account_email_len", "ix_account_org_id"}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("name %d = %q; want %q", i, names[i], want[i])
		}
	}
	if tbl.PK.Name != "" || tbl.Indexes[0].Name != "" {
		t.Error("Apply modified its argument")
	}
	long := NewTable(strings.Repeat("t", 70), Col("c", Integer()))
	if _, err := DefaultNaming().Apply(long, PostgresLimit()); !errors.Is(err, ErrIdentTooLong) {
		t.Errorf("Apply on a 70-byte table name: err = %v; want ErrIdentTooLong", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		tbl  *Table
		want []string // substrings, each in some error
	}{
		{"valid", NewTable("t", Col("id", Integer()).Identity()).PrimaryKey("id"), nil},
		{"no columns", NewTable("t"), []string{"table t: no columns"}},
		{"empty name", NewTable("", Col("a", Integer())), []string{"empty table name"}},
		{"duplicate column", NewTable("t", Col("a", Integer()), Col("a", Text())), []string{`column a: duplicate column`}},
		{"no type", NewTable("t", Column{Name: "a"}), []string{"column a: no type"}},
		{"string length", NewTable("t", Col("a", String(0))), []string{"String(0): length must be positive"}},
		{"numeric scale", NewTable("t", Col("a", Numeric(2, 5))), []string{"Numeric(2,5)"}},
		{"enum without values", NewTable("t", Col("a", Enum("e"))), []string{"Enum e without values"}},
		{"enum duplicate", NewTable("t", Col("a", Enum("e", "x", "x"))), []string{`lists "x" twice`}},
		{"raw empty", NewTable("t", Col("a", Raw(nil))), []string{"Raw type without SQL text"}},
		{"identity text", NewTable("t", Col("a", Text()).Identity()), []string{"identity on non-integer type Text"}},
		{"identity nullable", NewTable("t", Col("a", Integer()).Identity().Nullable()), []string{"identity column is nullable"}},
		{"two identities", NewTable("t", Col("a", Integer()).Identity(), Col("b", Integer()).Identity()), []string{"2 identity columns"}},
		{"pk unknown", NewTable("t", Col("a", Integer())).PrimaryKey("b"), []string{"column b: unknown column in primary key"}},
		{"pk nullable", NewTable("t", Col("a", Integer()).Nullable()).PrimaryKey("a"), []string{"primary-key column is nullable"}},
		{"fk counts", NewTable("t", Col("a", Integer())).ForeignKey(FK("a").References("o", "x", "y")), []string{"1 columns but 2 referred columns"}},
		{"fk action", NewTable("t", Col("a", Integer())).ForeignKey(FK("a").References("o", "x").DeleteRule("EXPLODE")), []string{`unknown referential action "EXPLODE"`}},
		{"check unnamed: the database names it", NewTable("t", Col("a", Integer())).AddCheck(Check{Expr: "a > 0"}), nil},
		{"index unknown", NewTable("t", Col("a", Integer())).Index(IndexOn("b")), []string{"unknown column in index"}},
		{"several at once", NewTable("t", Col("a", String(-1)), Col("a", Integer())).PrimaryKey("z"), []string{"String(-1)", "duplicate column", "unknown column in primary key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.tbl.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate = %v; want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v; want ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate = %v; want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestBuildersCopy(t *testing.T) {
	vals := []string{"a", "b"}
	e := Enum("e", vals...)
	vals[0] = "z"
	if e.Values[0] != "a" {
		t.Error("Enum kept the caller's slice")
	}
	c := Col("x", Integer())
	n := c.Nullable()
	if c.Null || !n.Null {
		t.Error("Nullable modified its receiver or did not set Null")
	}
	tbl := NewTable("t", Col("a", Integer())).Index(IndexOn("a"))
	cl := tbl.Clone()
	cl.Indexes[0].Parts[0].Column = "b"
	if tbl.Indexes[0].Parts[0].Column != "a" {
		t.Error("Clone shares index parts")
	}
	if !Value("now()").Equal(Value("now()")) || Value("now()").Equal(Expr("now()")) {
		t.Error("Value and Expr must differ and equal themselves")
	}
}

func TestRenameColumnRefs(t *testing.T) {
	tbl := NewTable("t",
		Col("a", Integer()), Col("b", Integer()),
	).PrimaryKey("a").Unique("a", "b").
		ForeignKey(FK("a").References("p", "a")).
		Index(IndexOn("b", "a"))
	got := tbl.Clone()
	RenameColumnRefs(got, "a", "z")
	if got.PK.Columns[0] != "z" || got.Uniques[0].Columns[0] != "z" || got.Uniques[0].Columns[1] != "b" {
		t.Errorf("keys not renamed: %+v %+v", got.PK, got.Uniques)
	}
	if fk := got.ForeignKeys[0]; fk.Columns[0] != "z" || fk.RefColumns[0] != "a" {
		t.Errorf("foreign key: columns %v (want [z]), referenced %v (want [a]: another table's)", fk.Columns, fk.RefColumns)
	}
	if p := got.Indexes[0].Parts; p[0].Column != "b" || p[1].Column != "z" {
		t.Errorf("index parts %+v", p)
	}
	if got.Columns[0].Name != "a" {
		t.Errorf("the column itself was renamed: %s", got.Columns[0].Name)
	}
	if tbl.PK.Columns[0] != "a" {
		t.Errorf("the original table changed: %v", tbl.PK.Columns)
	}
}
