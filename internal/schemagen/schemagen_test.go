package schemagen

import (
	"testing"

	"github.com/retortdb/retort/schema"
)

// TestGen_ValidAndDeterministic: the schemas and each mutation of them
// validate, the MySQL ones hold no partial index, and the same seed
// gives the same schemas and mutations.
func TestGen_ValidAndDeterministic(t *testing.T) {
	for _, mysql := range []bool{false, true} {
		run := func() ([]string, *schema.Schema) {
			g := New(3)
			g.MySQL = mysql
			s := g.Schema(4)
			if err := s.Validate(); err != nil {
				t.Fatalf("mysql=%v: the schema does not validate: %v", mysql, err)
			}
			var did []string
			for i := range 60 {
				next := Clone(s)
				did = append(did, g.Mutate(next))
				if err := next.Validate(); err != nil {
					t.Fatalf("mysql=%v: after mutation %d (%s) the schema does not validate: %v", mysql, i, did[i], err)
				}
				s = next
			}
			return did, s
		}
		did1, s1 := run()
		did2, s2 := run()
		if len(did1) != len(did2) || !s1.Equal(s2) {
			t.Fatalf("mysql=%v: the same seed gave different schemas", mysql)
		}
		for i := range did1 {
			if did1[i] != did2[i] {
				t.Fatalf("mysql=%v: mutation %d: %q, then %q", mysql, i, did1[i], did2[i])
			}
		}
		if mysql {
			for _, tb := range s1.Tables {
				for _, ix := range tb.Indexes {
					if ix.Where != "" {
						t.Errorf("a MySQL schema has partial index %s", ix.Name)
					}
				}
			}
			for _, d := range did1 {
				if len(d) > 8 && d[:8] == "add enum" {
					t.Errorf("a MySQL schema got %s", d)
				}
			}
		}
	}
}

// TestClone: a change to a clone leaves the original as it was.
func TestClone(t *testing.T) {
	s := New(1).Schema(3)
	c := Clone(s)
	if !c.Equal(s) {
		t.Fatal("the clone differs")
	}
	c.Tables[0].Columns[0].Name = "changed"
	c.Enums[0].Values[0] = "changed"
	if s.Tables[0].Columns[0].Name == "changed" || s.Enums[0].Values[0] == "changed" {
		t.Error("changing the clone changed the original")
	}
}

// TestRealistic: each hand-written schema validates for each dialect,
// the SaaS one has 60 tables, and ForDialect leaves out what a dialect
// cannot hold.
func TestRealistic(t *testing.T) {
	if n := len(SaaS().Tables); n != 60 {
		t.Errorf("the SaaS schema has %d tables, want 60", n)
	}
	for _, r := range RealisticSchemas {
		for _, dn := range []string{"sqlite", "postgres", "mysql"} {
			s := r.Schema(dn)
			if err := s.Validate(); err != nil {
				t.Errorf("%s for %s: %v", r.Name, dn, err)
			}
			if dn != "postgres" && len(s.Enums) > 0 {
				t.Errorf("%s for %s keeps enum types", r.Name, dn)
			}
			for _, tb := range s.Tables {
				for _, ix := range tb.Indexes {
					if dn == "mysql" && (ix.Where != "" || ix.Parts[0].Expr != "") {
						t.Errorf("%s for mysql keeps index %s", r.Name, ix.Name)
					}
				}
				if dn == "sqlite" && tb.Comment != "" {
					t.Errorf("%s for sqlite keeps the comment of %s", r.Name, tb.Name)
				}
			}
		}
	}
}

// TestRealistic_Mutations: 200 mutations of each hand-written schema
// keep it valid, and every foreign key refers to columns that exist.
func TestRealistic_Mutations(t *testing.T) {
	for _, r := range RealisticSchemas {
		for _, mysql := range []bool{false, true} {
			g := New(11)
			g.MySQL = mysql
			dn := map[bool]string{false: "postgres", true: "mysql"}[mysql]
			s := r.Schema(dn)
			for i := range 200 {
				did := g.Mutate(s)
				if err := s.Validate(); err != nil {
					t.Fatalf("%s, mutation %d (%s): %v", r.Name, i, did, err)
				}
				if mysql {
					// MySQL refuses SET NULL on a NOT NULL column.
					for _, tb := range s.Tables {
						for _, f := range tb.ForeignKeys {
							for _, c := range f.Columns {
								if col, _ := tb.Column(c); !col.Null && (f.OnDelete == schema.SetNull || f.OnUpdate == schema.SetNull) {
									t.Fatalf("%s, mutation %d (%s): %s is SET NULL on NOT NULL column %s.%s", r.Name, i, did, f.Name, tb.Name, c)
								}
							}
						}
					}
				}
				for _, tb := range s.Tables {
					for _, f := range tb.ForeignKeys {
						rt, ok := s.Table(f.RefTable)
						if !ok {
							t.Fatalf("%s, mutation %d (%s): %s refers to missing table %s", r.Name, i, did, f.Name, f.RefTable)
						}
						for _, c := range f.RefColumns {
							if _, ok := rt.Column(c); !ok {
								t.Fatalf("%s, mutation %d (%s): %s refers to missing column %s.%s", r.Name, i, did, f.Name, f.RefTable, c)
							}
						}
					}
				}
			}
		}
	}
}

// TestDropColumnRefs: dropping a column drops the checks, indexes and
// partial indexes that name it as a word, and no other.
func TestDropColumnRefs(t *testing.T) {
	tb := schema.NewTable("t", schema.Col("archived", schema.Boolean()), schema.Col("archived_at", schema.DateTime(true))).
		Check("a", "archived_at > '2000-01-01'").
		Index(schema.IndexOn("archived_at").Partial("NOT archived").Named("ix_partial")).
		Index(schema.IndexExpr("coalesce(archived, false)").Named("ix_expr")).
		Index(schema.IndexOn("archived_at").Named("ix_keep"))
	DropColumnRefs(tb, "archived")
	if len(tb.Checks) != 1 || len(tb.Indexes) != 1 || tb.Indexes[0].Name != "ix_keep" {
		t.Errorf("after dropping archived: checks %v, indexes %v", tb.Checks, tb.Indexes)
	}
}
