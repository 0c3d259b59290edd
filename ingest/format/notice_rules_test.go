package format

import (
	"strings"
	"testing"
)

func TestNoticeRulesTables(t *testing.T) {
	// The table kinds are used as Event and Role kinds as they are.
	if noticeJoin != EventJoin || noticeLeave != EventLeave || noticeRemoved != EventRemoved ||
		noticeOwner != RoleOwner || noticeAdmin != RoleAdmin || noticeRecall != KindRecall {
		t.Fatal("notice kinds drifted from Event/Role kinds")
	}
	for _, name := range []string{"qq", "wechat"} {
		rules, err := parseNoticeRules(name)
		if err != nil {
			t.Fatal(err)
		}
		if rules.platform != name || len(rules.rules) == 0 {
			t.Errorf("%s: platform %q, %d rules", name, rules.platform, len(rules.rules))
		}
		for i, r := range rules.rules {
			if r.origin == "" || r.lang == "" {
				t.Errorf("%s: %q has no source or language", name, r.text)
			}
			// Every wording reads itself, placeholders filled with names.
			s := strings.NewReplacer("{member}", `"甲"`, "{inviter}", `"乙"`, "{actor}", `"丙"`, "{any}", "丁").Replace(r.text)
			if name == "qq" {
				s = strings.NewReplacer(`"甲"`, "甲(1)", `"乙"`, "乙(2)", `"丙"`, "丙(3)").Replace(s)
			}
			m, ok := rules.match(s, "")
			if !ok || m.rule != &rules.rules[i] {
				t.Errorf("%s: %q read by %+v, want its own rule %q", name, s, m.rule, r.text)
			}
		}
	}
}

func TestCompileNoticeRule(t *testing.T) {
	bad := []struct{ kind, source, text, err string }{
		{"join", "", "{member}{member}加入", "twice"},
		{"join", "", "加入本群", "names its {member}"},
		{"party", "", "{member}来了", "unknown kind"},
		{"leave", "qr", "{member}走了", "has no source"},
		{"join", "carrier pigeon", "{member}来了", "unknown join source"},
		{"system", "", "{any}", "literal text"},
	}
	for _, c := range bad {
		if _, err := compileNoticeRule(c.kind, c.source, c.text); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s %q: err = %v, want %q", c.kind, c.text, err, c.err)
		}
	}
	r, err := compileNoticeRule("join", "", "{inviter}邀请{member}加入本群")
	if err != nil || r.source != SourceReferral {
		t.Errorf("an inviter makes a referral: %+v %v", r, err)
	}
	// Spaces are loose around names and between words.
	m := noticeRules{rules: []noticeRule{mustRule(t, "recall", "{member} recalled  a message")}}
	if n, ok := m.match(`"A"   recalled a message`, ""); !ok || n.member != `"A"` {
		t.Errorf("loose spaces: %+v %v", n, ok)
	}
}

func mustRule(t *testing.T, kind, text string) noticeRule {
	t.Helper()
	r, err := compileNoticeRule(kind, "", text)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
