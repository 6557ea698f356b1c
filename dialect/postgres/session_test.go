package postgres

import (
	"context"
	"testing"
)

func TestPrepareSession(t *testing.T) {
	tests := []struct {
		name, before, want string
	}{
		{"default", "", ClientCheckInterval},
		{"set by the user", "SET client_connection_check_interval = '5s'", "5s"},
	}
	db := newDB(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := conn(t, db.DB)
			ctx := context.Background()
			var version int
			if err := c.QueryRowContext(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
				t.Fatal(err)
			}
			if tt.before != "" && version >= 140000 {
				mustExec(t, c, tt.before)
			}
			if err := New().PrepareSession(ctx, c); err != nil {
				t.Fatal(err)
			}
			if version < 140000 {
				return // no such setting: nothing to check
			}
			var got string
			if err := c.QueryRowContext(ctx, "SHOW client_connection_check_interval").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("client_connection_check_interval = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := New().PrepareSession(ctx, conn(t, db.DB)); err == nil {
			t.Error("PrepareSession with a canceled context returned nil")
		}
	})
}
