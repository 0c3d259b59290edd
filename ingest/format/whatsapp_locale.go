package format

// The words of WhatsApp exports, per language, are data:
// locales/whatsapp.json. Each entry there names its source (WhatsApp's own
// Android string resources, real exports, the tables of open parsers); this
// file compiles the entries into templates and matches lines against them.

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed locales/whatsapp.json
var waLocalesJSON []byte

type waEntryJSON struct {
	T     string `json:"t"`
	K     string `json:"k"`
	Src   string `json:"src"`
	ByYou bool   `json:"by_you"`
}

type waLocaleJSON struct {
	Name     string                 `json:"name"`
	Sources  []string               `json:"sources"`
	Notices  []waEntryJSON          `json:"notices"`
	Recall   []waEntryJSON          `json:"recall"`
	RecallBy []waEntryJSON          `json:"recall_by"`
	Media    map[string]waEntryJSON `json:"media"`
	Attached []waEntryJSON          `json:"attached"`
	Location []waEntryJSON          `json:"location"`
	Calls    []waEntryJSON          `json:"calls"`
	Waiting  []waEntryJSON          `json:"waiting"`
	Poll     []struct {
		Poll   string `json:"poll"`
		Option string `json:"option"`
		Src    string `json:"src"`
	} `json:"poll"`
	Edited   []waEntryJSON `json:"edited"`
	You      []waEntryJSON `json:"you"`
	List     []waEntryJSON `json:"list"`
	ChatFile []waEntryJSON `json:"chat_file"`
}

type waTablesJSON struct {
	Sources    map[string]string       `json:"sources"`
	Locales    map[string]waLocaleJSON `json:"locales"`
	DayPeriods []struct {
		AM  string `json:"am"`
		PM  string `json:"pm"`
		Src string `json:"src"`
	} `json:"day_periods"`
}

// Notice kinds of the table and what they mean.
const (
	waAdded           = "added"            // {actor} added {members}: joins by referral
	waAddedUnknown    = "added_unknown"    // {members} was added: joins, no inviter named
	waJoined          = "joined"           // {member} joined
	waJoinedLink      = "joined_link"      // {member} joined using the invite link
	waJoinedCommunity = "joined_community" // {member} joined from the community
	waLeft            = "left"
	waRemoved         = "removed"         // {actor} removed {members}
	waRemovedUnknown  = "removed_unknown" // {members} was removed
	waSystem          = "system"          // any other group notice: a system message
	waEncryption      = "encryption"      // the end-to-end encryption notice
)

// Kinds of the exact placeholders besides message kinds.
const (
	waExactRecall   = "recall"
	waExactCall     = "call"
	waExactWaiting  = "waiting"
	waExactLocation = "location"
)

// A hole is a placeholder of a template.
const (
	holeActor   = 'a' // {actor}
	holeMembers = 'm' // {members}: a list
	holeMember  = 'o' // {member}: one name
	holeAny     = 'x' // {x}, {y}, {file}, {name}: any text
	holeTail    = '*' // {*}: any tail, possibly empty
)

// waTemplate is one wording: literal text around holes.
type waTemplate struct {
	lits  []string // len(holes)+1; lits[0] is the prefix, the last the suffix
	holes []byte
	kind  string
	byYou bool
	lang  string
	size  int // literal bytes: longer (more specific) wordings are tried first
	// first and last are the bytes a fitting text must begin and end with,
	// 0 where a hole stands there: most templates are ruled out by them.
	first, last byte
}

// waLocale is one language's compiled table.
type waLocale struct {
	code    string
	notices []*waTemplate
	// The notices split for speed, each list longest first: those that
	// begin with words, by their first byte, and those that begin with a
	// name.
	byFirst  [256][]*waTemplate
	floating []*waTemplate
	recallBy []*waTemplate
	attached []*waTemplate
	location []*waTemplate
	chatFile []*waTemplate
	polls    []waPoll
	edited   []string
	you      []string
	list     *strings.Replacer // list separators to "\x00"
}

type waPoll struct{ poll, option string }

type waExact struct {
	kind string // a message kind (media) or one of waExact*
	lang string
}

