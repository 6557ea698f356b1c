package schemafmt

import (
	"bytes"
	"strings"
	"testing"

	"github.com/retortdb/retort/schema"
)

// TestGeneratedColumn writes a generated column in the JSON form (read
// back Equal) and in the Go form (GeneratedAs).
func TestGeneratedColumn(t *testing.T) {
	s := &schema.Schema{Tables: []*schema.Table{schema.NewTable("line",
		schema.Col("price", schema.Integer()),
		schema.Col("total", schema.Integer()).Nullable().GeneratedAs("price * 2", true),
		schema.Col("half", schema.Integer()).Nullable().GeneratedAs("price / 2", false),
	)}}
	b, err := EncodeJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"generated": {`) || !strings.Contains(string(b), `"expr": "price * 2"`) {
		t.Errorf("JSON lacks the generated column:\n%s", b)
	}
	back, err := DecodeJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(s) {
		t.Errorf("JSON round trip:\n%v\nwant\n%v", back.Tables[0], s.Tables[0])
	}
	src, err := Go(s, GoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`.GeneratedAs("price * 2", true)`, `.GeneratedAs("price / 2", false)`} {
		if !strings.Contains(string(src), want) {
			t.Errorf("Go source lacks %s:\n%s", want, src)
		}
	}
}
