package textdist

import "testing"

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"head", "head", 0},
		{"hed", "head", 1},
		{"haed", "head", 1}, // a swap is one edit
		{"down_revison", "down_revision", 1},
		{"upgrade", "downgrade", 4},
		{"kitten", "sitting", 3},
		{"ab", "ba", 1},
		{"abc", "ca", 3},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}
