// Package servertest checks package sqlast against real servers: its test
// runs the sqlast corpus on PostgreSQL, MariaDB/MySQL and SQLite and
// compares the servers' syntax errors with the recogniser's. It lives
// apart so that sqlast's own tests and fuzzing link no database driver.
package servertest
