//go:build !long

package cli

// longTests: see long_test.go.
const longTests = false
