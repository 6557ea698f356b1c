// Package versions holds this project's revisions: SQL files, and Go
// files that register their revision with Registry.
package versions

import "github.com/retortdb/retort/script"

// Registry holds the Go revisions of this package; the migrations
// program passes it to the CLI.
var Registry script.Registry
