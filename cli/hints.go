package cli

import (
	"errors"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/script"
)

// libraryHint is the advice for a typed error of the library, "" for
// others. The library's messages say what happened and where, and name
// no command: a library user has no CLI to run. The commands and flags
// that help are the CLI's to name, so they are named here, in one place,
// and printed on the hint line.
func libraryHint(err error) string {
	var (
		ck *retort.ChecksumError
		ur *retort.UnknownRevisionError
		vr *retort.VersionRowsError
		sc *retort.ScriptError
	)
	switch {
	case errors.As(err, &ck):
		return "restore them (a change to an applied revision never reaches this database), or pass --allow-changed"
	case errors.As(err, &ur):
		return "restore the file, or check the schema by hand and run `retort stamp --purge REV`"
	case errors.As(err, &vr):
		return "check it with `retort current`"
	case errors.Is(err, retort.ErrNoDowngrade) && errors.As(err, &sc):
		if sc.Err == retort.ErrNoDowngrade {
			return "add a -- +downgrade section (it may be empty), or stamp past it with `retort stamp`"
		}
		return "add a Downgrade function (it may record nothing), or stamp past it with `retort stamp`"
	case errors.Is(err, script.ErrChangedSinceLoad):
		return "the file was edited while retort ran: run the command again"
	case errors.Is(err, retort.ErrNotCompiled):
		return "run the project's migrations program (go run ./migrations ...), which the retort command does by itself"
	}
	return ""
}
