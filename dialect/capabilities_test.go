package dialect_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
)

// present returns the names of c's fields that are set, checking that
// each is d itself.
func present(t *testing.T, d dialect.Dialect, c dialect.Capabilities) []string {
	t.Helper()
	v := reflect.ValueOf(c)
	var names []string
	for i := range v.NumField() {
		f := v.Field(i)
		if f.IsNil() {
			continue
		}
		name := v.Type().Field(i).Name
		if f.Interface() != any(d) {
			t.Errorf("%s: field %s is %v, not the dialect", d.Name(), name, f.Interface())
		}
		names = append(names, name)
	}
	return names
}

// TestProbeBuiltIn pins the optional interfaces of the built-in dialects,
// which decide how the engine locks, resolves its tables and writes
// scripts on each.
func TestProbeBuiltIn(t *testing.T) {
	tests := []struct {
		d    dialect.Dialect
		want []string
		// unpinned are fields this test does not decide.
		unpinned []string
	}{
		{d: sqlite.New(), want: []string{
			"TxLocker", "Leaser", "Clock",
			"Renderer", "BulkLoader",
			"Inspector", "Normalizer", "Lister",
		}},
		{d: postgres.New(), want: []string{
			"Locker", "Leaser", "Clock", "BoundClock", "ModifyingCTE",
			"SessionPreparer", "TableResolver", "TimeoutSetter",
			"ColumnAdder",
			"Renderer", "NoTxer", "BulkLoader",
			"Inspector", "Normalizer", "Lister",
		}},
		{d: mysql.New(), want: []string{
			"Locker", "Leaser", "Clock", "MultiTableUpdater",
			"SessionPreparer", "TableResolver", "TimeoutSetter",
			"ScriptPreambler",
			"Renderer", "BulkLoader",
			"Inspector", "Normalizer", "Lister",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.d.Name(), func(t *testing.T) {
			got := slices.DeleteFunc(present(t, tt.d, dialect.Probe(tt.d)), func(n string) bool {
				return slices.Contains(tt.unpinned, n)
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("capabilities\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// hidden is a dialect that offers only the methods of Dialect, whatever
// the dialect it wraps implements.
type hidden struct{ dialect.Dialect }

func TestProbeNone(t *testing.T) {
	for _, d := range []dialect.Dialect{nil, hidden{postgres.New()}, hidden{sqlite.New()}} {
		if got := present(t, d, dialect.Probe(d)); len(got) > 0 {
			t.Errorf("Probe(%T) = %v, want none", d, got)
		}
	}
}
