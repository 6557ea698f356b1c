package script

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func TestFindAlembic(t *testing.T) {
	const classic = "\"\"\"msg\"\"\"\nrevision = '1975ea83b712'\ndown_revision = None\n"
	const typed = "revision: str = \"ae1027a6acf\"\ndown_revision: Union[str, None] = \"1975ea83b712\"\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"Alembic's script location", map[string]string{
			"m/env.py": "from alembic import context\n", "m/script.py.mako": "revision = ${repr(up_revision)}\ndown_revision = x\n",
			"m/versions/b_two.py": typed, "m/versions/a_one.py": classic, "m/versions/__init__.py": classic,
		}, []string{"versions/a_one.py", "versions/b_two.py"}},
		{"Alembic's versions folder", map[string]string{"m/a.py": classic, "m/b.py": typed}, []string{"a.py", "b.py"}},
		{"Python that is no revision", map[string]string{
			"m/gen.py":            "revision = 'x'\n",                    // no down_revision
			"m/cmp.py":            "revision == 1\ndown_revision == 2\n", // comparisons
			"m/indented.py":       "def f():\n    revision = 1\n    down_revision = 2\n",
			"m/versions/notes.md": classic,
		}, nil},
		{"no Python", map[string]string{"m/0001.sql": "-- revision: a\n"}, nil},
		{"hidden and underscore files", map[string]string{"m/.a.py": classic, "m/_b.py": classic}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, content := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(content)}
			}
			got, err := FindAlembic(fsys, "m")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FindAlembic = %q, want %q", got, tt.want)
			}
		})
	}
}
