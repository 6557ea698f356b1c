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
