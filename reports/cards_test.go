package reports

import (
	"strings"
	"testing"
)

func TestChangeTone(t *testing.T) {
	tests := []struct {
		name     string
		value    *float64
		previous *float64
		goodWhen string
		want     string
	}{
		{"up, good when up", fp(11), fp(10), "up", toneGood},
		{"down, good when up", fp(9), fp(10), "up", toneBad},
		{"down, good when down", fp(9), fp(10), "down", toneGood},
		{"up, good when down", fp(11), fp(10), "down", toneBad},
		{"unchanged", fp(10), fp(10), "up", toneNeutral},
		{"no value", nil, fp(10), "up", toneNeutral},
		{"no previous", fp(10), nil, "up", toneNeutral},
		{"previous zero: an absolute change", fp(10), fp(0), "up", toneGood},
		{"no direction", fp(11), fp(10), "", toneNeutral},
		{"negative previous rising", fp(-5), fp(-10), "UP", toneGood},
	}
	for _, tt := range tests {
		c := Card{Value: tt.value, Previous: tt.previous, GoodWhen: tt.goodWhen}
		if got := changeTone(c); got != tt.want {
			t.Errorf("%s: tone %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestBuildCards(t *testing.T) {
	cards := buildCards([]Card{
		// Issue 12's participation: a rate changes in percentage points.
		{Title: "a", Format: Percent, Value: fp(0.376), Previous: fp(0.351), GoodWhen: "up"},
		// and conversion 2.7% -> 6.8% is +4.1 pp, never +152%.
		{Title: "a2", Format: Percent, Value: fp(0.068), Previous: fp(0.027), GoodWhen: "up"},
		{Title: "b", Format: Int, Value: fp(80), Previous: fp(100), GoodWhen: "down"},
		{Title: "c", Format: Int, Value: fp(1), Previous: fp(1)},
		{Title: "d", Format: Int},
		// A base under metrics.SmallBase: the difference, not +150%.
		{Title: "e", Format: Int, Value: fp(5), Previous: fp(2), GoodWhen: "up"},
		{Title: "f", Format: Minutes, Value: fp(3.5), Previous: fp(2), GoodWhen: "down"},
		{Title: "g", Format: Int, Value: fp(3), Previous: fp(0), GoodWhen: "up"},
		// A score changes in points.
		{Title: "h", Format: Score, Value: fp(70.7), Previous: fp(66.6), GoodWhen: "up"},
		{Title: "i", Format: Percent, Value: fp(0.2502), Previous: fp(0.25), GoodWhen: "up"},
	}, "en")
	want := []struct{ value, arrow, change, previous string }{
		{"37.6%", "▲", "2.5 pp", "35.1%"},
		{"6.8%", "▲", "4.1 pp", "2.7%"},
		{"80", "▼", "20.0%", "100"},
		{"1", "", "no change", "1"},
		{"–", "", "no comparison", "–"},
		{"5", "▲", "3", "2"},
		{"3.5 min", "▲", "1.5 min", "2.0 min"},
		{"3", "▲", "3", "0"},
		{"70.7", "▲", "4.1", "66.6"},
		{"25.0%", "", "no change", "25.0%"},
	}
	for i, w := range want {
		c := cards[i]
		if c.Value != w.value || c.Arrow != w.arrow || c.Change != w.change || c.Previous != w.previous {
			t.Errorf("card %d: %q %q %q %q, want %q %q %q %q", i, c.Value, c.Arrow, c.Change, c.Previous, w.value, w.arrow, w.change, w.previous)
		}
	}
}

func TestSparkline(t *testing.T) {
	if s := newSparkline(nil); s != nil {
		t.Error("a sparkline for no values")
	}
	if s := newSparkline([]*float64{nil, nil}); s != nil {
		t.Error("a sparkline for only gaps")
	}
	s := newSparkline([]*float64{fp(1), fp(3), nil, fp(2), fp(2)})
	if got := strings.Count(s.Line, "M"); got != 2 {
		t.Errorf("a gap should split the line in 2 segments, got %d: %s", got, s.Line)
	}
	if !s.HasDot || s.DotX != "129.0" {
		t.Errorf("latest value dot at %q (has %v), want x=129.0", s.DotX, s.HasDot)
	}
	if !strings.HasPrefix(s.Line, "M3.0 33.0L") { // lowest value at the bottom, first at the left
		t.Errorf("line starts %q", s.Line)
	}
	flat := newSparkline([]*float64{fp(5), fp(5), nil})
	if flat.HasDot || !strings.Contains(flat.Line, "18.0") {
		t.Errorf("flat line %q (dot %v): want it mid-height and no dot for a missing latest value", flat.Line, flat.HasDot)
	}
	lone := newSparkline([]*float64{fp(5)})
	if !strings.Contains(lone.Line, "l0.01 0") {
		t.Errorf("a lone point is not drawn: %q", lone.Line)
	}
}
