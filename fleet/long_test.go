//go:build long

package fleet_test

// fleetSizes under -tags long: the counts of issue 21 (200 SQLite files,
// 300 PostgreSQL schemas, 30 MariaDB databases).
var fleetSizes = map[string]int{"sqlite": 200, "postgres": 300, "mysql": 30}
