package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/retortdb/retort"
)

// retortModule is retort's module path.
const retortModule = "github.com/retortdb/retort"

// commit is the commit a release binary was built from, set by the
// linker (scripts/release.sh: -X github.com/retortdb/retort/cli.commit=...)
// and never assigned at run time. Other builds take vcs.revision from
// their build information.
var commit string

// buildVersion is what --version prints. The version has one source,
// retort.Version, the value that the history table records too (release
// builds set it with -X github.com/retortdb/retort.Version=...).
type buildVersion struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// currentVersion describes this binary.
func currentVersion() buildVersion {
	bi, _ := debug.ReadBuildInfo()
	return describeBuild(retort.Version, commit, bi)
}

// describeBuild is the version, commit and Go version of a build from
// its version, stamped commit (may be empty) and build information (may
// be nil). The commit is the stamped one, else the vcs.revision that the
// go tool records when it builds retort's own module from a checkout
// (with "+dirty" when it had uncommitted changes), else "unknown": a
// migrations program's vcs.revision is its project's, not retort's.
func describeBuild(version, stamped string, bi *debug.BuildInfo) buildVersion {
	v := buildVersion{Version: version, Commit: stamped, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil && bi.GoVersion != "" {
		v.GoVersion = bi.GoVersion
	}
	if v.Commit == "" && bi != nil && bi.Main.Path == retortModule {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" && modified == "true" {
			rev += "+dirty"
		}
		v.Commit = rev
	}
	if v.Commit == "" {
		v.Commit = "unknown"
	}
	return v
}

// String is the --version line: `retort VERSION (commit C, GOVERSION OS/ARCH)`.
func (v buildVersion) String() string {
	return fmt.Sprintf("retort %s (commit %s, %s %s)", v.Version, v.Commit, v.GoVersion, v.Platform)
}

// printVersion writes the --version output, as JSON with --json.
func printVersion(w io.Writer, asJSON bool) error {
	v := currentVersion()
	if asJSON {
		return writeJSON(w, v)
	}
	_, err := fmt.Fprintln(w, v)
	return err
}

// publishedVersion returns the version of the retort module that this
// binary was built from when the go tool can download it (`go get
// github.com/retortdb/retort@VERSION`), or "" for a development build:
//   - a build of retort's module at a module version (`go install
//     github.com/retortdb/retort/cmd/retort@v1.2.3`, or go build at a
//     tagged commit) reports it in its build information;
//   - a migrations program that requires retort reports retort's version
//     among its dependencies, unless go.mod replaces it with a folder;
//   - a release build (scripts/release.sh) stamps retort.Version, which
//     then starts with "v"; the version in the source does not.
//
// A build from a checkout without a tag has Main.Version "(devel)", or
// a version with "+dirty" when it has uncommitted changes: neither can
// be downloaded.
func publishedVersion(version string, bi *debug.BuildInfo) string {
	usable := func(v string) bool {
		return strings.HasPrefix(v, "v") && !strings.Contains(v, "+dirty")
	}
	if bi != nil {
		if bi.Main.Path == retortModule && usable(bi.Main.Version) {
			return bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == retortModule && d.Replace == nil && usable(d.Version) {
				return d.Version
			}
		}
	}
	if usable(version) {
		return version
	}
	return ""
}
