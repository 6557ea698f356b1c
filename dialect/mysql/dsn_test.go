package mysql

import "testing"

func TestFastDSN(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"root@tcp(h:3306)/db", "root@tcp(h:3306)/db?interpolateParams=true"},
		{"root@tcp(h:3306)/db?parseTime=true", "root@tcp(h:3306)/db?parseTime=true&interpolateParams=true"},
		{"root@tcp(h:3306)/db?interpolateParams=false", "root@tcp(h:3306)/db?interpolateParams=false"},
		{"root@tcp(h:3306)/db?tls=true&charset=gbk", "root@tcp(h:3306)/db?tls=true&charset=gbk"},
		{"root@tcp(h:3306)/db?collation=utf8mb4_bin", "root@tcp(h:3306)/db?collation=utf8mb4_bin"},
		{"u:p?w@tcp(h:3306)/db", "u:p?w@tcp(h:3306)/db?interpolateParams=true"},
	} {
		if got := FastDSN(tc.in); got != tc.want {
			t.Errorf("FastDSN(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
