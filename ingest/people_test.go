package ingest

import (
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest/format"
)

func TestPeopleKeepEarliestNameSighting(t *testing.T) {
	at := func(min int) time.Time { return time.Date(2026, 11, 2, 9, min, 0, 0, time.UTC) }
	type sighting struct {
		group, file int64
		name        string
		min         int
	}
	tests := []struct {
		name      string
		sightings []sighting
		want      map[string]int // name in group 1 -> minute first seen
	}{
		{"in order", []sighting{{1, 1, "Ann", 1}, {1, 1, "Ann", 5}}, map[string]int{"Ann": 1}},
		// Files parsed side by side: the second file's batch of the same
		// name arrives after the first's, but is earlier.
		{"interleaved files", []sighting{{1, 1, "Ann", 5}, {1, 2, "Ann", 3}, {1, 1, "Ann", 6}}, map[string]int{"Ann": 3}},
		{"renamed and back", []sighting{{1, 1, "Ann", 5}, {1, 1, "Annie", 6}, {1, 2, "Ann", 2}}, map[string]int{"Ann": 2, "Annie": 6}},
		{"other group", []sighting{{2, 1, "Ann", 1}, {1, 1, "Ann", 4}}, map[string]int{"Ann": 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := newPeople()
			var id int64
			for _, s := range tt.sightings {
				id = ps.see("qq", format.Person{UID: "10", Name: s.name}, s.group, s.file, at(s.min)).id
			}
			got := map[string]int{}
			for k, n := range ps.names {
				if k.member == id && k.group == 1 {
					got[k.name] = n.first.Minute()
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("names in group 1 = %v, want %v", got, tt.want)
			}
			for name, min := range tt.want {
				if got[name] != min {
					t.Errorf("%s first seen at minute %d, want %d", name, got[name], min)
				}
			}
		})
	}
}
