package lint

import "testing"

func TestPgTypeChangeRewrites(t *testing.T) {
	for _, tc := range []struct {
		old, new        string
		rewrites, known bool
	}{
		{"varchar(50)", "varchar(100)", false, true},
		{"character varying(50)", "varchar", false, true},
		{"varchar(100)", "varchar(50)", true, true},
		{"varchar(255)", "text", false, true},
		{"text", "varchar", false, true},
		{"text", "varchar(20)", true, true},
		{"numeric(10,2)", "numeric(12, 2)", false, true},
		{"numeric(10,2)", "numeric(12,3)", true, true},
		{"decimal(10,2)", "numeric", false, true},
		{"numeric", "numeric(10,2)", true, true},
		{"int", "bigint", true, true},
		{"int", "numeric", true, true},
		{"integer", "int4", false, true},
		{"int4", "int8", true, true},
		{"smallint", "integer", true, true},
		{"timestamp", "timestamp with time zone", true, false},
		{"timestamptz", "timestamp", true, false},
		{"timestamp(3)", "timestamp(6)", false, true},
		{"timestamp(6)", "timestamp(3)", true, true},
		{"timestamp(3) without time zone", "timestamp", false, true},
		{"cidr", "inet", false, true},
		{"inet", "cidr", true, true},
		{"text", "citext", false, true},
		{"char(10)", "char(20)", true, true},
		{"char(10)", "text", true, true},
		{"json", "jsonb", true, true},
		{"text", "jsonb", true, true},
		{"varchar(20)", "uuid", true, true},
		{"bit varying(8)", "varbit(16)", false, true},
		{"int[]", "bigint[]", true, true},
		{"text[]", "text", true, true},
		{"mood", "text", true, false},
		{"text", "public.email", true, false},
	} {
		t.Run(tc.old+"->"+tc.new, func(t *testing.T) {
			r, k := pgTypeChangeRewrites(tc.old, tc.new)
			if r != tc.rewrites || k != tc.known {
				t.Errorf("pgTypeChangeRewrites(%q, %q) = %v, %v; want %v, %v", tc.old, tc.new, r, k, tc.rewrites, tc.known)
			}
		})
	}
	for typ, may := range map[string]bool{"bigint": false, "text": true, "varchar(10)": true, "jsonb": false, "uuid": false, "numeric(10,2)": true, "mood": true, "timestamptz": true, "boolean": false} {
		if got := pgTypeTargetMayKeep(typ); got != may {
			t.Errorf("pgTypeTargetMayKeep(%q) = %v, want %v", typ, got, may)
		}
	}
}
