package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Limit is a dialect's maximum identifier length. The zero Limit means no
// limit (SQLite).
type Limit struct {
	// Max is the maximum length; 0 means unlimited.
	Max int
	// Runes counts characters (MySQL); otherwise bytes (PostgreSQL's
	// NAMEDATALEN counts bytes).
	Runes bool
}

// PostgresLimit is PostgreSQL's limit: 63 bytes.
func PostgresLimit() Limit { return Limit{Max: 63} }

// MySQLLimit is MySQL's and MariaDB's limit: 64 characters.
func MySQLLimit() Limit { return Limit{Max: 64, Runes: true} }

// NoLimit is SQLite's limit: none.
func NoLimit() Limit { return Limit{} }

// hashLen is the number of hex digits of the truncation suffix.
const hashLen = 8

// ErrIdentTooLong is matched (errors.Is) by every *IdentTooLongError.
var ErrIdentTooLong = errors.New("identifier too long")

// IdentTooLongError reports an explicit (user-given) identifier longer
// than the dialect allows. retort never truncates a name the user chose.
type IdentTooLongError struct {
	Kind string // "table", "column", "pk", "uq", "fk", "ck", "ix"
	Name string
	Len  int
	Max  int
}

func (e *IdentTooLongError) Error() string {
	return fmt.Sprintf("%s name %q is %d long, more than the limit of %d: choose a shorter name", e.Kind, e.Name, e.Len, e.Max)
}

// Is makes errors.Is(err, ErrIdentTooLong) true.
func (e *IdentTooLongError) Is(target error) bool { return target == ErrIdentTooLong }

// Len returns the length of name as the limit counts it.
func (l Limit) Len(name string) int {
	if l.Runes {
		return utf8.RuneCountInString(name)
	}
	return len(name)
}

// Check returns an *IdentTooLongError when name is longer than the limit.
func (l Limit) Check(kind, name string) error {
	if n := l.Len(name); l.Max > 0 && n > l.Max {
		return &IdentTooLongError{Kind: kind, Name: name, Len: n, Max: l.Max}
	}
	return nil
}

// Fit returns name fitted to the limit. A name within the limit is
// returned unchanged. A generated name that is too long is truncated
// deterministically: its longest prefix (cut on a character boundary)
// that leaves room for "_" and the first 8 hex digits of the SHA-256 of
// the full name, followed by them; so "ix_<long table>_<long column>"
// keeps its readable start, stays unique, and comes out the same on
// every run and machine. An explicit name that is too long is an
// *IdentTooLongError naming it.
func (l Limit) Fit(kind, name string, generated bool) (string, error) {
	if l.Max <= 0 || l.Len(name) <= l.Max {
		return name, nil
	}
	if !generated {
		return "", l.Check(kind, name)
	}
	sum := sha256.Sum256([]byte(name))
	suffix := hex.EncodeToString(sum[:])[:hashLen]
	keep := l.Max - hashLen - 1
	if keep <= 0 {
		return suffix[:min(hashLen, l.Max)], nil
	}
	var prefix []byte
	n := 0
	for _, r := range name {
		w := 1
		if !l.Runes {
			w = utf8.RuneLen(r)
		}
		if n+w > keep {
			break
		}
		prefix = utf8.AppendRune(prefix, r)
		n += w
	}
	return string(prefix) + "_" + suffix, nil
}
