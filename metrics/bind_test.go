package metrics

import (
	"database/sql"
	"testing"
	"time"
)

func TestZoneName(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 11, 16, 0, 0, 0, 0, sh), "Asia/Shanghai"},
		{time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), "UTC"},
		{time.Date(2026, 11, 16, 0, 0, 0, 0, time.FixedZone("Local", 8*3600)), "Etc/GMT-8"},
		{time.Date(2026, 11, 16, 0, 0, 0, 0, time.FixedZone("Local", -5*3600)), "Etc/GMT+5"},
		{time.Date(2026, 11, 16, 0, 0, 0, 0, time.FixedZone("Local", 5*3600+1800)), "UTC"},
	} {
		if got := ZoneName(tt.t); got != tt.want {
			t.Errorf("ZoneName(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

// TestArgs: the binder binds what a statement uses, in order of first use,
// and refuses a parameter it does not know.
func TestArgs(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	p, _ := ParseWeek("2026-W47", sh)
	g := "星河"
	args, err := Args("SELECT $tz, $end -- $nope\n, '$quoted', $start, $group, $end", Params{Period: p, Group: &g})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range args {
		names = append(names, a.(sql.NamedArg).Name)
	}
	if got := names; len(got) != 4 || got[0] != "tz" || got[1] != "end" || got[2] != "start" || got[3] != "group" {
		t.Errorf("bound %v", got)
	}
	if _, err := Args("SELECT $city", Params{Period: p}); err == nil {
		t.Error("$city bound")
	}
}
