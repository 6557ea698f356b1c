package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestStartup starts the service on a fresh database of each dialect,
// twice (the second start finds it at head), and checks the schema.
func TestStartup(t *testing.T) {
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.For(t, name)
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			for start := 1; start <= 2; start++ {
				p, err := startup(ctx, db.URL, log)
				if err != nil {
					t.Fatalf("start %d: %v", start, err)
				}
				cur, err := p.Current(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if heads := p.Project().Heads(); len(heads) != 1 || !slices.Equal(cur, heads) {
					t.Fatalf("start %d: database at %v, heads %v", start, cur, heads)
				}
				if err := p.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if n := strings.Count(logs.String(), "Running upgrade"); n != 2 {
				t.Errorf("%d steps logged over two starts, want 2:\n%s", n, logs.String())
			}
			var out bytes.Buffer
			if err := run(ctx, db.URL, "", &out, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
				t.Fatal(err)
			}
			if want := "en: Hello\nfr: Bonjour\nde: Hallo\n"; out.String() != want {
				t.Errorf("output %q, want %q", out.String(), want)
			}
		})
	}
}
