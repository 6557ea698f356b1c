//go:build long

package cli

// longTests is set by `go test -tags long`: the process tests run their
// full number of trials (TestConcurrentUpgrade: 20 on each dialect).
// Without the tag CI runs a fixed subset that keeps the package within
// a few minutes under -race.
const longTests = true
