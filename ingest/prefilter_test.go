package ingest

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"testing"
)

func TestRequiredWords(t *testing.T) {
	tests := []struct {
		expr string
		want []string // nil: no prefilter possible
	}{
		{`#打卡|^打卡|#每日打卡`, []string{"#打卡", "打卡", "#每日打卡"}},
		{`#check-?in\b`, []string{"#check-in", "#checkin"}},
		{`【分享会】|sharing session`, []string{"【分享会】", "sharing session"}},
		{`\[poll\]`, []string{"[poll]"}},
		{`(?i)talent show`, []string{"talent show"}},
		{`\d+天打卡`, []string{"天打卡"}},
		{`(签到)+`, []string{"签到"}},
		{`(签到){2,}`, []string{"签到"}},
		{`(签到)?今天`, []string{"签到今天", "今天"}},
		{`\d+(早|晚)安打卡`, []string{"早安打卡", "晚安打卡"}},
		{`\w+`, nil},
		{`打卡|.+`, nil},
		{`[0-9]天`, []string{"0天", "1天", "2天", "3天", "4天", "5天", "6天", "7天", "8天", "9天"}},
		{`(签到)*`, nil},
		{`(?i)straße`, nil}, // ß folds beyond ASCII
	}
	for _, tt := range tests {
		got := requiredWords(mustSyntax(t, tt.expr))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: words %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestPrefilterNeverMissesAMatch(t *testing.T) {
	exprs := []string{
		`#打卡|^打卡|#每日打卡|#check-?in\b`,
		`【分享会】|#分享会|sharing session`,
		`【投票】|#投票|发起了投票|\[poll\]`,
		`(?i)talent show`,
	}
	p := newPrefilter(exprs)
	if p == nil {
		t.Fatal("no prefilter for patterns that all need a word")
	}
	texts := []struct {
		text string
		may  bool
	}{
		{"#打卡 第1天", true},
		{"今天也来打卡", true},
		{"大家好", false},
		{"", false},
		{"#CHECK-IN day 3", true},
		{"#Checkin", true},
		{"check in later", false},
		{"Our TALENT SHOW is Friday", true},
		{"talent  show", false},
		{"本周【分享会】报名", true},
		{"发起了投票：午饭吃什么", true},
		{"[Poll] lunch?", true},
		{"shar", false},
		{"xxsharing sessionxx", true},
		{"#打", false},
	}
	res := make([]*regexp.Regexp, len(exprs))
	for i, e := range exprs {
		res[i] = regexp.MustCompile(e)
	}
	for _, tt := range texts {
		if got := p.mayMatch(tt.text); got != tt.may {
			t.Errorf("mayMatch(%q) = %v, want %v", tt.text, got, tt.may)
		}
		for _, re := range res {
			if re.MatchString(tt.text) && !p.mayMatch(tt.text) {
				t.Errorf("%q matches %s but the prefilter says no", tt.text, re)
			}
		}
	}
	if newPrefilter([]string{`打卡`, `[a-z]{3}`}) != nil {
		t.Error("a pattern without a fixed word must turn the prefilter off")
	}
}

func FuzzPrefilter(f *testing.F) {
	for _, s := range []string{"#打卡", "#check-in", "Talent Show!", "【投票】", "hello"} {
		f.Add(s)
	}
	exprs := []string{`#打卡|^打卡|#check-?in\b`, `(?i)talent show`, `【投票】|\[poll\]`, `x(ab|cd)+y`}
	p := newPrefilter(exprs)
	f.Fuzz(func(t *testing.T, text string) {
		for _, e := range exprs {
			if regexp.MustCompile(e).MatchString(text) && !p.mayMatch(text) {
				t.Fatalf("%q matches %s but the prefilter says no", text, e)
			}
		}
	})
}

func mustSyntax(t *testing.T, expr string) *syntax.Regexp {
	t.Helper()
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return re.Simplify()
}
