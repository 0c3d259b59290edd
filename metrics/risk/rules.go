// Package risk finds rule violations in a ckpi database and keeps the
// handling ladder, blacklists and the points ledger.
//
// What counts as a violation comes from a rules file (YAML; the built-in
// default is rules.default.yaml). Detection runs in DuckDB, one statement per
// rule from queries/risk, with the rule's patterns bound as parameters; Scan
// stores what it finds in the violations table, idempotently, and the
// ladder is computed from it by the views of schema 0002.
package risk

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

//go:embed rules.default.yaml
var defaultRules []byte

// DefaultFile names the built-in rules in messages and the scan log.
const DefaultFile = "(built-in rules)"

// DefaultRulesYAML is the built-in rules file, to start your own from.
func DefaultRulesYAML() []byte { return slices.Clone(defaultRules) }

// Rules is a parsed, validated rules file.
type Rules struct {
	Version     int               `yaml:"version"`
	Ladder      Ladder            `yaml:"ladder"`
	Blacklist   BlacklistConfig   `yaml:"blacklist"`
	Points      Points            `yaml:"points"`
	Elimination Elimination       `yaml:"elimination"`
	Guards      map[string]string `yaml:"guards"` // named patterns, shared with YAML anchors
	Rules       []Rule            `yaml:"rules"`

	File     string `yaml:"-"` // where it was read from
	Checksum string `yaml:"-"` // sha256 of the file's bytes
}

// Ladder is what staff do at each strike.
type Ladder struct {
	Scope    string   `yaml:"scope"`    // member | group
	Cooldown Duration `yaml:"cooldown"` // violations closer than this are one offence
	Steps    []string `yaml:"steps"`
}

// BlacklistConfig names blacklist files and turns automatic entries on.
type BlacklistConfig struct {
	Files []string `yaml:"files"` // relative to the rules file
	Auto  *bool    `yaml:"auto"`
}

// AutoEnabled says whether removed violators are blacklisted automatically.
func (b BlacklistConfig) AutoEnabled() bool { return b.Auto == nil || *b.Auto }

// Points are the rules of the points ledger.
type Points struct {
	Initial      int       `yaml:"initial"`
	Checkin      PointRule `yaml:"checkin"`
	Sharing      PointRule `yaml:"sharing"`
	Answer       PointRule `yaml:"answer"`
	Violation    int       `yaml:"violation"` // per strike; negative
	QuitForfeits bool      `yaml:"quit_forfeits"`
}

// PointRule earns points for messages.
type PointRule struct {
	Points   int      `yaml:"points"`
	Pattern  string   `yaml:"pattern"`   // checkin, sharing: messages that earn
	Except   string   `yaml:"except"`    // checkin, sharing: ...unless they match this
	DailyCap int      `yaml:"daily_cap"` // per member, group and local day; 0: no cap
	Within   Duration `yaml:"within"`    // answer: how soon after the question
}

// Elimination says who is a candidate for removal.
type Elimination struct {
	Below      int `yaml:"below"`       // balance below this
	SilentDays int `yaml:"silent_days"` // or no message for this many days
}

// Rule is one detector.
type Rule struct {
	Name        string `yaml:"name"`
	Kind        string `yaml:"kind"`
	Category    string `yaml:"category"`
	Severity    string `yaml:"severity"`
	Description string `yaml:"description"`
	Strikes     *int   `yaml:"strikes"`      // default 1
	Enabled     *bool  `yaml:"enabled"`      // default true
	ExemptStaff *bool  `yaml:"exempt_staff"` // default true

	Words  []string `yaml:"words"`  // keywords, nickname: literal, case-insensitive
	Regex  []string `yaml:"regex"`  // keywords, nickname, churn
	Except []string `yaml:"except"` // a message (name) matching any is spared

	AllowDomains []string `yaml:"allow_domains"` // links, churn
	Count        int      `yaml:"count"`         // flood, repeat
	Within       Duration `yaml:"within"`        // flood, repeat, churn
	MinLength    int      `yaml:"min_length"`    // repeat: characters
	MaxMB        float64  `yaml:"max_mb"`        // media_size
	Pattern      string   `yaml:"pattern"`       // nickname_format: names must match

	Line int `yaml:"-"` // line of the rule in its file
}

