// Package serverversion names the server a project's revisions run on
// (lint.server_version in retort.toml, or the live server's answer), for
// the lint rules that hold on some versions only. It is a leaf package so
// that the configuration can check the setting without importing lint.
package serverversion

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The server flavours a ServerVersion names. MySQL and MariaDB are both
// the mysql dialect; rules that differ between them read the flavour.
const (
	FlavourPostgreSQL = "postgresql"
	FlavourMySQL      = "mysql"
	FlavourMariaDB    = "mariadb"
	FlavourSQLite     = "sqlite"
)

// Version is the server a project's revisions run on: from
// retort.toml lint.server_version, or read from the live server when a
// database URL is configured (the live server wins: it is the truth).
// A part not given is -1 ("mysql 8.0": Patch -1); rules take an unknown
// part as the oldest it could be, so "mysql 8.0" is checked as 8.0.0.
type Version struct {
	Flavour             string
	Major, Minor, Patch int
}

func (v Version) String() string {
	s := fmt.Sprintf("%s %d", v.Flavour, v.Major)
	if v.Minor >= 0 {
		s += fmt.Sprintf(".%d", v.Minor)
		if v.Patch >= 0 {
			s += fmt.Sprintf(".%d", v.Patch)
		}
	}
	return s
}

// Dialect is the lint dialect the server runs: "postgres", "mysql" or
// "sqlite".
func (v Version) Dialect() string {
	switch v.Flavour {
	case FlavourPostgreSQL:
		return "postgres"
	case FlavourMySQL, FlavourMariaDB:
		return "mysql"
	}
	return "sqlite"
}

// Before reports whether the server is older than major.minor.patch; an
// unknown part counts as 0.
func (v Version) Before(major, minor, patch int) bool {
	a := [3]int{v.Major, max(v.Minor, 0), max(v.Patch, 0)}
	b := [3]int{major, minor, patch}
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

var configVersion = regexp.MustCompile(`^(postgresql|postgres|mysql|mariadb|sqlite)\s+([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?$`)

// Parse reads lint.server_version of retort.toml:
// "postgresql 15", "mysql 8.0", "mariadb 10.11", "sqlite 3.40" (a patch
// level may follow: "mysql 8.0.36").
func Parse(s string) (Version, error) {
	m := configVersion.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return Version{}, fmt.Errorf("server version %q: write the server and its version, as \"postgresql 15\", \"mysql 8.0\", \"mariadb 10.11\" or \"sqlite 3.40\"", s)
	}
	fl := m[1]
	if fl == "postgres" {
		fl = FlavourPostgreSQL
	}
	return Version{Flavour: fl, Major: atoiOr(m[2]), Minor: atoiOr(m[3]), Patch: atoiOr(m[4])}, nil
}

func atoiOr(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

var liveNumbers = regexp.MustCompile(`([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?`)

// Live reads what the server of dialect d answers to
// SELECT version() (PostgreSQL: "PostgreSQL 15.4 (Debian ...) on ..."),
// SELECT VERSION() (MySQL "8.0.36", MariaDB "10.11.6-MariaDB-0+deb12u1")
// or SELECT sqlite_version() ("3.40.1").
func Live(d, answer string) (Version, error) {
	v := Version{}
	switch d {
	case "postgres":
		v.Flavour = FlavourPostgreSQL
	case "mysql":
		v.Flavour = FlavourMySQL
		if strings.Contains(strings.ToLower(answer), "mariadb") {
			v.Flavour = FlavourMariaDB
		}
	case "sqlite":
		v.Flavour = FlavourSQLite
	default:
		return v, fmt.Errorf("server version of dialect %q: no such dialect", d)
	}
	m := liveNumbers.FindStringSubmatch(answer)
	if m == nil {
		return v, fmt.Errorf("server version %q of the %s server: no version number in it", answer, d)
	}
	v.Major, v.Minor, v.Patch = atoiOr(m[1]), atoiOr(m[2]), atoiOr(m[3])
	return v, nil
}
