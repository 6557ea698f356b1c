package config

import "strings"

// Redact returns s, which may be a URL, a DSN or anything else, with the
// passwords in it replaced by "***":
//
//   - the password of the user information: postgres://user:***@host/db,
//     user:***@tcp(host)/db;
//   - the value of an option whose name holds "pass", "secret" or "token",
//     or is "pwd": ?password=***, password=*** in a key=value string.
//
// It never panics and works on text, not on a parsed URL, so that a
// malformed URL does not leak its password: the user information is taken
// to end at the last '@' (a password may hold an unencoded '@', '/', '?' or
// '#'), and in "scheme://user:x" without an '@' a "port" that is not a
// number is hidden. When in doubt it hides more than the password.
func Redact(s string) (out string) {
	defer func() {
		if recover() != nil {
			out = "***"
		}
	}()
	return redactOptions(redactUserinfo(s))
}

// redactUserinfo hides the password of the user information of s.
func redactUserinfo(s string) string {
	start := 0 // where the authority (or the whole DSN) starts
	lead := len(s) - len(strings.TrimLeft(s, " \t\r\n"))
	if scheme, _, ok := splitScheme(s[lead:]); ok {
		start = lead + len(scheme) + len("://")
		if baseScheme(scheme) == "sqlite" && strings.HasPrefix(s[start:], "/") {
			return s // sqlite:///path: no user information, only a path
		}
	}
	rest := s[start:]
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		if start == 0 {
			return s
		}
		return redactBadPort(s, start)
	}
	colon := strings.IndexByte(rest[:at], ':')
	if colon < 0 {
		return s // a user name and no password
	}
	return s[:start+colon+1] + "***" + s[start+at:]
}

// redactBadPort handles "scheme://user:password" without an '@': what
// follows a ':' of the authority that is not a port is taken for a
// password, and hidden with everything after it.
func redactBadPort(s string, start int) string {
	rest := s[start:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	auth := rest[:end]
	if hostsLookValid(auth) {
		return s
	}
	colon := strings.IndexByte(auth, ':')
	if colon < 0 {
		return s
	}
	return s[:start+colon+1] + "***"
}

// hostsLookValid reports whether auth is a comma-separated list of host,
// host:port, [v6] or [v6]:port with numeric ports.
func hostsLookValid(auth string) bool {
	for _, h := range strings.Split(auth, ",") {
		port := ""
		if strings.HasPrefix(h, "[") {
			end := strings.IndexByte(h, ']')
			if end < 0 {
				return false
			}
			after := h[end+1:]
			if after == "" {
				continue
			}
			if after[0] != ':' {
				return false
			}
			port = after[1:]
		} else if c := strings.IndexByte(h, ':'); c >= 0 {
			port = h[c+1:]
		}
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return false
			}
		}
	}
	return true
}

// redactOptions hides the values of secret options: name=value in a query
// string (after '?' or '&') or in a key=value DSN (after a blank, ';' or
// ','). A value runs to the next '&' or blank, or is quoted ('...', "...").
func redactOptions(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); i++ {
		if s[i] != '=' {
			continue
		}
		k := i
		for k > 0 && isOptionNameChar(s[k-1]) {
			k--
		}
		if k == i || !isSecretOption(s[k:i]) || (k > 0 && !strings.ContainsRune("?&;, \t\r\n", rune(s[k-1]))) {
			continue
		}
		end := optionValueEnd(s, i+1)
		if end == i+1 {
			continue // empty value
		}
		b.WriteString(s[done : i+1])
		b.WriteString("***")
		done = end
		i = end - 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// optionValueEnd returns where the option value starting at i ends.
func optionValueEnd(s string, i int) int {
	if i < len(s) && (s[i] == '\'' || s[i] == '"') {
		q := s[i]
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case q:
				return j + 1
			}
		}
		return len(s)
	}
	j := i
	for j < len(s) && !strings.ContainsRune("& \t\r\n", rune(s[j])) {
		j++
	}
	return j
}

func isOptionNameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

func isSecretOption(name string) bool {
	n := strings.ToLower(name)
	return n == "pwd" || strings.Contains(n, "pass") || strings.Contains(n, "secret") || strings.Contains(n, "token")
}
