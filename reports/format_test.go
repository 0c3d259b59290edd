package reports

import (
	"math"
	"testing"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		f    Format
		v    *float64
		lang string
		want string
	}{
		{Int, fp(1234), "en", "1,234"},
		{Int, fp(1234567.6), "en", "1,234,568"},
		{Int, fp(-1234), "en", "-1,234"},
		{Int, fp(-0.4), "en", "0"},
		{Int, fp(999), "en", "999"},
		{Float, fp(1234.56), "en", "1,234.6"},
		{Float, fp(-0.04), "en", "0.0"},
		{Percent, fp(0.125), "en", "12.5%"},
		{Percent, fp(1.5), "en", "150.0%"},
		{Percent, fp(-0.0001), "en", "0.0%"},
		{Money, fp(1234), "en", "1,234.00"},
		{Money, fp(1234567.891), "en", "1,234,567.89"},
		{Hours, fp(1.5), "en", "1.5 h"},
		{Hours, fp(1.5), "zh", "1.5 小时"},
		{Text, fp(3.25), "en", "3.25"},
		{Int, nil, "en", "–"},
		{Percent, fp(math.NaN()), "en", "–"},
		{Money, fp(math.Inf(1)), "en", "–"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.f, tt.v, tt.lang); got != tt.want {
			v := "nil"
			if tt.v != nil {
				v = formatFloatForTest(*tt.v)
			}
			t.Errorf("FormatValue(%s, %s, %s) = %q, want %q", tt.f, v, tt.lang, got, tt.want)
		}
	}
}

func formatFloatForTest(f float64) string { return FormatValue(Text, &f, "en") }

func TestGroupThousands(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "100": "100", "1000": "1,000", "123456": "123,456", "1234567.25": "1,234,567.25",
		"-1000": "-1,000", "-0": "0", "-0.00": "0.00", "12": "12",
	} {
		if got := groupThousands(in); got != want {
			t.Errorf("groupThousands(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatCell(t *testing.T) {
	var nilF *float64
	tests := []struct {
		v    any
		f    Format
		text string
		sort string
	}{
		{int64(1234), Int, "1,234", "1234"},
		{int64(7), "", "7", "7"},
		{0.5, Percent, "50.0%", "0.5"},
		{2.26, Text, "2.3", "2.26"},
		{"hello", Text, "hello", "hello"},
		{nil, Int, "–", ""},
		{nilF, Percent, "–", ""},
		{true, Text, "true", "true"},
	}
	for _, tt := range tests {
		got := formatCell(tt.v, tt.f, "en")
		if got.Text != tt.text || got.Sort != tt.sort {
			t.Errorf("formatCell(%#v, %q) = %q/%q, want %q/%q", tt.v, tt.f, got.Text, got.Sort, tt.text, tt.sort)
		}
	}
}
