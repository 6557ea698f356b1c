package fleet_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/retortdb/retort/fleet"
)

func TestParseTargets(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []fleet.Target
		err        string
	}{
		{
			name: "comments and blank lines",
			file: "# tenants of eu-1\n\npostgresql://app:secret@db1:5432/acme   # big one\n  postgresql://app@db2/globex\n\t\n",
			want: []fleet.Target{
				{Name: "db1:5432/acme", URL: "postgresql://app:secret@db1:5432/acme"},
				{Name: "db2/globex", URL: "postgresql://app@db2/globex"},
			},
		},
		{
			name: "sqlite",
			file: "sqlite:///tenants/a.db\nsqlite:////srv/b.db?_pragma=foreign_keys(1)\n",
			want: []fleet.Target{
				{Name: "tenants/a.db", URL: "sqlite:///tenants/a.db"},
				{Name: "/srv/b.db", URL: "sqlite:////srv/b.db?_pragma=foreign_keys(1)"},
			},
		},
		{name: "bad URL", file: "# x\nmysql://root@h/a\nmysq://root@h/b\n", err: `targets.txt:3: database URL "mysq://root@h/b": unknown scheme "mysq"`},
		{name: "two words", file: "mysql://root@h/a mysql://root@h/b\n", err: "targets.txt:1: more than one word on the line"},
		{name: "two dialects", file: "mysql://root@h/a\npostgresql://h/b\n", err: "targets.txt:2: a postgres URL in a fleet of mysql URLs (line 1)"},
		{name: "twice", file: "mysql://root@h/a\nmysql://other:pw@h/a\n", err: "targets.txt:2: database h/a is already on line 1"},
		{name: "twice, spelt two ways", file: "mysql://root@h/a\nmysql://root@H:3306/a\n", err: "targets.txt:2: database h:3306/a is already on line 1 (as h/a)"},
		{name: "memory", file: "sqlite://\n", err: "targets.txt:1: an in-memory SQLite database"},
		{name: "empty", file: "# nothing yet\n\n", err: "targets.txt lists no database URL"},
		{name: "password hidden", file: "postgresql://u:hunter22@h/a?sslmode=nope#x\n", err: "targets.txt:1:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := fleet.ParseTargets(strings.NewReader(tc.file), "targets.txt", "")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "hunter22") {
					t.Errorf("the error shows the password: %v", err)
				}
				var te *fleet.TargetsError
				if tc.name != "empty" && !errors.As(err, &te) {
					t.Errorf("error %T is not a *TargetsError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSchemas_Errors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ name, url, pattern, want string }{
		{"bad pattern", "postgresql://h/db", "tenant_[", `schema pattern "tenant_["`},
		{"not postgres", "sqlite:///" + filepath.Join(t.TempDir(), "a.db"), "*", "a fleet of schemas is for PostgreSQL; this is a sqlite database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fleet.Schemas(ctx, tc.url, tc.pattern, "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestParseOrder(t *testing.T) {
	targets := []fleet.Target{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}}
	for _, tc := range []struct {
		name, file string
		want       []string
		err        string
	}{
		{"some first", "# canaries\nc\n\nb  # internal tenant\n", []string{"c", "b", "a", "d"}, ""},
		{"empty", "", []string{"a", "b", "c", "d"}, ""},
		{"unknown", "c\nzz\n", nil, `order.txt:2: no tenant of the fleet is named "zz"`},
		{"twice", "c\nb\nc\n", nil, "order.txt:3: tenant c is already on line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := fleet.ParseOrder(strings.NewReader(tc.file), "order.txt", targets)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, g := range got {
				names = append(names, g.Name)
			}
			if !reflect.DeepEqual(names, tc.want) {
				t.Errorf("order %v, want %v", names, tc.want)
			}
		})
	}
}

func TestDatabase(t *testing.T) {
	tests := []struct {
		url, name, err string
	}{
		{"postgresql://app:pw@db1.internal:5432/acme?sslmode=disable", "db1.internal:5432/acme", ""},
		{"mysql://root@127.0.0.1/globex", "127.0.0.1/globex", ""},
		{"sqlite:///tenants/a.db", "tenants/a.db", ""},
		{"sqlite://", "", "in-memory"},
		{"postgresql://app:hunter2@db1:notaport/x", "", "***"},
	}
	for _, tt := range tests {
		got, err := fleet.Database(tt.url, t.TempDir())
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "hunter2")):
			t.Errorf("Database(%s) = %v, want an error with %q and no password", tt.url, err, tt.err)
		case tt.err == "" && (err != nil || got.Name != tt.name || got.URL != tt.url || got.Schema != ""):
			t.Errorf("Database(%s) = %+v, %v; want %s", tt.url, got, err, tt.name)
		}
	}
}
