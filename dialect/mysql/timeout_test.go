package mysql

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
)

// TestDialect_TimeoutSQL_Offline: without a server, the lock timeout in
// whole seconds (rounded up, with a note) and no statement timeout (a
// note says what to add on each server).
func TestDialect_TimeoutSQL_Offline(t *testing.T) {
	for _, tc := range []struct {
		name       string
		t          dialect.Timeouts
		set, reset string
		notes      []string
	}{
		{"none", dialect.Timeouts{}, "", "", nil},
		{"whole seconds", dialect.Timeouts{Lock: 5 * time.Second}, "SET SESSION lock_wait_timeout = 5", "SET SESSION lock_wait_timeout = DEFAULT", nil},
		{"rounded up", dialect.Timeouts{Lock: 100 * time.Millisecond}, "SET SESSION lock_wait_timeout = 1", "SET SESSION lock_wait_timeout = DEFAULT",
			[]string{"lock_wait_timeout = 1: MySQL and MariaDB count it in whole seconds (rounded up)"}},
		{"statement offline", dialect.Timeouts{Statement: 2500 * time.Millisecond}, "", "",
			[]string{"max_statement_time = 2.5; (every statement), on MySQL SET SESSION max_execution_time = 2500;"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := New().TimeoutSQL(context.Background(), nil, tc.t)
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.Join(got.Session, "; "); s != tc.set {
				t.Errorf("session = %q, want %q", s, tc.set)
			}
			if r := strings.Join(got.Reset, "; "); r != tc.reset {
				t.Errorf("reset = %q, want %q", r, tc.reset)
			}
			if len(got.Local) > 0 || len(got.Notes) != len(tc.notes) {
				t.Fatalf("local %q, notes %q", got.Local, got.Notes)
			}
			for i, n := range tc.notes {
				if !strings.Contains(got.Notes[i], n) {
					t.Errorf("note %q does not say %q", got.Notes[i], n)
				}
			}
		})
	}
}
