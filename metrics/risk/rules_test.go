package risk

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestDefaultRulesParse(t *testing.T) {
	r := Default()
	if r.Ladder.Scope != "member" || r.Ladder.Cooldown.Seconds() != 3600 || strings.Join(r.Ladder.Steps, ",") != "warning,public_notice_mute,removal" {
		t.Errorf("ladder = %+v", r.Ladder)
	}
	kindsSeen := map[string]bool{}
	for _, rule := range r.Rules {
		kindsSeen[rule.Kind] = true
		if rule.Line == 0 {
			t.Errorf("rule %s has no line", rule.Name)
		}
		if rule.Description == "" {
			t.Errorf("rule %s has no description", rule.Name)
		}
	}
	for _, k := range kinds {
		if !kindsSeen[k] {
			t.Errorf("the default rules have no %s rule", k)
		}
	}
	if !r.Blacklist.AutoEnabled() || r.Points.Initial != 10 || r.Elimination.SilentDays != 30 {
		t.Errorf("blacklist/points/elimination = %+v %+v %+v", r.Blacklist, r.Points, r.Elimination)
	}
}

func TestRulesErrorsNameFileAndLine(t *testing.T) {
	head := "version: 1\nrules:\n"
	cases := []struct {
		yaml, want string
	}{
		{"", "rules.yaml: empty rules file"},
		{"version: 2\n", "version 2"},
		{"version: 1\nladdr: {}\n", "line 2: field laddr not found"},
		{"version: 1\nladder: {scope: team}\n", `ladder.scope "team"`},
		{"version: 1\nladder: {steps: [warning, ban]}\n", `unknown step "ban"`},
		{"version: 1\nladder: {cooldown: soon}\n", `duration "soon"`},
		{head + "  - {name: Abuse, kind: keywords, category: abuse, words: [x]}\n", `rules.yaml:3: rule "Abuse": name "Abuse": want lower-case`},
		{head + "  - {name: a, kind: keywords, category: abuse, words: [x]}\n  - {name: a, kind: keywords, category: abuse, words: [y]}\n", `rules.yaml:4: rule "a": name used twice (first at line 3)`},
		{head + "  - {name: a, kind: magic}\n", `rule "a": kind "magic"`},
		{head + "  - {name: a, kind: keywords, words: [x]}\n", `rule "a": category: a keywords rule needs one of abuse, advertising`},
		{head + "  - {name: a, kind: keywords, category: spam, words: [x]}\n", `category "spam"`},
		{head + "  - {name: a, kind: keywords, category: abuse, severity: extreme, words: [x]}\n", `severity "extreme"`},
		{head + "  - {name: a, kind: keywords, category: abuse}\n", "needs words or regex"},
		{head + "  - {name: a, kind: keywords, category: abuse, regex: ['(unclosed']}\n", "missing closing )"},
		{head + "  - {name: a, kind: keywords, category: abuse, regex: ['x*']}\n", "matches an empty text"},
		{head + "  - {name: a, kind: keywords, category: abuse, wrods: [x]}\n", "field wrods not found"},
		{head + "  - {name: a, kind: flood, count: 1, within: 60s}\n", "count 1"},
		{head + "  - {name: a, kind: repeat, count: 3}\n", "within: give"},
		{head + "  - {name: a, kind: media_size}\n", "max_mb"},
		{head + "  - {name: a, kind: links, allow_domains: ['not a domain']}\n", `"not a domain" is not a domain`},
		{head + "  - {name: a, kind: keywords, category: abuse, words: [x], allow_domains: [example.com]}\n", "allow_domains is for links and churn"},
		{head + "  - {name: a, kind: nickname_format}\n", "pattern: give"},
		{head + "  - {name: a, kind: churn}\n", "within: give"},
		{head + "  - {name: a, kind: keywords, category: abuse, words: [x], strikes: -1}\n", "strikes -1"},
		{"version: 1\npoints: {checkin: {points: 1, pattern: '['}}\n", "points.checkin"},
		{"version: 1\npoints: {answer: {points: 1}}\n", "points.answer.within"},
	}
	for _, c := range cases {
		_, err := Parse("rules.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n err = %v\nwant %q", c.yaml, err, c.want)
		}
	}
}

func TestMatchPatternWords(t *testing.T) {
	r := Rule{Words: []string{"ass", "傻逼", "shut up", "c++"}, Regex: []string{`\d{3}`}}
	re := regexp.MustCompile(r.MatchPattern())
	for text, want := range map[string]string{
		"you ASS":          "ASS",
		"a class act":      "",
		"你傻逼吧":             "傻逼",
		"please Shut Up":   "Shut Up",
		"shut upper":       "",
		"I like c++ a lot": "c++",
		"call 911":         "911",
	} {
		if got := re.FindString(text); got != want {
			t.Errorf("%q: match %q, want %q", text, got, want)
		}
	}
}

func TestAllowPatterns(t *testing.T) {
	r := Rule{AllowDomains: []string{"example.com", "github.com"}}
	allow := regexp.MustCompile(r.AllowPattern())
	for host, want := range map[string]bool{
		"example.com": true, "help.example.com": true, "EXAMPLE.COM": true,
		"spam.example.net": false, "notexample.com": false, "example.com.evil.cn": false, "github.com": true,
	} {
		if got := allow.MatchString(host); got != want {
			t.Errorf("allow %q = %v, want %v", host, got, want)
		}
	}
	strip := regexp.MustCompile(r.AllowedLinksPattern())
	if got := strip.ReplaceAllString("see https://help.example.com/manual and https://spam.example.net/x", ""); got != "see and https://spam.example.net/x" {
		t.Errorf("stripped = %q", got)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90s": 90 * time.Second, "10m": 10 * time.Minute, "1h": time.Hour, "1d": 24 * time.Hour, "2w": 14 * 24 * time.Hour, "1.5d": 36 * time.Hour,
	} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("%s = %v, %v", in, got, err)
		}
	}
	if _, err := ParseDuration("soon"); err == nil {
		t.Error("soon parsed")
	}
}

func TestBlacklistKeys(t *testing.T) {
	for in, want := range map[string]string{
		"qq:123456":           "uid qq 123456",
		"QQ:123":              "uid qq 123",
		"wechat:wxid_ab:c":    "uid wechat wxid_ab:c",
		"customer_key:ab12":   "customer_key  ab12",
		"phone:9f86d081884c7": "customer_key  9f86d081884c7",
	} {
		k, p, key, err := ParseKey(in)
		if got := k + " " + p + " " + key; err != nil || got != want {
			t.Errorf("%q = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"123456", "qq:", "q q:1", ":1"} {
		if _, _, _, err := ParseKey(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
