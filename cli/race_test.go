//go:build race

package cli

// raceEnabled reports a -race build, in which SQLite's Go code runs about
// fifty times slower: busy loops are shortened to keep their duration.
const raceEnabled = true
