package script

import "github.com/retortdb/retort/revision"

// BuildGraph builds the revision graph of scripts: their ids, down
// revisions, branch labels and dependencies, with each file's path for the
// graph's errors. It needs no dialect and does no I/O; it returns the
// graph's error (*revision.GraphError, *revision.CycleError) when the
// scripts do not form a valid graph.
func BuildGraph(scripts []*Script) (*revision.Graph, error) {
	revs := make([]revision.Revision, len(scripts))
	for i, s := range scripts {
		revs[i] = revision.Revision{
			ID:           s.Revision,
			Down:         s.DownRevisions,
			BranchLabels: s.BranchLabels,
			DependsOn:    s.DependsOn,
			Replaces:     s.Replaces,
			Path:         s.Path,
		}
	}
	return revision.New(revs)
}