type waTables struct {
	locales  []*waLocale // en first, then the file's order by code
	byCode   map[string]*waLocale
	exact    map[string]waExact // normalised placeholder → kind, every language
	exactMax int
	// exactFirst[len] holds the first bytes (ASCII lower-cased) of the keys
	// of that length: most messages are ruled out without hashing.
	exactFirst [][4]uint64
	// attachedLast holds the last bytes of "… (file attached)" and
	// "<attached: …>" in every language.
	attachedLast [256]bool
	periods      []waPeriod // day period words, longest first
}

type waPeriod struct {
	word string
	ap   byte
}

var waTablesOnce = sync.OnceValues(func() (*waTables, error) { return compileWaTables(waLocalesJSON) })

// waLoadTables returns the compiled tables; the embedded file is checked
// by tests, so an error here is a build defect.
func waLoadTables() *waTables {
	t, err := waTablesOnce()
	if err != nil {
		panic("whatsapp locale table: " + err.Error())
	}
	return t
}

func compileWaTables(raw []byte) (*waTables, error) {
	var j waTablesJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	t := &waTables{byCode: map[string]*waLocale{}, exact: map[string]waExact{}}
	codes := make([]string, 0, len(j.Locales))
	for code := range j.Locales {
		codes = append(codes, code)
	}
	slices.SortFunc(codes, func(a, b string) int {
		// English first: it is the fallback of every export.
		if (a == "en") != (b == "en") {
			if a == "en" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	checkSrc := func(code, src string) error {
		if src == "" {
			return fmt.Errorf("%s: an entry names no source", code)
		}
		for _, s := range strings.Split(src, ",") {
			s, _, _ = strings.Cut(strings.TrimSpace(s), ":")
			if _, ok := j.Sources[s]; !ok {
				return fmt.Errorf("%s: unknown source %q", code, s)
			}
		}
		return nil
	}
	for _, code := range codes {
		lj := j.Locales[code]
		l := &waLocale{code: code}
		add := func(dst *[]*waTemplate, es []waEntryJSON, kind string) error {
			for _, e := range es {
				if err := checkSrc(code, e.Src); err != nil {
					return err
				}
				k := e.K
				if kind != "" {
					k = kind
				}
				ts, err := compileWaTemplate(e.T, k, e.ByYou, code)
				if err != nil {
					return fmt.Errorf("%s: %w", code, err)
				}
				*dst = append(*dst, ts...)
			}
			return nil
		}
		for _, step := range []struct {
			dst  *[]*waTemplate
			es   []waEntryJSON
			kind string
		}{{&l.notices, lj.Notices, ""}, {&l.recallBy, lj.RecallBy, "recall_by"}, {&l.attached, lj.Attached, "attached"},
			{&l.location, lj.Location, "location"}, {&l.chatFile, lj.ChatFile, "chat_file"}} {
			if err := add(step.dst, step.es, step.kind); err != nil {
				return nil, err
			}
		}
		for _, e := range l.notices {
			switch e.kind {
			case waAdded, waAddedUnknown, waJoined, waJoinedLink, waJoinedCommunity, waLeft, waRemoved, waRemovedUnknown, waSystem, waEncryption:
			default:
				return nil, fmt.Errorf("%s: notice %q has unknown kind %q", code, strings.Join(e.lits, "…"), e.kind)
			}
		}
		slices.SortStableFunc(l.notices, func(a, b *waTemplate) int { return b.size - a.size })
		for _, tp := range l.notices {
			if tp.first != 0 {
				l.byFirst[tp.first] = append(l.byFirst[tp.first], tp)
			} else {
				l.floating = append(l.floating, tp)
			}
		}
		for _, tp := range l.attached {
			if last := tp.lits[len(tp.lits)-1]; last != "" {
				t.attachedLast[last[len(last)-1]] = true
			}
		}
		// A location template without holes is a whole placeholder
		// ("live location shared"): it goes to the exact table.
		exact := func(es []waEntryJSON, kind string) error {
			for _, e := range es {
				if err := checkSrc(code, e.Src); err != nil {
					return err
				}
				t.addExact(e.T, waExact{kind: kind, lang: code})
			}
			return nil
		}
		if err := exact(lj.Recall, waExactRecall); err != nil {
			return nil, err
		}
		if err := exact(lj.Calls, waExactCall); err != nil {
			return nil, err
		}
		if err := exact(lj.Waiting, waExactWaiting); err != nil {
			return nil, err
		}
		for text, e := range lj.Media {
			if err := checkSrc(code, e.Src); err != nil {
				return nil, err
			}
			switch e.K {
			case KindImage, KindVideo, KindVoice, KindSticker, KindFile:
			default:
				return nil, fmt.Errorf("%s: media %q has kind %q", code, text, e.K)
			}
			t.addExact(text, waExact{kind: e.K, lang: code})
		}
		loc := l.location[:0]
		for _, tp := range l.location {
			if len(tp.holes) == 0 {
				t.addExact(tp.lits[0], waExact{kind: waExactLocation, lang: code})
				continue
			}
			loc = append(loc, tp)
		}
		l.location = loc
		for _, p := range lj.Poll {
			if err := checkSrc(code, p.Src); err != nil {
				return nil, err
			}
			l.polls = append(l.polls, waPoll{poll: p.Poll, option: p.Option})
		}
		for _, e := range lj.Edited {
			if err := checkSrc(code, e.Src); err != nil {
				return nil, err
			}
			l.edited = append(l.edited, e.T)
		}
		l.you = []string{"You"}
		for _, e := range lj.You {
			if err := checkSrc(code, e.Src); err != nil {
				return nil, err
			}
			l.you = append(l.you, e.T)
		}
		var seps []string
		for _, e := range lj.List {
			if err := checkSrc(code, e.Src); err != nil {
				return nil, err
			}
			seps = append(seps, e.T)
		}
		slices.SortFunc(seps, func(a, b string) int { return len(b) - len(a) })
		var pairs []string
		for _, s := range seps {
			pairs = append(pairs, s, "\x00")
		}
		l.list = strings.NewReplacer(pairs...)
		t.locales = append(t.locales, l)
		t.byCode[code] = l
	}
	for _, p := range j.DayPeriods {
		if p.Src == "" {
			return nil, fmt.Errorf("day period %q/%q names no source", p.AM, p.PM)
		}
		if p.AM != "" {
			t.periods = append(t.periods, waPeriod{p.AM, 'a'})
		}
		if p.PM != "" {
			t.periods = append(t.periods, waPeriod{p.PM, 'p'})
		}
	}
	slices.SortStableFunc(t.periods, func(a, b waPeriod) int { return len(b.word) - len(a.word) })
	return t, nil
}

func (t *waTables) addExact(text string, e waExact) {
	key := waExactKey(text)
	for _, k := range []string{key, strings.ToLower(key)} {
		if _, ok := t.exact[k]; !ok {
			t.exact[k] = e
		}
		t.exactMax = max(t.exactMax, len(k))
		for len(t.exactFirst) <= len(k) {
			t.exactFirst = append(t.exactFirst, [4]uint64{})
		}
		c := lowerASCII(k[0])
		t.exactFirst[len(k)][c>>6] |= 1 << (c & 63)
	}
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// waExactKey trims what varies around a placeholder: direction marks, spaces
// and one final full stop (iOS ends "This message was deleted." with one).
func waExactKey(s string) string {
	for {
		switch {
		case strings.HasPrefix(s, "\u200e"), strings.HasPrefix(s, "\u200f"):
			s = s[3:]
			continue
		}
		break
	}
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ".") {
		s = strings.TrimSpace(s[:len(s)-1])
	} else if strings.HasSuffix(s, "。") {
		s = strings.TrimSpace(s[:len(s)-len("。")])
	}
	return s
}

// lookupExact finds a whole-message placeholder, case-insensitively. It is
// on the path of every message, so it does not allocate for ASCII text.
func (t *waTables) lookupExact(s string) (waExact, bool) {
	if len(s) > t.exactMax+8 {
		return waExact{}, false
	}
	s = waExactKey(s)
	if s == "" || len(s) > t.exactMax {
		return waExact{}, false
	}
	if c := lowerASCII(s[0]); t.exactFirst[len(s)][c>>6]&(1<<(c&63)) == 0 {
		// No key of this length starts so: most messages stop here. Keys
		// are kept as written and lower-cased, so a non-ASCII first byte
		// is found as either.
		return waExact{}, false
	}
	if e, ok := t.exact[s]; ok {
		return e, true
	}
	var buf [256]byte
	ascii, upper := true, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		upper = upper || ('A' <= c && c <= 'Z')
	}
	switch {
	case ascii && upper && len(s) <= len(buf):
		b := buf[:len(s)]
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b[i] = c
		}
		e, ok := t.exact[string(b)]
		return e, ok
	case !ascii:
		if l := strings.ToLower(s); l != s {
			e, ok := t.exact[l]
			return e, ok
		}
	}
	return waExact{}, false
}

// compileWaTemplate parses "{actor} added {members}" and returns it with its
// variants: iOS writes ’ for ' and “…” for "…".
func compileWaTemplate(s, kind string, byYou bool, lang string) ([]*waTemplate, error) {
	variants := []string{s}
	if strings.Contains(s, "'") {
		variants = append(variants, strings.ReplaceAll(s, "'", "’"))
	}
	if strings.Count(s, `"`)%2 == 0 && strings.Contains(s, `"`) {
		for _, v := range slices.Clone(variants) {
			var b strings.Builder
			open := true
			for _, r := range v {
				if r == '"' {
					if open {
						b.WriteRune('“')
					} else {
						b.WriteRune('”')
					}
					open = !open
					continue
				}
				b.WriteRune(r)
			}
			variants = append(variants, b.String())
		}
	}
	var out []*waTemplate
	for _, v := range variants {
		tp, err := parseWaTemplate(v)
		if err != nil {
			return nil, err
		}
		tp.kind, tp.byYou, tp.lang = kind, byYou, lang
		out = append(out, tp)
	}
	return out, nil
}

func parseWaTemplate(s string) (*waTemplate, error) {
	tp := &waTemplate{}
	lit := ""
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			lit += s
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("template %q: unclosed {", s)
		}
		name := s[i+1 : i+j]
		var h byte
		switch name {
		case "actor":
			h = holeActor
		case "members":
			h = holeMembers
		case "member":
			h = holeMember
		case "x", "y", "file", "name":
			h = holeAny
		case "*":
			h = holeTail
		default:
			return nil, fmt.Errorf("template %q: unknown hole {%s}", s, name)
		}
		lit += s[:i]
		if h == holeTail && len(tp.holes) > 0 && lit == "" && s[i+j+1:] == "" {
			// "{actor}{*}": the sentence ends with a name, and a tail after
			// it could not be told from the name; read the notice whole.
			s = ""
			break
		}
		if len(tp.holes) > 0 && lit == "" {
			return nil, fmt.Errorf("template %q: two holes with nothing between", s)
		}
		tp.lits = append(tp.lits, lit)
		tp.size += len(lit)
		tp.holes = append(tp.holes, h)
		lit = ""
		s = s[i+j+1:]
	}
	tp.lits = append(tp.lits, lit)
	tp.size += len(lit)
	if tp.lits[0] != "" {
		tp.first = tp.lits[0][0]
	}
	if lit != "" {
		tp.last = lit[len(lit)-1]
	}
	if n := len(tp.holes); n > 0 && tp.holes[n-1] == holeTail && lit != "" {
		return nil, fmt.Errorf("template %q: text after {*}", s)
	}
	return tp, nil
}

