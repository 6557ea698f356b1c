package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
)

func TestDialect_TimeoutSQL(t *testing.T) {
	for _, tc := range []struct {
		name       string
		t          dialect.Timeouts
		local, rst string
	}{
		{"none", dialect.Timeouts{}, "", ""},
		{"seconds", dialect.Timeouts{Lock: 5 * time.Second}, "SET LOCAL lock_timeout = '5s'", "RESET lock_timeout"},
		{"minutes", dialect.Timeouts{Statement: 15 * time.Minute}, "SET LOCAL statement_timeout = '15min'", "RESET statement_timeout"},
		{"both, ms rounded up", dialect.Timeouts{Lock: 1500 * time.Millisecond, Statement: 10 * time.Microsecond},
			"SET LOCAL lock_timeout = '1500ms'; SET LOCAL statement_timeout = '1ms'", "RESET lock_timeout; RESET statement_timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := New().TimeoutSQL(context.Background(), nil, tc.t)
			if err != nil {
				t.Fatal(err)
			}
			if l := strings.Join(got.Local, "; "); l != tc.local {
				t.Errorf("local = %q, want %q", l, tc.local)
			}
			if r := strings.Join(got.Reset, "; "); r != tc.rst {
				t.Errorf("reset = %q, want %q", r, tc.rst)
			}
			if s, want := strings.Join(got.Session, "; "), strings.ReplaceAll(tc.local, "SET LOCAL", "SET"); s != want {
				t.Errorf("session = %q, want %q", s, want)
			}
			if got.LocalWithBegin != (tc.local != "") || len(got.Notes) > 0 {
				t.Errorf("LocalWithBegin = %v, notes %q", got.LocalWithBegin, got.Notes)
			}
		})
	}
}
