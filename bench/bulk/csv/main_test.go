package main

import (
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{1, "1,name 0,2024-01-01 00:00:00,0.10\n"},
		{3, "1,name 0,2024-01-01 00:00:00,0.10\n2,name 1,2024-01-01 00:00:01,1.11\n3,name 2,2024-01-01 00:00:02,2.12\n"},
	} {
		var b strings.Builder
		if err := write(&b, tc.n); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("write(%d) = %q, want %q", tc.n, b.String(), tc.want)
		}
	}
}