// match fits s to the template and returns the text of each hole. Where a
// literal between two holes occurs more than once, the split that makes the
// actor a name already known wins, else the first ("Ana added Bob" is not
// thrown by a later " added ").
func (t *waTemplate) match(s string, known func(string) bool, caps []string) ([]string, bool) {
	caps = caps[:0]
	if s == "" || (t.first != 0 && s[0] != t.first) || (t.last != 0 && s[len(s)-1] != t.last) {
		return nil, false
	}
	if !strings.HasPrefix(s, t.lits[0]) {
		return nil, false
	}
	rest := s[len(t.lits[0]):]
	n := len(t.holes)
	if n == 0 {
		return caps, rest == ""
	}
	last := t.lits[n]
	tail := t.holes[n-1] == holeTail
	if !tail {
		if !strings.HasSuffix(rest, last) || len(rest) < len(last) {
			return nil, false
		}
		rest = rest[:len(rest)-len(last)]
	}
	for i := 0; i < n-1; i++ {
		lit := t.lits[i+1]
		at := strings.Index(rest, lit)
		if at < 0 {
			return nil, false
		}
		if t.holes[i] == holeActor && known != nil && !known(strings.TrimSpace(rest[:at])) {
			for from := at + 1; from < len(rest); {
				k := strings.Index(rest[from:], lit)
				if k < 0 {
					break
				}
				if known(strings.TrimSpace(rest[:from+k])) {
					at = from + k
					break
				}
				from += k + 1
			}
		}
		caps = append(caps, rest[:at])
		rest = rest[at+len(lit):]
	}
	caps = append(caps, rest)
	for i, h := range t.holes {
		if h != holeTail && strings.TrimSpace(caps[i]) == "" {
			return nil, false
		}
		if (h == holeActor || h == holeMember || h == holeMembers) && strings.ContainsAny(caps[i], "\n") {
			return nil, false
		}
	}
	return caps, true
}

