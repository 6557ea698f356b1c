//go:build !race

package cli

// raceEnabled reports a -race build (see race_test.go).
const raceEnabled = false
