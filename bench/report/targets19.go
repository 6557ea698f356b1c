package main

import (
	"fmt"
	"strings"
)

// Issue 19's figures (points 5 to 8), each with the floor or the peers
// it is measured against, from the same run.
const (
	applyRevs     = 1000
	bulkRows      = 1000000
	graphRevs     = 5000
	maxOverheadMS = 1.0  // ms per revision beyond the floor, PostgreSQL and MariaDB
	sqliteFloor   = 1.15 // retort within 15 % of the floor on SQLite
	sqliteAlembic = 10.0 // ... and at least 10× Alembic
	copyVsPsql    = 0.7  // BulkInsert at least 0.7× psql \copy's speed
	bulkAlembic   = 2.0  // MariaDB and SQLite: at least 2× Alembic
	flatRSS       = 1.5  // peak RSS on N rows at most 1.5× that on N/10
	graphAlembic  = 25.0 // graph commands at least 25× Alembic
	chainSeconds  = 2.0  // heads on a 100,000-revision chain
	chainMiB      = 100.0
)

func targets19(byName map[string]*Workload) []targetResult {
	var out []targetResult
	add := func(target, measured, verdict string) {
		out = append(out, targetResult{Group: "19", Target: target, Measured: measured, Verdict: verdict})
	}
	// missing: a workload or figure absent from the run.
	missing := func(target, name string) {
		add(target, fmt.Sprintf("no %s workload in this run", name), "not measured")
	}
	median := func(w *Workload, tool string) (float64, bool) { return w.find(tool).value(w.Kind) }
	// pair reads the medians of retort and of tool other (titled label)
	// in w; when either is missing it adds the target's row saying so and
	// returns false.
	pair := func(target string, w *Workload, other, label string) (r, o float64, ok bool) {
		r, okr := median(w, "retort")
		o, oko := median(w, other)
		switch {
		case !okr:
			add(target, "retort: "+status(w, "retort"), "FAIL")
		case !oko:
			add(target, fmt.Sprintf("retort %s; %s: %s", fmtSec(r), label, status(w, other)), "not measured")
		}
		return r, o, okr && oko
	}

	// 5. Online apply on PostgreSQL and MariaDB.
	for _, d := range []string{"postgres", "mariadb"} {
		name := fmt.Sprintf("apply-%d-%s", applyRevs, d)
		title := map[string]string{"postgres": "PostgreSQL", "mariadb": "MariaDB"}[d]
		target := fmt.Sprintf("5. online apply of %s revisions on %s: retort at least as fast as goose, golang-migrate and dbmate", thousands(applyRevs), title)
		w := byName[name]
		if w == nil {
			missing(target, name)
			missing(fmt.Sprintf("5. online apply on %s: retort's overhead per revision beyond the floor under %.0f ms", title, maxOverheadMS), name)
			continue
		}
		r, ok := median(w, "retort")
		if !ok {
			add(target, "retort: "+status(w, "retort"), "FAIL")
		} else {
			var parts []string
			pass, compared := true, 0
			for _, p := range []string{"goose", "migrate", "dbmate"} {
				v, ok := median(w, p)
				if !ok {
					parts = append(parts, fmt.Sprintf("%s %s", toolTitle[p], status(w, p)))
					continue
				}
				compared++
				parts = append(parts, fmt.Sprintf("%s %s (retort ÷ it %s)", toolTitle[p], fmtSec(v), ratioText(ptr(r/v))))
				if r > v {
					pass = false
				}
			}
			v := verdict(pass)
			if compared == 0 {
				v = "not measured"
			}
			add(target, fmt.Sprintf("retort %s; %s; floor %s", fmtSec(r), strings.Join(parts, "; "), floorText(w)), v)
		}
		target = fmt.Sprintf("5. online apply on %s: retort's overhead per revision beyond the floor (the client running the same SQL) under %.0f ms", title, maxOverheadMS)
		f, okf := median(w, "floor")
		switch {
		case !ok:
			add(target, "retort: "+status(w, "retort"), "FAIL")
		case !okf:
			add(target, "floor: "+status(w, "floor"), "not measured")
		default:
			per := (r - f) / float64(w.Revisions) * 1e3
			add(target, fmt.Sprintf("(retort %s − floor %s) ÷ %s = %.2f ms per revision", fmtSec(r), fmtSec(f), thousands(w.Revisions), per), verdict(per < maxOverheadMS))
		}
	}

	// 6. Online apply on SQLite, one transaction per revision.
	name := fmt.Sprintf("apply-%d-sqlite", applyRevs)
	t1 := fmt.Sprintf("6. online apply of %s revisions on SQLite, one transaction per revision: within %.0f %% of the floor (the sqlite3 client, one transaction per revision with the version update)", thousands(applyRevs), (sqliteFloor-1)*100)
	t2 := fmt.Sprintf("6. the same at least %.0f× faster than Alembic in the same transaction mode", sqliteAlembic)
	if w := byName[name]; w == nil {
		missing(t1, name)
		missing(t2, name)
	} else {
		if r, f, ok := pair(t1, w, "floor", "floor"); ok {
			add(t1, fmt.Sprintf("retort %s, floor %s: %.2f× the floor", fmtSec(r), fmtSec(f), r/f), verdict(r <= f*sqliteFloor))
		}
		if r, a, ok := pair(t2, w, "alembic", "Alembic"); ok {
			measured := fmt.Sprintf("%s faster (retort %s, Alembic %s; floor %s)", ratioText(ptr(a/r)), fmtSec(r), fmtSec(a), floorText(w))
			// Where the floor itself is not that much faster than
			// Alembic, no tool running the same statements in the same
			// transaction mode can be: the page says so.
			if f, okf := median(w, "floor"); okf && a/f < sqliteAlembic {
				measured += fmt.Sprintf("; out of reach: the floor itself is %s faster than Alembic", ratioText(ptr(a/f)))
			}
			add(t2, measured, verdict(a/r >= sqliteAlembic))
		}
	}

	// 7. Bulk load.
	name = fmt.Sprintf("bulk-%d-postgres", bulkRows)
	t1 = fmt.Sprintf("7. PostgreSQL: BulkInsert of %s rows at least %.1f× the speed of psql `\\copy` (the floor)", thousands(bulkRows), copyVsPsql)
	t2 = fmt.Sprintf("7. PostgreSQL: BulkInsert's memory flat in the row count (peak RSS on %s rows at most %.1f× that on a tenth of them)", thousands(bulkRows), flatRSS)
	if w := byName[name]; w == nil {
		missing(t1, name)
		missing(t2, name)
	} else {
		_, ok := median(w, "retort")
		if r, f, ok := pair(t1, w, "floor", "floor"); ok {
			add(t1, fmt.Sprintf("%.2f× psql's speed (retort %s, psql `\\copy` %s)", f/r, fmtSec(r), fmtSec(f)), verdict(f/r >= copyVsPsql))
		}
		rt := w.find("retort")
		switch {
		case !ok:
			add(t2, "retort: "+status(w, "retort"), "FAIL")
		case rt.PeakRSSKiB == nil || rt.SmallPeakRSSKiB == nil:
			add(t2, "no peak RSS on fewer rows was recorded", "not measured")
		default:
			x := float64(*rt.PeakRSSKiB) / float64(*rt.SmallPeakRSSKiB)
			add(t2, fmt.Sprintf("%s on %s rows, %s on %s: %.2f×", fmtMiB(*rt.PeakRSSKiB), thousands(w.Revisions), fmtMiB(*rt.SmallPeakRSSKiB), thousands(*rt.SmallRows), x), verdict(x <= flatRSS))
		}
	}
	for _, d := range []string{"mariadb", "sqlite"} {
		name := fmt.Sprintf("bulk-%d-%s", bulkRows, d)
		title := map[string]string{"mariadb": "MariaDB", "sqlite": "SQLite"}[d]
		target := fmt.Sprintf("7. %s: BulkInsert of %s rows at least %.0f× faster than Alembic's `op.bulk_insert`", title, thousands(bulkRows), bulkAlembic)
		w := byName[name]
		if w == nil {
			missing(target, name)
			continue
		}
		if r, a, ok := pair(target, w, "alembic", "Alembic"); ok {
			add(target, fmt.Sprintf("%s faster (retort %s, Alembic %s; floor %s)", ratioText(ptr(a/r)), fmtSec(r), fmtSec(a), floorText(w)), verdict(a/r >= bulkAlembic))
		}
	}

	// 8. Graph commands, on the harness's shape and the dense one.
	for _, shape := range []string{"", "-dense"} {
		for _, cmd := range []struct{ name, title string }{{"heads", "`heads`"}, {"history", "`history`"}, {"sql", "`upgrade head --sql`"}} {
			name := fmt.Sprintf("%s-%d%s", cmd.name, graphRevs, shape)
			graph := "the branchy graph"
			if shape != "" {
				graph = "the dense graph (a branch and a merge in every ten revisions)"
			}
			target := fmt.Sprintf("8. %s on %s of %s revisions at least %.0f× faster than Alembic (whole process)", cmd.title, graph, thousands(graphRevs), graphAlembic)
			w := byName[name]
			switch {
			case w == nil:
				missing(target, name)
			case w.Ratio == nil:
				v := "not measured"
				if status(w, "retort") == "failed" {
					v = "FAIL"
				}
				add(target, fmt.Sprintf("retort: %s, Alembic: %s", status(w, "retort"), status(w, "alembic")), v)
			default:
				add(target, fmt.Sprintf("%s faster (retort %s, Alembic %s)", ratioText(w.Ratio), cell(w, w.find("retort")), cell(w, w.find("alembic"))), verdict(*w.Ratio >= graphAlembic))
			}
		}
	}
	target := fmt.Sprintf("8. `heads` on a 100,000-revision chain under %.0f s and under %.0f MiB peak RSS", chainSeconds, chainMiB)
	if w := byName["heads-100k-chain"]; w == nil {
		missing(target, "heads-100k-chain")
	} else if v, ok := median(w, "retort"); !ok {
		add(target, "retort: "+status(w, "retort"), "FAIL")
	} else if rss := w.find("retort").PeakRSSKiB; rss == nil {
		add(target, fmt.Sprintf("median %s; no peak RSS recorded", fmtSec(v)), "not measured")
	} else {
		add(target, fmt.Sprintf("median %s, peak RSS %s", fmtSec(v), fmtMiB(*rss)), verdict(v < chainSeconds && float64(*rss)/1024 < chainMiB))
	}
	return out
}

// floorText is the floor's median in a workload, or its status.
func floorText(w *Workload) string {
	if v, ok := w.find("floor").value(w.Kind); ok {
		return fmtSec(v)
	}
	return status(w, "floor")
}

func fmtMiB(k int64) string { return fmt.Sprintf("%.1f MiB", float64(k)/1024) }

// thousands writes n with a comma every three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
