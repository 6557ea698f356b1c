package revision

import (
	"fmt"
	"strings"
)

// GraphErrorKind is what makes a revision graph unbuildable.
type GraphErrorKind string

// The kinds of a GraphError.
const (
	GraphDuplicate GraphErrorKind = "duplicate" // two revisions share an id
	GraphIllegal   GraphErrorKind = "illegal"   // an empty, reserved or malformed id or branch label
	GraphMissing   GraphErrorKind = "missing"   // a down revision or depends_on target that does not exist
	GraphLabel     GraphErrorKind = "label"     // a branch label used twice, or also a revision id
)

// GraphError is a revision graph that cannot be built: a duplicate or
// illegal id, a missing down revision or depends_on target, or a branch
// label clash. Msg names the revisions and files and says what to fix in
// them.
type GraphError struct {
	Kind      GraphErrorKind
	Revisions []string
	Paths     []string
	Msg       string
}

func (e *GraphError) Error() string { return e.Msg }

// CycleError is a cycle through down revisions (or, when DependsOn is set,
// through depends_on). Cycle lists the revisions in order and ends where it
// starts.
type CycleError struct {
	Cycle     []string
	Paths     []string
	DependsOn bool
}

func (e *CycleError) Error() string {
	kind := "down_revision"
	if e.DependsOn {
		kind = "down_revision/depends_on"
	}
	var files []string
	seen := map[string]bool{}
	for _, p := range e.Paths {
		if p != "" && !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	msg := fmt.Sprintf("%s cycle: %s", kind, strings.Join(e.Cycle, " -> "))
	if len(files) > 0 {
		msg += " (in " + strings.Join(files, ", ") + ")"
	}
	return msg + "; a revision cannot come after itself: fix the down_revision or depends_on lines"
}

// ResolutionError is a target that names no revision, or more than one
// (then Candidates lists them).
type ResolutionError struct {
	Arg        string
	Msg        string
	Candidates []string
	// Suggestion is the known name closest to Arg (a symbol, a branch
	// label or a revision id), when one is close; see Graph.Suggest.
	Suggestion string
}

func (e *ResolutionError) Error() string {
	if e.Suggestion != "" {
		return fmt.Sprintf("%s; did you mean %q?", e.Msg, e.Suggestion)
	}
	return e.Msg
}

// MultipleHeadsError is a target such as "head" that names one revision
// while the graph (or branch) has several heads.
type MultipleHeadsError struct {
	Heads []string
	Arg   string
}

func (e *MultipleHeadsError) Error() string {
	return fmt.Sprintf("%q names one revision, but there are several heads (%s); name one of them, use LABEL@head for a branch, or 'heads' for all",
		e.Arg, strings.Join(e.Heads, ", "))
}

// RangeError is a range or target that does not lie along the graph from
// the current revisions (Alembic's RangeNotAncestorError).
type RangeError struct {
	Lower, Upper string
	Msg          string
}

func (e *RangeError) Error() string {
	lower := e.Lower
	if lower == "" {
		lower = "base"
	}
	if e.Msg != "" {
		return fmt.Sprintf("%s: %s is not reachable from %s", e.Msg, e.Upper, lower)
	}
	return fmt.Sprintf("revision %s is not an ancestor of %s", lower, e.Upper)
}

// Error is any other graph or target error (an ambiguous relative step, a
// walk past either end).
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }
