package ingest

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest/format"
)

func TestActivityDetector(t *testing.T) {
	compile := func(specs ...[3]string) []activityPattern {
		var out []activityPattern
		for _, s := range specs {
			out = append(out, activityPattern{typ: s[0], src: s[1], re: regexp.MustCompile(s[1]), once: s[2] == "once"})
		}
		return out
	}
	many := make([][3]string, 70) // more than the prefilter takes: every message is tried
	for i := range many {
		many[i] = [3]string{"other", fmt.Sprintf("#topic%d\\b", i), ""}
	}
	many[69] = [3]string{"vote", `【投票】`, ""}
	day := time.Date(2026, 11, 17, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		patterns []activityPattern
		texts    []string
		want     []string // type@minute of each activity found
	}{
		{"once a day keeps the earliest", compile([3]string{"checkin", `#打卡`, "once"}),
			[]string{"#打卡 2", "#打卡 1", "打卡?"}, []string{"checkin@1"}},
		{"each message its own", compile([3]string{"vote", `【投票】|\[poll\]`, ""}),
			[]string{"【投票】a", "[poll] b", "poll"}, []string{"vote@0", "vote@1"}},
		{"a pattern without a word", compile([3]string{"other", `^[a-z]{3}$`, ""}),
			[]string{"abc", "abcd"}, []string{"other@0"}},
		{"one message is one activity, of the first pattern", compile([3]string{"vote", `【投票】`, ""}, [3]string{"event", `【活动】`, ""}),
			[]string{"【活动】【投票】"}, []string{"vote@0"}},
		{"seventy patterns", compile(many...), []string{"#topic5 x", "#topic50", "#topic500", "【投票】"},
			[]string{"other@0", "other@1", "vote@3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newActivityDetector(tt.patterns, time.UTC)
			for i, text := range tt.texts {
				// Later lines carry earlier times: the earliest must win.
				m := &format.Message{Text: text, Time: day.Add(time.Duration(len(tt.texts)-i) * time.Minute), Line: int64(i + 1)}
				d.see(int64(100+i), 7, 1, m)
			}
			var got []string
			for _, a := range d.found {
				got = append(got, fmt.Sprintf("%s@%d", a.typ, int(a.line)-1))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("found %v, want %v", got, tt.want)
			}
		})
	}
}
