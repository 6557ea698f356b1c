package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestFleetGroups(t *testing.T) {
	path := writeTOML(t, `script_location = "migrations"

[fleet.groups.eu]
urls = [
  "postgresql://app:${EU_PW}@eu-db1:5432/acme",
  "postgresql://${EU_USER}@eu-db2/globex?sslmode=disable",
]

[fleet.groups.us]
url = "postgresql://app@us-db/saas?password=${US_PW}"
schemas = "tenant_*"
`)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Fleet.GroupNames(); !reflect.DeepEqual(got, []string{"eu", "us"}) {
		t.Fatalf("GroupNames() = %q", got)
	}
	eu, us := c.Fleet.Groups["eu"], c.Fleet.Groups["us"]
	if eu.Line != 4 || us.Line != 10 || us.Schemas != "tenant_*" {
		t.Errorf("eu line %d, us line %d (want 4, 10), us schemas %q", eu.Line, us.Line, us.Schemas)
	}
	env := map[string]string{"EU_PW": "p@ss:w/rd?&%", "EU_USER": "reader", "US_PW": "s&cret x"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		name string
		want []string
	}{
		{"eu", []string{"postgresql://app:p%40ss%3Aw%2Frd%3F%26%25@eu-db1:5432/acme", "postgresql://reader@eu-db2/globex?sslmode=disable"}},
		{"us", []string{"postgresql://app@us-db/saas?password=s%26cret%20x"}},
	}
	for _, tt := range tests {
		got, err := c.Fleet.Groups[tt.name].Expand(path, tt.name, lookup)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Expand = %q, want %q", tt.name, got, tt.want)
		}
		for _, u := range got {
			if _, err := ParseURL(u, c.Dir); err != nil {
				t.Errorf("%s: the expanded URL does not parse: %v", tt.name, err)
			}
		}
	}

	delete(env, "EU_PW")
	_, err = eu.Expand(path, "eu", lookup)
	var ce *Error
	if !errors.As(err, &ce) || ce.Line != 4 || ce.Path != path ||
		!strings.Contains(ce.Msg, "[fleet.groups.eu] urls: ${EU_PW} is not set") || !strings.Contains(ce.Hint, "EU_PW") {
		t.Errorf("unset variable: %#v", err)
	}
}

func TestFleetErrors(t *testing.T) {
	tests := []struct {
		name, toml string
		line       int
		msg        string // in the error
	}{
		{"literal password", "[fleet.groups.eu]\nurls = [\n  \"postgresql://app:${PW}@a/x\",\n  \"postgresql://app:hunter2@b/y\",\n]\n", 4,
			"[fleet.groups.eu] urls: URL 2: postgresql://app:***@b/y holds a literal password: write the password as ${VAR}"},
		{"literal password option", "[fleet.groups.eu]\nurl = \"postgresql://app@a/x?password=hunter2\"\n", 2,
			"url: postgresql://app@a/x?password=*** holds a literal password"},
		{"password around a variable", "[fleet.groups.eu]\nurl = \"postgresql://app:x${PW}@a/x\"\n", 2, "holds a literal password"},
		{"url and urls", "[fleet.groups.eu]\nurl = \"postgresql://a/x\"\nurls = [\"postgresql://a/y\"]\n", 2, "both url and urls"},
		{"no url", "[fleet.groups.eu]\nschemas = \"t_*\"\n", 1, "lists no database"},
		{"bad pattern", "[fleet.groups.eu]\nurl = \"postgresql://a/x\"\nschemas = \"t_[\"\n", 3, "is not a valid pattern"},
		{"schemas of mysql", "[fleet.groups.eu]\nurl = \"mysql://root@a/x\"\nschemas = \"t_*\"\n", 2, "schemas is for PostgreSQL"},
		{"group all", "[fleet.groups.all]\nurl = \"postgresql://a/x\"\n", 2, "names every group"},
		{"bad url", "[fleet.groups.eu]\nurl = \"postgresql:/a/x\"\n", 2, "[fleet.groups.eu] url: "},
		{"memory", "[fleet.groups.eu]\nurl = \"sqlite://\"\n", 2, "in-memory"},
		{"unclosed variable", "[fleet.groups.eu]\nurl = \"postgresql://app@${HOST/x\"\n", 2, "a ${ without"},
		{"unknown key", "[fleet.groups.eu]\nurl = \"postgresql://a/x\"\nurl_list = []\n", 1, `unknown key "fleet.groups.eu.url_list"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTOML(t, tt.toml)
			_, err := Load(path)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %v, want an *Error", err)
			}
			if ce.Line != tt.line || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("Load = %v (line %d), want line %d and %q", err, ce.Line, tt.line, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), path+":") {
				t.Errorf("%v does not name %s", err, path)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}