// IsEnabled is false for a rule turned off with enabled: false.
func (r *Rule) IsEnabled() bool { return r.Enabled == nil || *r.Enabled }

// StrikeCount is how far one offence under the rule climbs the ladder.
func (r *Rule) StrikeCount() int {
	if r.Strikes == nil {
		return 1
	}
	return *r.Strikes
}

// exemptStaff is true when staff and bots are exempt from the rule.
func (r *Rule) exemptStaff() bool { return r.ExemptStaff == nil || *r.ExemptStaff }

// Kinds of detectors.
var kinds = []string{"keywords", "links", "flood", "repeat", "media_size", "nickname", "nickname_format", "churn"}

// Categories of violations, the columns of the risk_violations metric.
var Categories = []string{"abuse", "advertising", "political", "indecent", "flooding", "media", "nickname"}

// Steps a ladder may use; "removal" is the one staff are seen to act on.
var Steps = []string{"warning", "public_notice", "mute", "public_notice_mute", "removal"}

// defaultCategory of a kind when the rule names none.
var defaultCategory = map[string]string{
	"links": "advertising", "flood": "flooding", "repeat": "flooding", "media_size": "media",
	"nickname": "nickname", "nickname_format": "nickname", "churn": "advertising",
}

// RulesError points at the line of a rules file that is wrong.
type RulesError struct {
	File string
	Line int
	Msg  string
}

