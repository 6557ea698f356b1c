package sqlast

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var allDialects = []Dialect{PostgreSQL, MySQL, MySQLANSIQuotes, SQLite}

// checkLex checks that the tokens of src cover every non-space byte once,
// in order, with correct positions.
func checkLex(t *testing.T, src string, d Dialect) {
	t.Helper()
	toks := Lex(src, d)
	off, line, lineStart := 0, 1, 0
	advance := func(to int) {
		for ; off < to; off++ {
			if src[off] == '\n' {
				line++
				lineStart = off + 1
			}
		}
	}
	for _, tk := range toks {
		if tk.Pos.Offset < off || tk.End() > len(src) || tk.Text == "" {
			t.Fatalf("%v: token %q at %d out of order (after %d, len %d)", d, tk.Text, tk.Pos.Offset, off, len(src))
		}
		if gap := src[off:tk.Pos.Offset]; strings.TrimLeft(gap, " \t\n\v\f\r") != "" {
			t.Fatalf("%v: bytes %q before offset %d belong to no token", d, gap, tk.Pos.Offset)
		}
		advance(tk.Pos.Offset)
		if tk.Pos.Line != line || tk.Pos.Col != tk.Pos.Offset-lineStart+1 {
			t.Fatalf("%v: token %q at %d: position %d:%d, want %d:%d", d, tk.Text, tk.Pos.Offset, tk.Pos.Line, tk.Pos.Col, line, tk.Pos.Offset-lineStart+1)
		}
		if src[tk.Pos.Offset:tk.End()] != tk.Text {
			t.Fatalf("%v: token text %q is not the source at %d", d, tk.Text, tk.Pos.Offset)
		}
		advance(tk.End())
	}
	if rest := src[off:]; strings.TrimLeft(rest, " \t\n\v\f\r") != "" {
		t.Fatalf("%v: trailing bytes %q belong to no token", d, rest)
	}
}

// checkParse parses src as one statement placed at an offset and checks
// that every position lies inside it.
func checkParse(t *testing.T, src string, d Dialect) {
	t.Helper()
	at := Pos{Offset: 7, Line: 3, Col: 5}
	st := Parse(src, at, d)
	inside := func(what string, p Pos) {
		if p.Offset < at.Offset || p.Offset > at.Offset+len(src) || p.Line < at.Line {
			t.Fatalf("%v: %s position %+v outside the statement at %+v, len %d", d, what, p, at, len(src))
		}
	}
	for _, tk := range st.Tokens {
		inside("token", tk.Pos)
	}
	if !st.Name.IsZero() {
		inside("name", st.Name.Pos)
	}
	if st.Name.IsZero() && st.Name.Pos != (Pos{}) {
		t.Fatalf("%v: empty name with a position", d)
	}
	if st.Err != nil {
		inside("error", st.Err.Pos)
		if st.Err.Msg == "" {
			t.Fatalf("%v: syntax error without a message", d)
		}
	}
	walkPositions(st, func(what string, p Pos) { inside(what, p) })
}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.sql"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, s := range strings.Split(string(src), ";") {
			f.Add(s)
		}
	}
	f.Add("CREATE TABLE t (a int NOT NULL DEFAULT now(), CONSTRAINT c CHECK (a > 0))")
	f.Add("ALTER TABLE t ADD COLUMN x text, ALTER COLUMN y TYPE int USING y::int")
	f.Add("SELECT $a$ x $a$, E'\\'', 'it''s', \"q\"\"\", `b`, [c] -- x\n/* /* */ */")
	f.Fuzz(func(t *testing.T, src string) {
		for _, d := range allDialects {
			checkLex(t, src, d)
			checkParse(t, src, d)
		}
	})
}

func TestLexCoverage(t *testing.T) {
	for _, src := range []string{
		"", "   ", "SELECT 1", "a--b\n", "x -- c\r\ny", "/* a /* b */ c */ d", "'unterminated",
		"$tag$ body $tag$ $1 $$", "E'a\\'b' U&'x' X'ff' N'n'", "`a``b` [c] \"d\"\"e\"",
		"1.5e3 .5 0x1F 1..2", "@x @@session.y :n ? ?1", "a::int >= <> != || ->> #- #x\n", "é ü ½",
		"\x00\x01\xff", "--", "/*", "$", "$a", "E'", "U&\"",
	} {
		for _, d := range allDialects {
			checkLex(t, src, d)
			checkParse(t, src, d)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	var srcs []string
	var ds []Dialect
	files, _ := filepath.Glob(filepath.Join("testdata", "*.sql"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		name := filepath.Base(file)
		d, opts, err := corpusDialect(name)
		if err != nil {
			b.Fatal(err)
		}
		_ = opts
		srcs = append(srcs, string(data))
		ds = append(ds, d)
	}
	if len(srcs) == 0 {
		b.Fatal("no corpus")
	}
	var stmts [][]string
	for i, src := range srcs {
		_, opts, _ := corpusDialect(filepath.Base(files[i]))
		parsed, err := parseFile(src, ds[i], opts)
		if err != nil {
			b.Fatal(err)
		}
		var texts []string
		for _, st := range parsed {
			texts = append(texts, st.Text)
		}
		stmts = append(stmts, texts)
	}
	n := 0
	for _, s := range stmts {
		n += len(s)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, texts := range stmts {
			for _, text := range texts {
				Parse(text, Pos{}, ds[i])
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/stmt")
}
