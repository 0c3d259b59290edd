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
		want uint64 // bit i: exprs[i] may match
	}{
		{"#打卡 第1天", 1},
		{"今天也来打卡", 1},
		{"大家好", 0},
		{"", 0},
		{"#CHECK-IN day 3", 1},
		{"#Checkin", 1},
		{"check in later", 0},
		{"Our TALENT SHOW is Friday", 8},
		{"talent  show", 0},
		{"本周【分享会】报名", 2},
		{"发起了投票：午饭吃什么", 4},
		{"[Poll] lunch?", 4},
		{"shar", 0},
		{"xxsharing sessionxx", 2},
		{"#打", 0},
		{"#打卡 then the talent show, #投票 after", 1 | 8 | 4},
	}
	res := make([]*regexp.Regexp, len(exprs))
	for i, e := range exprs {
		res[i] = regexp.MustCompile(e)
	}
	for _, tt := range texts {
		got := p.candidates(tt.text)
		if got != tt.want {
			t.Errorf("candidates(%q) = %b, want %b", tt.text, got, tt.want)
		}
		for i, re := range res {
			if re.MatchString(tt.text) && got&(1<<i) == 0 {
				t.Errorf("%q matches %s but the prefilter says no", tt.text, re)
			}
		}
	}
	// A one-byte word turns off the check of byte pairs.
	if one := newPrefilter([]string{`#`, `打卡`}); one.candidates("a#") != 1 || one.candidates("打卡") != 2 || one.candidates("打") != 0 {
		t.Errorf("one-byte word: candidates %b %b %b", one.candidates("a#"), one.candidates("打卡"), one.candidates("打"))
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
		got := p.candidates(text)
		for i, e := range exprs {
			if regexp.MustCompile(e).MatchString(text) && got&(1<<i) == 0 {
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

func BenchmarkPrefilter(b *testing.B) {
	p := newPrefilter([]string{`#打卡|^打卡|#每日打卡|#check-?in\b`, `【分享会】|#分享会|sharing session`,
		`【投票】|#投票|发起了投票|\[poll\]`, `【才艺秀】|才艺展示|talent show`, `【讨论】|#讨论|#话题|group discussion`, `【活动】|#活动|\[event\]`})
	texts := []string{"今天的直播什么时候开始？有回放吗", "收到，谢谢群主分享", "Does the new release support the old config format?", "#打卡 第3天"}
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, t := range texts {
			p.candidates(t)
		}
	}
}
