//go:build !long

package fleet_test

// fleetSizes are the tenants of TestRun_Dialects per dialect: a small
// seeded fleet in CI; `go test -tags long` runs the full counts
// (long_test.go).
var fleetSizes = map[string]int{"sqlite": 20, "postgres": 30, "mysql": 5}