func (e *RulesError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Default returns the built-in rules.
func Default() *Rules {
	r, err := Parse(DefaultFile, defaultRules)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return r
}

// Load reads a rules file.
func Load(path string) (*Rules, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return Parse(path, b)
}

// Parse reads and validates a rules file: unknown fields, unknown kinds and
// categories, patterns that do not compile and missing settings are errors
// naming the file and line.
func Parse(file string, src []byte) (*Rules, error) {
	r := &Rules{File: file}
	sum := sha256.Sum256(src)
	r.Checksum = hex.EncodeToString(sum[:])
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(r); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &RulesError{File: file, Msg: "empty rules file"}
		}
		return nil, &RulesError{File: file, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	// A second, loose pass finds the line of every rule for messages.
	var lines struct {
		Rules []yaml.Node `yaml:"rules"`
	}
	if err := yaml.Unmarshal(src, &lines); err == nil {
		for i := range r.Rules {
			if i < len(lines.Rules) {
				r.Rules[i].Line = lines.Rules[i].Line
			}
		}
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	return r, nil
}

var ruleName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func (r *Rules) validate() error {
	fail := func(line int, format string, args ...any) error {
		return &RulesError{File: r.File, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if r.Version != 1 {
		return fail(0, "version %d: this ckpi reads version 1 (write 'version: 1' at the top)", r.Version)
	}
	switch r.Ladder.Scope {
	case "":
		r.Ladder.Scope = "member"
	case "member", "group":
	default:
		return fail(0, "ladder.scope %q: want member or group", r.Ladder.Scope)
	}
	if r.Ladder.Cooldown < 0 {
		return fail(0, "ladder.cooldown must not be negative")
	}
	if len(r.Ladder.Steps) == 0 {
		r.Ladder.Steps = []string{"warning", "public_notice_mute", "removal"}
	}
	for _, s := range r.Ladder.Steps {
		if !slices.Contains(Steps, s) {
			return fail(0, "ladder.steps: unknown step %q (steps: %s)", s, strings.Join(Steps, ", "))
		}
	}
	for _, p := range []struct {
		name string
		pr   *PointRule
	}{{"checkin", &r.Points.Checkin}, {"sharing", &r.Points.Sharing}} {
		for _, pat := range []string{p.pr.Pattern, p.pr.Except} {
			if pat == "" {
				continue
			}
			if err := checkPattern(pat); err != nil {
				return fail(0, "points.%s: %v", p.name, err)
			}
		}
		if p.pr.DailyCap < 0 {
			return fail(0, "points.%s.daily_cap must not be negative", p.name)
		}
	}
	if r.Points.Answer.Points != 0 && r.Points.Answer.Within <= 0 {
		return fail(0, "points.answer.within: give how soon an answer must follow the question, e.g. 2h")
	}
	if r.Elimination.SilentDays < 0 {
		return fail(0, "elimination.silent_days must not be negative")
	}
	seen := map[string]int{}
	for i := range r.Rules {
		if err := r.validateRule(&r.Rules[i], seen); err != nil {
			return err
		}
	}
	return nil
}

func (r *Rules) validateRule(rule *Rule, seen map[string]int) error {
	fail := func(format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		if rule.Name != "" {
			msg = fmt.Sprintf("rule %q: %s", rule.Name, msg)
		}
		return &RulesError{File: r.File, Line: rule.Line, Msg: msg}
	}
	if !ruleName.MatchString(rule.Name) {
		return fail("name %q: want lower-case letters, digits and _ (e.g. abuse_words)", rule.Name)
	}
	if line, dup := seen[rule.Name]; dup {
		return fail("name used twice (first at line %d)", line)
	}
	seen[rule.Name] = rule.Line
	if !slices.Contains(kinds, rule.Kind) {
		return fail("kind %q: want one of %s", rule.Kind, strings.Join(kinds, ", "))
	}
	if rule.Category == "" {
		rule.Category = defaultCategory[rule.Kind]
		if rule.Category == "" {
			return fail("category: a %s rule needs one of %s", rule.Kind, strings.Join(Categories, ", "))
		}
	}
	if !slices.Contains(Categories, rule.Category) {
		return fail("category %q: want one of %s", rule.Category, strings.Join(Categories, ", "))
	}
	switch rule.Severity {
	case "":
		rule.Severity = "medium"
	case "low", "medium", "high":
	default:
		return fail("severity %q: want low, medium or high", rule.Severity)
	}
	if rule.Strikes != nil && (*rule.Strikes < 0 || *rule.Strikes > 10) {
		return fail("strikes %d: want 0 (recorded, not on the ladder) to 10", *rule.Strikes)
	}
	for _, w := range rule.Words {
		if strings.TrimSpace(w) == "" {
			return fail("an empty word in words")
		}
	}
	for _, list := range [][]string{rule.Regex, rule.Except} {
		for _, p := range list {
			if err := checkPattern(p); err != nil {
				return fail("%v", err)
			}
		}
	}
	switch rule.Kind {
	case "keywords", "nickname":
		if len(rule.Words) == 0 && len(rule.Regex) == 0 {
			return fail("a %s rule needs words or regex", rule.Kind)
		}
	case "links":
	case "flood", "repeat":
		if rule.Count < 2 {
			return fail("count %d: want 2 or more messages", rule.Count)
		}
		if rule.Within <= 0 {
			return fail("within: give the time window, e.g. 60s")
		}
		if rule.Kind == "repeat" && rule.MinLength == 0 {
			rule.MinLength = 2
		}
	case "media_size":
		if rule.MaxMB <= 0 {
			return fail("max_mb: give the largest allowed size in MB, e.g. 20")
		}
	case "nickname_format":
		if rule.Pattern == "" {
			return fail("pattern: give the regex a nickname must match")
		}
		if _, err := regexp.Compile(rule.Pattern); err != nil {
			return fail("pattern: %v", err)
		}
	case "churn":
		if rule.Within <= 0 {
			return fail("within: give how soon after joining the member leaves, e.g. 1d")
		}
	}
	if rule.Kind != "links" && rule.Kind != "churn" && len(rule.AllowDomains) > 0 {
		return fail("allow_domains is for links and churn rules")
	}
	for _, d := range rule.AllowDomains {
		if !validDomain(d) {
			return fail("allow_domains: %q is not a domain name (e.g. example.com)", d)
		}
	}
	return nil
}

// checkPattern compiles a pattern and refuses one that matches the empty
// string: it would flag every message.
func checkPattern(p string) error {
	re, err := regexp.Compile(p)
	if err != nil {
		return fmt.Errorf("pattern %q: %v", p, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	if re.MatchString("") {
		return fmt.Errorf("pattern %q matches an empty text: it would flag every message", p)
	}
	return nil
}

var domainRE = regexp.MustCompile(`^(?i)[a-z0-9\p{L}](?:[-a-z0-9\p{L}]*[a-z0-9\p{L}])?(?:\.[a-z0-9\p{L}](?:[-a-z0-9\p{L}]*[a-z0-9\p{L}])?)+$`)

func validDomain(d string) bool { return domainRE.MatchString(d) }

// MatchPattern is the one RE2 pattern a keywords or nickname rule's words
// and regexes make: words literal and case-insensitive, English words only
// as whole words.
func (r *Rule) MatchPattern() string {
	var alts []string
	if len(r.Words) > 0 {
		words := make([]string, len(r.Words))
		for i, w := range r.Words {
			words[i] = wordPattern(strings.TrimSpace(w))
		}
		alts = append(alts, "(?i:"+strings.Join(words, "|")+")")
	}
	for _, p := range r.Regex {
		alts = append(alts, "(?:"+p+")")
	}
	return strings.Join(alts, "|")
}

// ExceptPattern joins the rule's guards; "" when it has none.
func (r *Rule) ExceptPattern() string {
	alts := make([]string, len(r.Except))
	for i, p := range r.Except {
		alts[i] = "(?:" + p + ")"
	}
	return strings.Join(alts, "|")
}

// AllowPattern matches a host that is an allowed domain or below one; ""
// when every link counts.
func (r *Rule) AllowPattern() string {
	if len(r.AllowDomains) == 0 {
		return ""
	}
	ds := make([]string, len(r.AllowDomains))
	for i, d := range r.AllowDomains {
		ds[i] = regexp.QuoteMeta(strings.ToLower(strings.TrimPrefix(d, ".")))
	}
	return `(?i)^(?:.+\.)?(?:` + strings.Join(ds, "|") + `)$`
}

// AllowedLinksPattern matches a whole link to an allowed domain, to take
// it out of a text; "" when the rule allows none.
func (r *Rule) AllowedLinksPattern() string {
	if len(r.AllowDomains) == 0 {
		return ""
	}
	ds := make([]string, len(r.AllowDomains))
	for i, d := range r.AllowDomains {
		ds[i] = regexp.QuoteMeta(strings.ToLower(strings.TrimPrefix(d, ".")))
	}
	return `(?i)(?:https?://|www\.)(?:[-a-z0-9]+\.)*(?:` + strings.Join(ds, "|") + `)(?:[/:?#][^\s]*)?(?:\s|$)`
}

// wordPattern quotes a word, with \b on a side that is an ASCII letter or
// digit so "ass" does not hit "class"; CJK text has no word boundaries.
func wordPattern(w string) string {
	q := regexp.QuoteMeta(w)
	first, _ := utf8.DecodeRuneInString(w)
	last, _ := utf8.DecodeLastRuneInString(w)
	if isASCIIWord(first) {
		q = `\b` + q
	}
	if isASCIIWord(last) {
		q += `\b`
	}
	return q
}

func isASCIIWord(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// Duration is a YAML duration: 90s, 10m, 1h, 1d, 2w (or Go's 1h30m).
type Duration time.Duration

// UnmarshalYAML reads a duration.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes a duration back.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// Seconds of the duration.
func (d Duration) Seconds() int64 { return int64(time.Duration(d) / time.Second) }

// ParseDuration reads 90s, 10m, 1h, 1d, 2w and Go durations.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			if f, err := strconv.ParseFloat(n, 64); err == nil && f >= 0 {
				return time.Duration(f * float64(unit)), nil
			}
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: want e.g. 90s, 10m, 1h, 1d", s)
	}
	return d, nil
}
