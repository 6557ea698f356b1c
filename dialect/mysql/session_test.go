package mysql

import (
	"context"
	"errors"
	"testing"
)

func TestPrepareSession(t *testing.T) {
	db, _ := testDB(t)
	tests := []struct {
		name    string
		conn    func(t *testing.T) error
		wantErr error
	}{
		{"database selected", func(t *testing.T) error {
			return New().PrepareSession(context.Background(), conn(t, db))
		}, nil},
		{"no database", func(t *testing.T) error {
			return New().PrepareSession(context.Background(), conn(t, openServer(t)))
		}, ErrNoDatabase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.conn(t); !errors.Is(err, tt.wantErr) {
				t.Errorf("PrepareSession = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
