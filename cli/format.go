package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

// entry is one revision with what the inspect commands print about it.
type entry struct {
	*revision.Info
	sc      *script.Script
	current bool
	// squashedInto are the squashed revisions that replace this one
	// (a fresh database runs them instead).
	squashedInto []string
}

func (e *session) entry(info *revision.Info) entry {
	x := entry{Info: info, sc: e.script(info.ID)}
	if e.graph != nil {
		x.squashedInto = e.graph.SquashedInto(info.ID)
	}
	return x
}

func (x entry) archived() bool { return x.sc != nil && x.sc.Archived }

func (x entry) message() string {
	if x.sc == nil {
		return ""
	}
	return x.sc.Message
}

func formatDown(x entry) string {
	if len(x.Down) == 0 {
		return "<base>"
	}
	return strings.Join(x.Down, ", ")
}

// lineOpts selects what a one-line revision shows (Alembic's _head_only).
type lineOpts struct {
	branches, doc, parents, tree bool
}

func (x entry) line(o lineOpts) string {
	text := x.ID
	if o.parents {
		if len(x.DependsOn) > 0 {
			text = fmt.Sprintf("%s (%s) -> %s", formatDown(x), strings.Join(x.DependsOn, ", "), text)
		} else {
			text = formatDown(x) + " -> " + text
		}
	}
	if o.branches && len(x.BranchLabels) > 0 {
		text += " (" + strings.Join(x.BranchLabels, ", ") + ")"
	}
	if x.IsRealHead {
		text += " (head)"
	}
	if x.IsHead && !x.IsRealHead {
		text += " (effective head)"
	}
	if x.current {
		text += " (current)"
	}
	if x.archived() {
		text += " (archived)"
	}
	if len(x.squashedInto) > 0 {
		text += " (squashed into " + strings.Join(x.squashedInto, ", ") + ")"
	}
	if o.tree {
		if x.IsBranchPoint {
			text += " (branchpoint)"
		}
		if x.IsMergePoint {
			text += " (mergepoint)"
		}
	}
	if o.doc {
		text += ", " + x.message()
	}
	return text
}

// verbose is the multi-line form (Alembic's log_entry).
func (x entry) verbose() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Rev: %s", x.ID)
	if x.IsHead {
		b.WriteString(" (head)")
	}
	if x.IsBranchPoint {
		b.WriteString(" (branchpoint)")
	}
	if x.IsMergePoint {
		b.WriteString(" (mergepoint)")
	}
	if x.current {
		b.WriteString(" (current)")
	}
	b.WriteString("\n")
	if x.IsMergePoint {
		fmt.Fprintf(&b, "Merges: %s\n", formatDown(x))
	} else {
		fmt.Fprintf(&b, "Parent: %s\n", formatDown(x))
	}
	if len(x.DependsOn) > 0 {
		fmt.Fprintf(&b, "Also depends on: %s\n", strings.Join(x.DependsOn, ", "))
	}
	if x.IsBranchPoint {
		fmt.Fprintf(&b, "Branches into: %s\n", strings.Join(x.Next, ", "))
	}
	if len(x.BranchLabels) > 0 {
		fmt.Fprintf(&b, "Branch names: %s\n", strings.Join(x.BranchLabels, ", "))
	}
	if len(x.squashedInto) > 0 {
		fmt.Fprintf(&b, "Squashed into: %s\n", strings.Join(x.squashedInto, ", "))
	}
	if x.archived() {
		b.WriteString("Archived: yes (databases behind the squash still run it)\n")
	}
	fmt.Fprintf(&b, "Path: %s\n\n", x.Path)
	revises := strings.Join(x.Down, ", ")
	date := ""
	if x.sc != nil {
		date = x.sc.CreateDate
	}
	doc := []string{x.message(), "", "Revision ID: " + x.ID, "Revises: " + revises, "Create Date: " + date}
	for _, l := range doc {
		b.WriteString(strings.TrimRight("    "+l, " ") + "\n")
	}
	return b.String()
}

