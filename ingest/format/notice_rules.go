package format

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// The notice wordings of QQ and WeChat are data, one file per platform
// (locales/qq.json, locales/wechat.json), each group of wordings naming
// the export or exporter source it was read from. A wording is a template:
// literal text with {member}, {inviter}, {actor} and {any} where names go.
//
//go:embed locales/qq.json locales/wechat.json
var noticeRulesFS embed.FS

// Notice kinds a rule can have. Joins, leaves and removals become Events,
// recalls recall messages, owner/admin Roles; system notices are known
// words that change no membership (a renamed group) and stay system
// messages.
const (
	noticeJoin    = "join"
	noticeLeave   = "leave"
	noticeRemoved = "removed"
	noticeRecall  = "recall"
	noticeSystem  = "system"
	noticeOwner   = "owner"
	noticeAdmin   = "admin"
)

type noticeRulesFile struct {
	Platform string `json:"platform"`
	About    string `json:"about"`
	Groups   []struct {
		Lang    string `json:"lang"`
		Source  string `json:"source"`
		Notices []struct {
			Kind   string `json:"kind"`
			Source string `json:"source"`
			Text   string `json:"text"`
		} `json:"notices"`
	} `json:"groups"`
}

// noticeRules is one platform's table, most specific wording first.
type noticeRules struct {
	platform string
	rules    []noticeRule
	langs    map[string]bool
}

type noticeRule struct {
	kind, source string // source: the join channel
	lang, origin string // origin: where the wording was seen
	text         string
	re           *regexp.Regexp
	fields       []string // placeholder of each capture group
	lit          string   // the longest literal, a cheap test before the regexp
	litLen       int      // all literal bytes: the more, the more specific
}

// noticeMatch is what a rule read from a notice: raw name text, still to be
// turned into people by the platform's parser.
type noticeMatch struct {
	rule                   *noticeRule
	member, inviter, actor string
	hasMember, hasInviter  bool
	hasActor               bool
}

var placeholderRe = regexp.MustCompile(`\{(member|inviter|actor|any)\}`)

// loadNoticeRules reads an embedded table. The tables are part of the
// program, so a malformed one is a programming error (tests load both).
func loadNoticeRules(name string) *noticeRules {
	t, err := parseNoticeRules(name)
	if err != nil {
		panic(err)
	}
	return t
}

func parseNoticeRules(name string) (*noticeRules, error) {
	raw, err := noticeRulesFS.ReadFile("locales/" + name + ".json")
	if err != nil {
		return nil, err
	}
	var f noticeRulesFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("locales/%s.json: %w", name, err)
	}
	t := &noticeRules{platform: f.Platform, langs: map[string]bool{}}
	for gi, g := range f.Groups {
		if g.Lang == "" || strings.TrimSpace(g.Source) == "" {
			return nil, fmt.Errorf("locales/%s.json: group %d needs a lang and a source", name, gi+1)
		}
		t.langs[g.Lang] = true
		for _, n := range g.Notices {
			r, err := compileNoticeRule(n.Kind, n.Source, n.Text)
			if err != nil {
				return nil, fmt.Errorf("locales/%s.json: %q: %w", name, n.Text, err)
			}
			r.lang, r.origin = g.Lang, g.Source
			t.rules = append(t.rules, r)
		}
	}
	// The wording with the most literal text is the most specific: "X通过扫描
	// Y分享的二维码加入本群" must be tried before "X加入本群".
	sort.SliceStable(t.rules, func(i, j int) bool { return t.rules[i].litLen > t.rules[j].litLen })
	return t, nil
}

func compileNoticeRule(kind, source, text string) (noticeRule, error) {
	r := noticeRule{kind: kind, source: source, text: text}
	switch kind {
	case noticeJoin:
		if source == "" {
			r.source = SourceUnknown
			if strings.Contains(text, "{inviter}") {
				r.source = SourceReferral
			}
		} else if !Channels[source] {
			return r, fmt.Errorf("unknown join source %q", source)
		}
	case noticeLeave, noticeRemoved, noticeRecall, noticeSystem, noticeOwner, noticeAdmin:
		if source != "" {
			return r, fmt.Errorf("a %s notice has no source", kind)
		}
	default:
		return r, fmt.Errorf("unknown kind %q", kind)
	}
	var pat strings.Builder
	pat.WriteString("^")
	rest := text
	for {
		loc := placeholderRe.FindStringSubmatchIndex(rest)
		lit := rest
		if loc != nil {
			lit = rest[:loc[0]]
		}
		r.litLen += len(strings.ReplaceAll(lit, " ", ""))
		// Spaces are loose: exports put one, two or none around names.
		for i, word := range strings.Fields(lit) {
			if len(word) > len(r.lit) {
				r.lit = word
			}
			if i > 0 {
				pat.WriteString(`\s+`)
			}
			pat.WriteString(regexp.QuoteMeta(word))
		}
		if loc == nil {
			break
		}
		name := rest[loc[2]:loc[3]]
		if name != "any" && slices.Contains(r.fields, name) {
			return r, fmt.Errorf("{%s} twice", name)
		}
		r.fields = append(r.fields, name)
		if name == "any" {
			pat.WriteString(`\s*(.*?)\s*`)
		} else {
			pat.WriteString(`\s*(.+?)\s*`)
		}
		rest = rest[loc[1]:]
	}
	pat.WriteString("$")
	if r.litLen == 0 {
		return r, fmt.Errorf("a wording needs literal text")
	}
	if (kind == noticeJoin || kind == noticeLeave || kind == noticeRemoved || kind == noticeOwner || kind == noticeAdmin) && !slices.Contains(r.fields, "member") {
		return r, fmt.Errorf("a %s notice names its {member}", kind)
	}
	var err error
	r.re, err = regexp.Compile(pat.String())
	return r, err
}

// match finds the first rule whose wording is s. lang, when the table has
// that language, restricts the rules to it (a forced --lang); a language
// the table lacks leaves all rules in play, since one load may mix
// platforms.
func (t *noticeRules) match(s, lang string) (noticeMatch, bool) {
	restrict := lang != "" && t.langs[lang]
	for i := range t.rules {
		r := &t.rules[i]
		if restrict && r.lang != lang {
			continue
		}
		if r.lit != "" && !strings.Contains(s, r.lit) {
			continue
		}
		sub := r.re.FindStringSubmatch(s)
		if sub == nil {
			continue
		}
		m := noticeMatch{rule: r}
		for k, name := range r.fields {
			v := strings.TrimSpace(sub[k+1])
			switch name {
			case "member":
				m.member, m.hasMember = v, true
			case "inviter":
				m.inviter, m.hasInviter = v, true
			case "actor":
				m.actor, m.hasActor = v, true
			}
		}
		return m, true
	}
	return noticeMatch{}, false
}
