package sqlast

import (
	"fmt"
	"strings"
	"testing"
)

// render shows tokens as kind:name, the name quoted when it differs from
// the text.
func renderTokens(toks []Token) string {
	var parts []string
	for _, t := range toks {
		s := t.Kind.String() + ":" + t.Text
		if t.Name != t.Text {
			s += fmt.Sprintf("=%q", t.Name)
		}
		if t.Unterminated {
			s += "!"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestLex(t *testing.T) {
	tests := []struct {
		d    Dialect
		src  string
		want string
	}{
		{PostgreSQL, `SELECT "A""b", Ab`, `word:SELECT="select" qident:"A""b"="A\"b" punct:, word:Ab="ab"`},
		{PostgreSQL, `E'it\'s' 'a''b'`, `string:E'it\'s'="it\\'s" string:'a''b'="a'b"`},
		{PostgreSQL, `$f$ x; $$ $f$ $1 $$y$$`, `dollar:$f$ x; $$ $f$=" x; $$ " param:$1 dollar:$$y$$="y"`},
		{PostgreSQL, `/* a /* b */ c */ x`, `comment:/* a /* b */ c */ word:x`},
		{PostgreSQL, "a::int>=1 -- retort:ignore RT301 why\n", `word:a punct::: word:int punct:>= number:1 comment:-- retort:ignore RT301 why`},
		{PostgreSQL, `U&"d\0061t" 'open`, `qident:U&"d\0061t"="d\\0061t" string:'open="open"!`},
		{MySQL, "`a``b` \"str\" 'it\\'s' # c\nx", "qident:`a``b`=\"a`b\" string:\"str\"=\"str\" string:'it\\'s'=\"it\\\\'s\" comment:# c word:x"},
		{MySQL, "a--1\n-- c\n", `word:a punct:-- number:1 comment:-- c`},
		{MySQL, `@x @@session.y ?`, `param:@x param:@@session.y param:?`},
		{MySQLANSIQuotes, `"id"`, `qident:"id"="id"`},
		{SQLite, "[a b] `c` \"d\" ?1 :n @m $v", "qident:[a b]=\"a b\" qident:`c`=\"c\" qident:\"d\"=\"d\" param:?1 param::n param:@m param:$v"},
		{SQLite, `X'ff' 1.5e3 .5 0x1F`, `string:X'ff'="ff" number:1.5e3 number:.5 number:0x1F`},
		{SQLite, `/* open`, `comment:/* open!`},
	}
	for _, tt := range tests {
		got := renderTokens(Lex(tt.src, tt.d))
		if got != tt.want {
			t.Errorf("%v %q:\n got %s\nwant %s", tt.d, tt.src, got, tt.want)
		}
	}
}

func TestLexPositionsAndDepth(t *testing.T) {
	toks := Lex("a (b,\n  (c)) d", PostgreSQL)
	want := []struct {
		text       string
		line, col  int
		depth, off int
	}{
		{"a", 1, 1, 0, 0}, {"(", 1, 3, 0, 2}, {"b", 1, 4, 1, 3}, {",", 1, 5, 1, 4},
		{"(", 2, 3, 1, 8}, {"c", 2, 4, 2, 9}, {")", 2, 5, 1, 10}, {")", 2, 6, 0, 11}, {"d", 2, 8, 0, 13},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens, want %d: %s", len(toks), len(want), renderTokens(toks))
	}
	for i, w := range want {
		tk := toks[i]
		if tk.Text != w.text || tk.Pos.Line != w.line || tk.Pos.Col != w.col || tk.Depth != w.depth || tk.Pos.Offset != w.off {
			t.Errorf("token %d: got %q %d:%d depth %d off %d, want %+v", i, tk.Text, tk.Pos.Line, tk.Pos.Col, tk.Depth, tk.Pos.Offset, w)
		}
	}
}

func TestParsePositionsAreAbsolute(t *testing.T) {
	st := Parse("ALTER TABLE t\n  ADD COLUMN a int", Pos{Offset: 100, Line: 10, Col: 5}, PostgreSQL)
	if st.Name.Pos != (Pos{Offset: 112, Line: 10, Col: 17}) {
		t.Errorf("name at %+v", st.Name.Pos)
	}
	a := st.AlterTable.Actions[0]
	if a.Pos != (Pos{Offset: 116, Line: 11, Col: 3}) {
		t.Errorf("action at %+v", a.Pos)
	}
	if a.Text != "ADD COLUMN a int" {
		t.Errorf("action text %q", a.Text)
	}
}

func TestHasSeq(t *testing.T) {
	st := Parse("ALTER TABLE t ADD CONSTRAINT c CHECK (x NOT VALID) NOT VALID -- NOT NULL", Pos{}, PostgreSQL)
	tests := []struct {
		words []string
		top   bool
		any   bool
	}{
		{[]string{"NOT", "VALID"}, true, true},
		{[]string{"not", "valid"}, true, true},
		{[]string{"NOT", "NULL"}, false, false},
		{[]string{"CHECK", "("}, true, true},
		{[]string{"X", "NOT"}, false, true},
		{nil, false, false},
	}
	for _, tt := range tests {
		if got := st.HasSeq(tt.words...); got != tt.top {
			t.Errorf("HasSeq(%q) = %v, want %v", tt.words, got, tt.top)
		}
		if got := st.HasSeqAnyDepth(tt.words...); got != tt.any {
			t.Errorf("HasSeqAnyDepth(%q) = %v, want %v", tt.words, got, tt.any)
		}
	}
	if i := st.IndexSeq("NOT", "VALID"); st.Keyword(i) != "NOT" || st.Tokens[i].Depth != 0 {
		t.Errorf("IndexSeq(NOT VALID) = %d (%q)", i, st.Keyword(i))
	}
	if len(st.Comments) != 1 || len(st.Suppressions()) != 0 {
		t.Errorf("comments %d, suppressions %d", len(st.Comments), len(st.Suppressions()))
	}
}

func TestDialectFor(t *testing.T) {
	for name, want := range map[string]Dialect{"postgres": PostgreSQL, "mysql": MySQL, "mariadb": MySQL, "sqlite": SQLite, "SQLite3": SQLite} {
		d, ok := DialectFor(name)
		if !ok || d != want {
			t.Errorf("DialectFor(%q) = %v, %v", name, d, ok)
		}
	}
	if _, ok := DialectFor("oracle"); ok {
		t.Error("DialectFor(oracle) is ok")
	}
	if MySQLANSIQuotes.Name() != "mysql" || SQLite.Name() != "sqlite" || PostgreSQL.Name() != "postgres" {
		t.Error("Name")
	}
}

func TestDefaultVolatility(t *testing.T) {
	tests := []struct {
		d    Dialect
		def  string
		want Volatility
	}{
		{PostgreSQL, "0", Constant},
		{PostgreSQL, "'x'::text", Constant},
		{PostgreSQL, "'{}'::jsonb", Constant},
		{PostgreSQL, "-1", Constant},
		{PostgreSQL, "true", Constant},
		{PostgreSQL, "NULL", Constant},
		{PostgreSQL, "interval '1 day'", Constant},
		{PostgreSQL, "lower('A')", Constant},
		{PostgreSQL, "now()", Stable},
		{PostgreSQL, "CURRENT_TIMESTAMP", Stable},
		{PostgreSQL, "now() + interval '1 day'", Stable},
		{PostgreSQL, "now()::date", Stable},
		{PostgreSQL, "random()", Volatile},
		{PostgreSQL, "gen_random_uuid()", Volatile},
		{PostgreSQL, "clock_timestamp()", Volatile},
		{PostgreSQL, "nextval('s')", Volatile},
		{PostgreSQL, "floor(random() * 10)", Volatile},
		{PostgreSQL, "my_func()", Unknown},
		{MySQL, "(uuid())", Volatile},
		{MySQL, "CURRENT_TIMESTAMP", Stable},
		{SQLite, "(datetime('now'))", Stable},
		{SQLite, "(randomblob(16))", Volatile},
	}
	for _, tt := range tests {
		st := Parse("CREATE TABLE t (c int DEFAULT "+tt.def+" NOT NULL)", Pos{}, tt.d)
		if st.Err != nil {
			t.Errorf("%s: %v", tt.def, st.Err)
			continue
		}
		c := st.CreateTable.Columns[0]
		if c.Default == nil || c.Default.Volatility != tt.want || c.Default.Text != tt.def || !c.NotNull {
			t.Errorf("DEFAULT %s: got %+v, want %v", tt.def, c.Default, tt.want)
		}
	}
}

func TestNeverPanicsOnPrefixes(t *testing.T) {
	// Every prefix of every corpus-like statement, in every dialect: the
	// recogniser must stop cleanly wherever the text ends.
	srcs := []string{
		"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY s.t USING btree (lower(a), b DESC) INCLUDE (c) WITH (fillfactor=70) WHERE d",
		"ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT now() REFERENCES u (id) ON DELETE SET NULL, ALTER COLUMN b TYPE text USING b::text, ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES u (id) NOT VALID",
		"CREATE TABLE t (a int GENERATED ALWAYS AS (b + 1) STORED, b int GENERATED BY DEFAULT AS IDENTITY (START 1), CONSTRAINT p PRIMARY KEY (a), EXCLUDE USING gist (c WITH &&)) PARTITION BY RANGE (a)",
		"ALTER TABLE t CHANGE COLUMN IF EXISTS a b int AFTER c, ALGORITHM=INPLACE, LOCK=NONE, RENAME INDEX a TO b, DROP FOREIGN KEY f",
		"ALTER TYPE e ADD VALUE IF NOT EXISTS 'x' BEFORE 'y'",
		"RENAME TABLE a TO b, c TO d",
		"SET SESSION lock_wait_timeout = 5",
	}
	for _, src := range srcs {
		for i := 0; i <= len(src); i++ {
			for _, d := range allDialects {
				checkParse(t, src[:i], d)
			}
		}
	}
}

func TestParseTrailingTerminatorAndStart(t *testing.T) {
	st := Parse("-- why\nSET lock_timeout = '5s';", Pos{}, PostgreSQL)
	if st.Kind != Set || st.Set.Value != "5s" || st.Err != nil {
		t.Errorf("got %v %+v %v", st.Kind, st.Set, st.Err)
	}
	if p := st.Start(); p.Line != 2 || p.Col != 1 {
		t.Errorf("Start() = %+v, want line 2", p)
	}
	if p := Parse("  ", Pos{Line: 4, Col: 1}, SQLite).Start(); p.Line != 4 {
		t.Errorf("Start() of an empty statement = %+v", p)
	}
}

func TestServerFilled(t *testing.T) {
	tests := []struct {
		d    Dialect
		def  string
		want bool
	}{
		{PostgreSQL, "a int NOT NULL", false},
		{PostgreSQL, "a int NOT NULL DEFAULT 0", true},
		{PostgreSQL, "a bigserial", true},
		{PostgreSQL, "a int GENERATED BY DEFAULT AS IDENTITY", true},
		{PostgreSQL, "a int GENERATED ALWAYS AS (b * 2) STORED", true},
		{MySQL, "a int NOT NULL AUTO_INCREMENT", true},
		{MySQL, "a int AS (b + 1) VIRTUAL", true},
		{SQLite, "a", false},
	}
	for _, tt := range tests {
		st := Parse("ALTER TABLE t ADD COLUMN "+tt.def, Pos{}, tt.d)
		if st.Err != nil || st.AlterTable == nil || len(st.AlterTable.Actions) != 1 || st.AlterTable.Actions[0].Column == nil {
			t.Fatalf("%s: %+v", tt.def, st.Err)
		}
		if got := st.AlterTable.Actions[0].Column.ServerFilled(); got != tt.want {
			t.Errorf("%s: ServerFilled() = %v, want %v", tt.def, got, tt.want)
		}
	}
}

func TestReferences(t *testing.T) {
	tests := []struct {
		d    Dialect
		src  string
		want string
	}{
		{PostgreSQL, "CREATE TABLE a (id int, b int REFERENCES s.b, FOREIGN KEY (id) REFERENCES c (id))", "s.b c"},
		{PostgreSQL, "ALTER TABLE a ADD COLUMN x int REFERENCES d, ADD CONSTRAINT f FOREIGN KEY (y) REFERENCES e (id) NOT VALID", "d e"},
		{MySQL, "ALTER TABLE a MODIFY x int REFERENCES f (id)", "f"},
		{PostgreSQL, "ALTER TABLE a ADD COLUMN x int", ""},
		{PostgreSQL, "DROP TABLE a", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, n := range Parse(tt.src, Pos{}, tt.d).References() {
			got = append(got, n.String())
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: References() = %q, want %q", tt.src, got, tt.want)
		}
	}
}
