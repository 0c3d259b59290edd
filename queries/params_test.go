package queries

import (
	"slices"
	"testing"
)

func TestParams(t *testing.T) {
	cases := []struct {
		sql  string
		want []string
	}{
		{"SELECT $start, $end, $start", []string{"start", "end"}},
		{"SELECT '$notaparam' || $group -- $comment\n, $x1", []string{"group", "x1"}},
		{"SELECT 'it''s $no', $yes", []string{"yes"}},
		{"SELECT 1", nil},
		{"SELECT $", nil},
	}
	for _, c := range cases {
		if got := Params(c.sql); !slices.Equal(got, c.want) {
			t.Errorf("Params(%q) = %v, want %v", c.sql, got, c.want)
		}
	}
}
