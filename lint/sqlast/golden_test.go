package sqlast

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/retortdb/retort/sqlsplit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// corpusDialect picks the dialect of a testdata file by its name's prefix.
func corpusDialect(name string) (Dialect, sqlsplit.Options, error) {
	switch {
	case strings.HasPrefix(name, "pg_"):
		return PostgreSQL, sqlsplit.PostgreSQL(), nil
	case strings.HasPrefix(name, "mysql_"):
		return MySQL, sqlsplit.MySQL(), nil
	case strings.HasPrefix(name, "sqlite_"):
		return SQLite, sqlsplit.SQLite(), nil
	}
	return 0, sqlsplit.Options{}, fmt.Errorf("%s: name must start with pg_, mysql_ or sqlite_", name)
}

// parseFile splits and parses a whole file as the lint engine will.
func parseFile(src string, d Dialect, opts sqlsplit.Options) ([]*Statement, error) {
	stmts, err := sqlsplit.Split(src, opts)
	if err != nil {
		return nil, err
	}
	out := make([]*Statement, 0, len(stmts))
	for _, s := range stmts {
		at := Pos{Offset: s.Start, Line: s.Line, Col: s.Start - strings.LastIndexByte(src[:s.Start], '\n')}
		out = append(out, Parse(s.Text, at, d))
	}
	return out, nil
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.sql files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".sql")
		t.Run(name, func(t *testing.T) {
			d, opts, err := corpusDialect(name)
			if err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			stmts, err := parseFile(string(src), d, opts)
			if err != nil {
				t.Fatalf("split: %v", err)
			}
			var b strings.Builder
			for i, st := range stmts {
				if i > 0 {
					b.WriteString("\n")
				}
				first, _, _ := strings.Cut(st.Text, "\n")
				fmt.Fprintf(&b, "-- %d:%d %s\n", st.Pos.Line, st.Pos.Col, first)
				dump(&b, "", reflect.ValueOf(st).Elem())
			}
			golden := strings.TrimSuffix(file, ".sql") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs from the parse; run go test -run TestGolden -update and review the diff\n%s", golden, firstDiff(string(want), got))
			}
		})
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, w, g)
		}
	}
	return ""
}

// dump prints the non-zero fields of a parsed structure, one per line,
// skipping the raw text and token lists (they are tested by the fuzz
// invariants) and printing positions as line:col.
func dump(b *strings.Builder, indent string, v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		switch f.Name {
		case "Text", "Tokens", "Comments", "Dialect":
			if t.Name() == "Statement" {
				continue
			}
		}
		fv := v.Field(i)
		if fv.IsZero() {
			continue
		}
		dumpValue(b, indent, f.Name, fv)
	}
}

func dumpValue(b *strings.Builder, indent, label string, fv reflect.Value) {
	switch x := fv.Interface().(type) {
	case Pos:
		fmt.Fprintf(b, "%s%s: %d:%d\n", indent, label, x.Line, x.Col)
		return
	case Name:
		fmt.Fprintf(b, "%s%s: %q @%d:%d\n", indent, label, x.Parts, x.Pos.Line, x.Pos.Col)
		return
	case fmt.Stringer:
		if fv.Kind() != reflect.Pointer && fv.Kind() != reflect.Struct {
			fmt.Fprintf(b, "%s%s: %s\n", indent, label, x)
			return
		}
	}
	switch fv.Kind() {
	case reflect.Pointer:
		fmt.Fprintf(b, "%s%s:\n", indent, label)
		e := fv.Elem()
		if e.Kind() == reflect.Struct {
			dump(b, indent+"  ", e)
		} else {
			dumpValue(b, indent+"  ", "*", e)
		}
	case reflect.Struct:
		fmt.Fprintf(b, "%s%s:\n", indent, label)
		dump(b, indent+"  ", fv)
	case reflect.Slice:
		if fv.Type().Elem().Kind() == reflect.String {
			fmt.Fprintf(b, "%s%s: %q\n", indent, label, fv.Interface())
			return
		}
		for k := 0; k < fv.Len(); k++ {
			dumpValue(b, indent, fmt.Sprintf("%s[%d]", label, k), fv.Index(k))
		}
	case reflect.String:
		fmt.Fprintf(b, "%s%s: %q\n", indent, label, fv.String())
	default:
		fmt.Fprintf(b, "%s%s: %v\n", indent, label, fv.Interface())
	}
}
