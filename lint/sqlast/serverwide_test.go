package sqlast

import "testing"

func TestServerWide(t *testing.T) {
	for _, tc := range []struct {
		d         Dialect
		src, want string
	}{
		{PostgreSQL, "DROP DATABASE app WITH (FORCE);", "DROP DATABASE"},
		{PostgreSQL, "CREATE TABLE t (id int);\nCREATE ROLE reader;", "CREATE ROLE"},
		{PostgreSQL, "ALTER ROLE app PASSWORD 'x';", "ALTER ROLE"},
		{PostgreSQL, "ALTER SYSTEM SET work_mem = '64MB';", "ALTER SYSTEM"},
		{PostgreSQL, "CREATE TABLESPACE fast LOCATION '/ssd';", "CREATE TABLESPACE"},
		{PostgreSQL, "CREATE SCHEMA audit;\nGRANT SELECT ON t TO reader;", ""},
		{PostgreSQL, "-- DROP DATABASE app;\nSELECT 'DROP DATABASE app';", ""},
		{PostgreSQL, "ALTER TABLE role ADD COLUMN user text;", ""},
		{MySQL, "DROP SCHEMA app;", "DROP SCHEMA"},
		{MySQL, "CREATE USER 'r'@'%';", "CREATE USER"},
		{MySQL, "GRANT SELECT ON app.* TO 'r'@'%';", "GRANT"},
		{MySQL, "SET GLOBAL max_connections = 500;", "SET GLOBAL"},
		{MySQL, "SET SESSION lock_wait_timeout = 5;\nCREATE TABLE t (id int);", ""},
		{SQLite, "ATTACH DATABASE 'x.db' AS x;", "ATTACH"},
		{SQLite, "CREATE TABLE user (id integer);", ""},
	} {
		if got := ServerWide(tc.src, tc.d); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.d, tc.src, got, tc.want)
		}
	}
}
