package dialect

import (
	"testing"

	"github.com/retortdb/retort/schema"
)

func TestInspectOptions_Includes(t *testing.T) {
	tests := []struct {
		name string
		opts InspectOptions
		in   []string
		out  []string
	}{
		{"zero value skips own and scratch tables", InspectOptions{},
			[]string{"account", "retort", "retort_versions"}, []string{"retort_version", "retort_history", "retort_lock", "_retort_tmp_account", "_retort_guard"}},
		{"include own", InspectOptions{IncludeOwn: true},
			[]string{"account", "retort_version", "_retort_guard"}, nil},
		{"configured own names replace the defaults", InspectOptions{OwnTables: []string{"alembic_version"}},
			[]string{"account", "retort_version"}, []string{"alembic_version", "_retort_guard"}},
		{"tables", InspectOptions{Tables: []string{"a", "retort_version"}},
			[]string{"a"}, []string{"b", "retort_version"}},
		{"exclude wins over tables", InspectOptions{Tables: []string{"a", "b"}, Exclude: []string{"b"}},
			[]string{"a"}, []string{"b", "c"}},
		{"include name sees the schema", InspectOptions{Schema: "s", IncludeName: func(n schema.TableName) bool { return n.Schema == "s" && n.Name != "tmp" }},
			[]string{"a"}, []string{"tmp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, n := range tt.in {
				if !tt.opts.Includes(n) {
					t.Errorf("Includes(%q) = false; want true", n)
				}
			}
			for _, n := range tt.out {
				if tt.opts.Includes(n) {
					t.Errorf("Includes(%q) = true; want false", n)
				}
			}
		})
	}
}