// jsonRevision is what --json prints for each revision.
type jsonRevision struct {
	Revision        string   `json:"revision"`
	DownRevisions   []string `json:"down_revisions"`
	BranchLabels    []string `json:"branch_labels"`
	DependsOn       []string `json:"depends_on"`
	Message         string   `json:"message"`
	CreateDate      string   `json:"create_date,omitempty"`
	Path            string   `json:"path"`
	IsHead          bool     `json:"is_head"`
	IsEffectiveHead bool     `json:"is_effective_head,omitempty"`
	IsBase          bool     `json:"is_base"`
	IsBranchPoint   bool     `json:"is_branch_point"`
	IsMergePoint    bool     `json:"is_merge_point"`
	IsCurrent       *bool    `json:"is_current,omitempty"`
	BranchesInto    []string `json:"branches_into,omitempty"`
	Archived        bool     `json:"archived,omitempty"`
	SquashedInto    []string `json:"squashed_into,omitempty"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (x entry) json(withCurrent bool) jsonRevision {
	j := jsonRevision{
		Revision:        x.ID,
		DownRevisions:   nonNil(x.Down),
		BranchLabels:    nonNil(x.BranchLabels),
		DependsOn:       nonNil(x.DependsOn),
		Message:         x.message(),
		Path:            x.Path,
		IsHead:          x.IsRealHead,
		IsEffectiveHead: x.IsHead && !x.IsRealHead,
		IsBase:          x.IsBase,
		IsBranchPoint:   x.IsBranchPoint,
		IsMergePoint:    x.IsMergePoint,
	}
	if x.sc != nil {
		j.CreateDate = x.sc.CreateDate
	}
	if withCurrent {
		c := x.current
		j.IsCurrent = &c
	}
	if x.IsBranchPoint {
		j.BranchesInto = x.Next
	}
	j.Archived, j.SquashedInto = x.archived(), x.squashedInto
	return j
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printEntries(e *session, xs []entry, withCurrent bool, line func(entry) string) error {
	if e.json {
		out := make([]jsonRevision, len(xs))
		for i, x := range xs {
			out[i] = x.json(withCurrent)
		}
		return writeJSON(e.stdout, out)
	}
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(line(x))
		b.WriteString("\n")
	}
	_, err := io.WriteString(e.stdout, b.String())
	return err
}

// exitStatusOf is the exit status of a command that failed with err.
func exitStatusOf(err error) int {
	var ue *usageError
	var ce *config.Error
	var dse *retort.DialectSectionError // the project has no SQL for this database
	if errors.As(err, &ue) || errors.As(err, &ce) || errors.As(err, &dse) {
		return ExitUsage
	}
	return ExitFailure
}

// errorHint is what to do about err ("" when its message says it): the
// hint of a usage, configuration or hinted error, else the advice for a
// typed error of the library (libraryHint).
func errorHint(err error) string {
	var ue *usageError
	var ce *config.Error
	var h *hinted
	switch {
	case errors.As(err, &ue):
		if ue.hint == "" && ue.cmd != "" {
			return fmt.Sprintf("run `retort %s --help` for its usage", ue.cmd)
		}
		return ue.hint
	case errors.As(err, &ce):
		return ce.Hint
	case errors.As(err, &h):
		return h.hint
	}
	return libraryHint(err)
}

// errorJSON is an error under --json: one object on stderr.
type errorJSON struct {
	Error    string `json:"error"`
	Hint     string `json:"hint,omitempty"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Revision string `json:"revision,omitempty"`
	Exit     int    `json:"exit"`
}

// writeErrorJSON writes err as one JSON line, with the file, line and
// revision its typed errors carry.
func writeErrorJSON(w io.Writer, err error, msg, hint string, code int) {
	out := errorJSON{Error: msg, Hint: hint, Exit: code}
	out.File, out.Line, out.Revision = errorPlace(err)
	line, _ := json.Marshal(out) // strings and ints: Marshal cannot fail
	fmt.Fprintf(w, "%s\n", line)
}

// errorPlace finds where err happened: a file, a line in it and a
// revision, as far as its typed errors say.
func errorPlace(err error) (file string, line int, rev string) {
	var (
		se *retort.StmtError
		sc *retort.ScriptError
		de *retort.DirtyError
		pe *retort.PartialError
		ue *retort.UnknownRevisionError
		ck *retort.ChecksumError
		pa *script.ParseError
		ce *config.Error
	)
	switch {
	case errors.As(err, &se):
		return se.Path, se.Line, se.Revision
	case errors.As(err, &sc):
		return sc.Path, sc.Line, sc.Revision
	case errors.As(err, &de):
		line := de.NextLine
		if line == 0 {
			line = de.LastLine
		}
		return de.Path, line, de.Revision
	case errors.As(err, &pe):
		return "", 0, pe.Failed
	case errors.As(err, &ue):
		return "", 0, ue.Revision
	case errors.As(err, &ck) && len(ck.Changed) == 1:
		return ck.Changed[0].Path, 0, ck.Changed[0].Revision
	case errors.As(err, &pa):
		return pa.Path, pa.Line, ""
	case errors.As(err, &ce):
		return ce.Path, ce.Line, ""
	}
	return "", 0, ""
}

// stepTime is " (12 ms)" for a record of a committed step (one with an
// "ms" attribute), else "".
func stepTime(r slog.Record) string {
	_, took := stepRecord(r)
	return took
}

// stepRecord tells the records of a step apart: starts is true for the
// Debug record of a step as it starts (a direction, no time); took is
// " (12 ms)" for the record of a committed step, else "".
func stepRecord(r slog.Record) (starts bool, took string) {
	direction := false
	r.Attrs(func(a slog.Attr) bool {
		switch {
		case a.Key == "direction":
			direction = true
		case a.Key == "ms" && a.Value.Kind() == slog.KindInt64:
			took = " (" + formatDuration(time.Duration(a.Value.Int64())*time.Millisecond) + ")"
		}
		return true
	})
	return direction && took == "" && r.Level == slog.LevelDebug, took
}