// waNote is a notice read from a system line.
type waNote struct {
	kind    string // a waAdded… kind
	members []string
	actor   string
	lang    string
}

// isSystem reports whether the notice is kept as a system message rather
// than as membership events.
func (n waNote) isSystem() bool { return n.kind == waSystem || n.kind == waEncryption }

func (n waNote) involves(name string) bool {
	if name == "" {
		return false
	}
	if n.actor == name {
		return true
	}
	return slices.Contains(n.members, name)
}

// notice reads text with one locale's templates.
func (l *waLocale) notice(text string, known func(string) bool) (waNote, bool) {
	if text == "" {
		return waNote{}, false
	}
	var buf [4]string
	// Both lists longest first, merged: the same order as l.notices.
	a, b := l.byFirst[text[0]], l.floating
	for len(a) > 0 || len(b) > 0 {
		var t *waTemplate
		if len(b) == 0 || (len(a) > 0 && a[0].size >= b[0].size) {
			t, a = a[0], a[1:]
		} else {
			t, b = b[0], b[1:]
		}
		caps, ok := t.match(text, known, buf[:0])
		if !ok {
			continue
		}
		n := waNote{kind: t.kind, lang: l.code}
		for i, h := range t.holes {
			c := strings.TrimSpace(caps[i])
			switch h {
			case holeActor:
				n.actor = c
			case holeMember:
				n.members = append(n.members, l.you2(c))
			case holeMembers:
				n.members = l.splitList(c, known)
			}
		}
		if n.members == nil && !n.isSystem() {
			n.members = []string{waYou} // "You were added", "Ana removed you"
		}
		if t.byYou {
			n.actor = waYou
		}
		if n.kind != waSystem && n.kind != waEncryption && slices.Contains(n.members, "") {
			continue
		}
		return n, true
	}
	return waNote{}, false
}

