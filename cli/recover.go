package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/config"
)

// dirtyHint adds to an error that reports a dirty step (the run that left
// it, or one that refuses to move because of it) the commands that
// resolve it, naming the project and the database as this invocation was
// given them, so that they work as printed.
func (e *session) dirtyHint(err error) error {
	var d *retort.DirtyError
	if err == nil || !errors.As(err, &d) {
		return err
	}
	self, note := e.selfCommand()
	hint := fmt.Sprintf("check the database by hand, then record what you found:\n"+
		"  %[1]s resolve %[2]s --applied      if the step's changes are all there (finish them first)\n"+
		"  %[1]s resolve %[2]s --rolled-back  if you undid them",
		self, shellQuote(d.Revision))
	if note != "" {
		hint += "\n" + note
	}
	return &hinted{err: err, hint: hint}
}

// selfCommand is the retort command line that acts on the same project
// and database as this invocation: its -C, -c and --url as given. A --url
// whose text holds a password (or another secret, as config.Redact finds
// them) is left out, and note says to supply it through RETORT_URL.
func (e *session) selfCommand() (cmd, note string) {
	parts := []string{"retort"}
	if e.dir != "" {
		parts = append(parts, "-C", shellQuote(e.dir))
	}
	if e.cfgFile != "" {
		parts = append(parts, "-c", shellQuote(e.cfgFile))
	}
	if e.urlFlag != "" {
		if red := config.Redact(e.urlFlag); red == e.urlFlag {
			parts = append(parts, "--url", shellQuote(e.urlFlag))
		} else {
			note = fmt.Sprintf("(the --url is left out, since it holds a password: set RETORT_URL to it first, %s with the password in place of ***)", red)
		}
	}
	return strings.Join(parts, " "), note
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and _ . / : @ % + = , -.
func shellQuote(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./:@%+=,-", r)) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
