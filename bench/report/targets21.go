package main

import (
	"fmt"
	"strings"
)

// Issue 21's figure: a fleet of PostgreSQL tenant schemas migrated by one
// command, with the goose loop users write today measured beside it in
// the same run.
const (
	fleetSchemas = 1000
	fleetJobs    = 8
	fleetSeconds = 30.0 // whole process, on the benchmark's 2-core machine
)

func targets21(byName map[string]*Workload) []targetResult {
	name := fmt.Sprintf("fleet-%d-postgres", fleetSchemas)
	target := fmt.Sprintf("fleet: %s PostgreSQL schemas × 3 revisions, `retort fleet upgrade --schemas 'tenant_*' -j %d`, under %.0f s (whole process), with a shell loop of goose over the same schemas beside it",
		thousands(fleetSchemas), fleetJobs, fleetSeconds)
	add := func(measured, verdict string) []targetResult {
		return []targetResult{{Group: "21", Target: target, Measured: measured, Verdict: verdict}}
	}
	w := byName[name]
	if w == nil {
		return add(fmt.Sprintf("no %s workload in this run", name), "not measured")
	}
	r, ok := w.find("retort").value(w.Kind)
	if !ok {
		return add("retort: "+status(w, "retort"), "FAIL")
	}
	// The others beside retort's figure, each with retort ÷ it, or the
	// reason it has none.
	parts := []string{"retort " + fmtSec(r)}
	for _, p := range []struct{ tool, label string }{
		{"goose", "goose loop, one schema after the other"},
		{"goose_p8", fmt.Sprintf("goose loop with `xargs -P %d`", fleetJobs)},
		{"floor", "floor (one psql session)"},
	} {
		if v, ok := w.find(p.tool).value(w.Kind); ok {
			parts = append(parts, fmt.Sprintf("%s %s (retort ÷ it %s)", p.label, fmtSec(v), ratioText(ptr(r/v))))
		} else {
			parts = append(parts, fmt.Sprintf("%s: %s", p.label, status(w, p.tool)))
		}
	}
	parts = append(parts, fmt.Sprintf("%.1f ms per schema", r/float64(fleetSchemas)*1e3))
	return add(strings.Join(parts, "; "), verdict(r < fleetSeconds))
}