// splitList splits "Bob, Carol and Dave" at the locale's separators, unless
// the whole list is a name already known ("Mum and Dad").
func (l *waLocale) splitList(s string, known func(string) bool) []string {
	if known != nil && known(s) {
		return []string{s}
	}
	parts := strings.Split(l.list.Replace(s), "\x00")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		out = append(out, l.you2(strings.TrimSpace(p)))
	}
	return out
}

// you2 maps the locale's word for the exporting account to "You".
func (l *waLocale) you2(s string) string {
	for _, y := range l.you {
		if strings.EqualFold(s, y) {
			return waYou
		}
	}
	return s
}

// waNoticeText is the form notices are matched in: no direction marks
// (iOS puts them around names), no final full stop (iOS adds one).
func waNoticeText(s string) string {
	if strings.ContainsAny(s, "\u200e\u200f") {
		s = strings.NewReplacer("\u200e", "", "\u200f", "").Replace(s)
	}
	s = strings.TrimSpace(s)
	if t, ok := strings.CutSuffix(s, "."); ok {
		s = strings.TrimSpace(t)
	} else if t, ok := strings.CutSuffix(s, "。"); ok {
		s = strings.TrimSpace(t)
	}
	return s
}

// waNormLang maps what a user may pass as --lang to a table code.
func waNormLang(lang string) (string, bool) {
	t := waLoadTables()
	if _, ok := t.byCode[lang]; ok {
		return lang, true
	}
	l := strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
	switch l {
	case "zh", "zh-cn", "zh-sg", "zh-hans", "zh-hans-cn":
		return "zh-Hans", true
	case "zh-tw", "zh-hk", "zh-mo", "zh-hant", "zh-hant-tw", "zh-hant-hk":
		return "zh-Hant", true
	case "pt", "pt-br":
		return "pt-BR", true
	case "in":
		return "id", true
	}
	base, _, _ := strings.Cut(l, "-")
	if _, ok := t.byCode[base]; ok {
		return base, true
	}
	return "", false
}

// waLangCodes lists the table's languages, for error messages.
func waLangCodes() []string {
	t := waLoadTables()
	out := make([]string, 0, len(t.locales))
	for _, l := range t.locales {
		out = append(out, l.code)
	}
	return out
}
