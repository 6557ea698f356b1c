package retort

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestJoinedMarks: on MySQL a step's clean mark and the next step's dirty
// mark commit together (joinNext). Every way the run can end between and
// after them leaves what marking apart leaves: a run stopped between two
// steps (its context cancelled by a step observer) leaves the next step
// unstarted, not dirty; a step that fails at its first statement after a
// joined mark is dirty with no statement done; a run to the end leaves
// every row clean with its statement count.
func TestJoinedMarks(t *testing.T) {
	fsys := revisionFS(
		"CREATE TABLE t1 (id INTEGER);",
		"CREATE TABLE t2 (id INTEGER);",
		"CREATE TABLE t3 (id INTEGER);\nCREATE TABLE t3b (id INTEGER);",
		"CREATE TABLE t4 (id INTEGER);",
	)
	for _, tc := range []struct {
		name      string
		stopAfter string // the step observer cancels the run once this step committed
		failIn    string // this revision's first statement fails (its table exists)
		wantCur   string
		wantErr   string   // what the error says ("" for none)
		wantDirty string   // the dirty row left, as revision/done ("" for none)
		wantRows  []string // the history rows, revision/dirty/statements
	}{
		{name: "to the end", wantCur: "r4",
			wantRows: []string{"r1/0/1", "r2/0/1", "r3/0/2", "r4/0/1"}},
		{name: "stopped between steps", stopAfter: "r2", wantCur: "r2", wantErr: "context canceled",
			wantRows: []string{"r1/0/1", "r2/0/1"}},
		{name: "stopped before the last step", stopAfter: "r3", wantCur: "r3", wantErr: "context canceled",
			wantRows: []string{"r1/0/1", "r2/0/1", "r3/0/2"}},
		{name: "first statement fails after a joined mark", failIn: "r3", wantCur: "r2", wantErr: "t3",
			wantDirty: "r3/0", wantRows: []string{"r1/0/1", "r2/0/1", "r3/1/0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := testDB(t, "mysql")
			ctx, cancel := context.WithCancel(testContext(t))
			defer cancel()
			if tc.failIn != "" {
				if _, err := db.ExecContext(ctx, "CREATE TABLE t"+strings.TrimPrefix(tc.failIn, "r")+" (id INTEGER)"); err != nil {
					t.Fatal(err)
				}
			}
			p := openProvider(t, db, "mysql", fsys, WithStepObserver(func(r StepResult) {
				if r.Revision == tc.stopAfter {
					cancel()
				}
			}))
			_, err := p.Upgrade(ctx, "head")
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Upgrade: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Upgrade = %v, want an error saying %q", err, tc.wantErr)
			}
			var ld *LeftDirtyError
			switch left := errors.As(err, &ld); {
			case tc.wantDirty == "" && left:
				t.Errorf("the run says it left the database dirty: %v", err)
			case tc.wantDirty != "" && (!left || fmt.Sprintf("%s/%d", ld.Dirty.Revision, ld.Dirty.Done) != tc.wantDirty):
				t.Errorf("Upgrade = %v, want it left dirty at %s", err, tc.wantDirty)
			}
			ctx = testContext(t)
			cur, err := p.Current(ctx)
			if err != nil || strings.Join(cur, ",") != tc.wantCur {
				t.Errorf("Current = %v, %v; want %s", cur, err, tc.wantCur)
			}
			hist, err := p.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var rows []string
			for _, h := range hist {
				d := 0
				if h.Dirty {
					d = 1
				}
				rows = append(rows, fmt.Sprintf("%s/%d/%d", h.Revision, d, h.StmtIndex))
			}
			if strings.Join(rows, " ") != strings.Join(tc.wantRows, " ") {
				t.Errorf("history rows %v, want %v", rows, tc.wantRows)
			}
			// A run that stopped clean goes on to the head.
			if tc.wantDirty == "" {
				if _, err := p.Upgrade(ctx, "head"); err != nil {
					t.Errorf("the next run: %v", err)
				}
			}
		})
	}
}
