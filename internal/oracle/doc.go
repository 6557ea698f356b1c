// Package oracle holds the Alembic conformance suite: the revision graphs
// and commands of testdata/cases.json, Alembic 1.8.1's answers to them in
// testdata/expected.json, and a test (oracle_test.go) that runs every case
// through the real retort binary and compares.
//
// Run it with
//
//	go test ./internal/oracle/ -run TestOracle
//
// Deliberate departures from Alembic (its bugs, and duplicate revision ids)
// are listed, each with a reason, in testdata/differences.json. See
// testdata/README.md for the format of the data.
package oracle
