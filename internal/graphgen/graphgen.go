// Package graphgen generates the synthetic revision graphs of the
// benchmarks: the same graph (same ids, same parents, same SQL) for every
// tool that bench/gen writes, for the graph-command benchmarks of the cli
// package and for the offline-script benchmark of the root package, so
// that the three measure one shape.
//
// Shapes:
//
//   - chain: a plain line, each revision on top of the previous one.
//   - branchy: mostly a line; about every 20 revisions a side branch starts
//     from a recent revision of the main line and is merged back about 10
//     revisions later. The graph has branch points and merges, and a single
//     head.
//   - dense: branchy at twice the rate: about one revision in ten starts a
//     side branch (its parent becomes a branch point) and one in ten merges
//     one back, about 5 revisions later. The figures for the graph
//     commands are stated for this density.
//
// Everything (ids, branch points, branch lengths) is derived from the
// seed, so two runs with the same arguments give the same graph. Revision
// n creates table t_n (n counts from 1) and drops it on downgrade.
package graphgen

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Revision is one node of the generated graph.
type Revision struct {
	Num     int      // 1-based creation order; the revision creates t_<Num>
	ID      string   // 12 hex characters
	Parents []string // down revisions; empty for the base, two for a merge
	Message string
}

// Rand is splitmix64: tiny, fast, and its sequence is fixed forever, so a
// seed gives the same graph with any Go version.
type Rand struct{ s uint64 }

// NewRand returns a Rand starting from state s.
func NewRand(s uint64) *Rand { return &Rand{s: s} }

func (r *Rand) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Intn returns a number in [0, n).
func (r *Rand) Intn(n int) int { return int(r.next() % uint64(n)) }

// Between returns a number in [lo, hi].
func (r *Rand) Between(lo, hi int) int { return lo + r.Intn(hi-lo+1) }

// makeID derives revision number num's id from the seed: the first 6 bytes
// of SHA-256("retort-bench/<seed>/<num>/<salt>") as hex. salt is bumped on
// the (unlikely) collision with an earlier id.
func makeID(seed int64, num int, used map[string]bool) string {
	for salt := 0; ; salt++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("retort-bench/%d/%d/%d", seed, num, salt)))
		id := hex.EncodeToString(sum[:6])
		// An all-digit id would be read as a number by some tools; ids of
		// real projects always have a letter. (Also keeps ids unambiguous
		// as YAML/TOML-ish values.)
		if strings.Trim(id, "0123456789") == "" {
			continue
		}
		if !used[id] {
			used[id] = true
			return id
		}
	}
}

// Generate builds the graph of n revisions of the given shape (chain,
// branchy or dense).
func Generate(n int, seed int64, shape string) ([]Revision, error) {
	if n < 1 {
		return nil, errors.New("-n must be at least 1")
	}
	if shape != "chain" && shape != "branchy" && shape != "dense" {
		return nil, fmt.Errorf("unknown shape %q (want branchy, dense or chain)", shape)
	}
	// gap is the distance between branch starts, span the revisions from a
	// branch's start to its merge.
	gapLo, gapHi, spanLo, spanHi := 15, 25, 8, 12
	if shape == "dense" {
		gapLo, gapHi, spanLo, spanHi = 8, 12, 4, 6
	}
	forks := shape != "chain"
	r := NewRand(uint64(seed)*0x2545f4914f6cdd1d + 1)
	used := make(map[string]bool, n)
	revs := make([]Revision, 0, n)

	var (
		mainLine   []string // ids on the main line, oldest first
		sideTip    string   // tip of the open side branch, "" if none
		sideStart  int      // number of the side branch's first revision
		sideLen    int      // revisions after sideStart before the merge
		nextBranch = r.Between(gapLo, gapHi)
	)
	for num := 1; num <= n; num++ {
		id := makeID(seed, num, used)
		rev := Revision{Num: num, ID: id}
		remaining := n - num // revisions after this one
		mainTip := ""
		if len(mainLine) > 0 {
			mainTip = mainLine[len(mainLine)-1]
		}
		switch {
		case num == 1:
			rev.Message = "create t_1"
			mainLine = append(mainLine, id)

		case forks && sideTip != "" && (num-sideStart >= sideLen || remaining == 0):
			// Merge the side branch back into the main line.
			rev.Parents = []string{mainTip, sideTip}
			rev.Message = fmt.Sprintf("merge branch into main, create t_%d", num)
			mainLine = append(mainLine, id)
			sideTip = ""

		case forks && sideTip == "" && nextBranch <= 0 && len(mainLine) >= 6 && remaining >= 12:
			// Start a side branch from a recent main-line revision that is
			// not the tip, so the main line moves on past the branch point
			// and the merge joins two real lines.
			back := r.Between(1, 4)
			from := mainLine[len(mainLine)-1-back]
			rev.Parents = []string{from}
			rev.Message = fmt.Sprintf("start side branch from %s, create t_%d", from, num)
			sideTip = id
			sideStart = num
			sideLen = r.Between(spanLo, spanHi)
			nextBranch = r.Between(gapLo, gapHi) // counted from this branch's start

		case forks && sideTip != "" && r.Intn(5) < 2:
			// Grow the side branch (two times in five).
			rev.Parents = []string{sideTip}
			rev.Message = fmt.Sprintf("side branch, create t_%d", num)
			sideTip = id

		default:
			rev.Parents = []string{mainTip}
			rev.Message = fmt.Sprintf("create t_%d", num)
			mainLine = append(mainLine, id)
		}
		nextBranch--
		revs = append(revs, rev)
	}
	return revs, nil
}

// CreateDate is every revision's creation date (UTC).
const CreateDate = "2024-01-01 00:00:00"

// UpgradeSQL is revision num's upgrade statement, without a terminator.
func UpgradeSQL(num int) string {
	return fmt.Sprintf("CREATE TABLE t_%d (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", num)
}

// DowngradeSQL is revision num's downgrade statement, without a
// terminator.
func DowngradeSQL(num int) string { return fmt.Sprintf("DROP TABLE t_%d", num) }

// FileName is NNNNNN_<id>.<ext>: name order is creation order.
func FileName(rev Revision, ext string) string {
	return fmt.Sprintf("%06d_%s.%s", rev.Num, rev.ID, ext)
}

// RetortConfig is the retort.toml of a generated retort project: SQLite,
// revisions in migrations/.
const RetortConfig = "script_location = \"migrations\"\nurl = \"sqlite:///bench.db\"\n"

// RetortSQL is the content of rev's retort SQL revision file.
func RetortSQL(rev Revision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- revision: %s\n", rev.ID)
	fmt.Fprintf(&b, "-- down_revision: %s\n", strings.Join(rev.Parents, ", "))
	b.WriteString("-- branch_labels:\n-- depends_on:\n")
	fmt.Fprintf(&b, "-- message: %s\n", rev.Message)
	fmt.Fprintf(&b, "-- create_date: %s UTC\n\n", CreateDate)
	fmt.Fprintf(&b, "-- +upgrade\n%s;\n\n", UpgradeSQL(rev.Num))
	fmt.Fprintf(&b, "-- +downgrade\n%s;\n", DowngradeSQL(rev.Num))
	return b.String()
}

// Heads returns the ids that are no revision's parent, in creation order.
func Heads(revs []Revision) []string {
	isParent := make(map[string]bool, len(revs))
	for _, r := range revs {
		for _, p := range r.Parents {
			isParent[p] = true
		}
	}
	var heads []string
	for _, r := range revs {
		if !isParent[r.ID] {
			heads = append(heads, r.ID)
		}
	}
	return heads
}
