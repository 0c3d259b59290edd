package ingest

import (
	"regexp/syntax"
	"strings"
	"unicode"
)

// prefilter tells in one pass over a text which of a set of regular
// expressions it may match: it looks for the words each expression cannot
// match without (one Aho–Corasick automaton, ASCII case folded). A false
// "may" costs a regexp run; a false "no" cannot happen.
type prefilter struct {
	next  [][256]int32
	match []uint64  // the expressions whose words end in each state
	start [256]bool // bytes that begin a word (either case)
	// pairs that begin a word (either case), one bit each; nil when a
	// word is one byte long. In Chinese text most bytes begin some word's
	// character, few pairs do.
	start2 []uint64
}

// newPrefilter returns nil when some expression needs no fixed word (such
// as `\w+`), or there are more than 64: then every text has to be tried.
func newPrefilter(exprs []string) *prefilter {
	if len(exprs) > 64 {
		return nil
	}
	words := map[string]uint64{}
	for i, e := range exprs {
		re, err := syntax.Parse(e, syntax.Perl)
		if err != nil {
			return nil
		}
		w := requiredWords(re.Simplify())
		if len(w) == 0 {
			return nil
		}
		for _, word := range w {
			words[word] |= 1 << i
		}
	}
	return buildPrefilter(words)
}

// requiredWords is a set of words one of which every match contains, or
// nil when there is no such set.
func requiredWords(re *syntax.Regexp) []string {
	if words, ok := exactWords(re); ok && shortest(words) > 0 {
		return words
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return requiredWords(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min < 1 {
			return nil
		}
		return requiredWords(re.Sub[0])
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			w := requiredWords(sub)
			if w == nil {
				return nil
			}
			all = append(all, w...)
		}
		return all
	case syntax.OpConcat:
		// Every part is needed: runs of parts with exact words join up
		// (the parser factors `#a|#b` into `#(?:a|b)`), and the candidate
		// whose shortest word is longest filters best.
		var best, run []string
		consider := func(w []string) {
			if shortest(w) > shortest(best) {
				best = w
			}
		}
		for _, sub := range re.Sub {
			if w, ok := exactWords(sub); ok {
				if joined := crossWords(run, w); joined != nil {
					run = joined
				} else { // too many words: the run so far is a candidate
					consider(run)
					run = w
				}
				continue
			}
			consider(run)
			run = nil
			consider(requiredWords(sub))
		}
		consider(run)
		return best
	}
	return nil
}

// maxWords bounds the words one expression may expand to.
const maxWords = 64

// exactWords is the finite set of texts re matches, when it is small;
// zero-width assertions match "".
func exactWords(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			if !asciiFoldable(re.Rune) {
				return nil, false
			}
			return []string{strings.ToLower(string(re.Rune))}, true
		}
		return []string{string(re.Rune)}, true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpCapture:
		return exactWords(re.Sub[0])
	case syntax.OpCharClass: // a few runes, such as (早|晚) simplified to [早晚]
		var all []string
		for i := 0; i < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(all) == 16 {
					return nil, false
				}
				all = append(all, string(r))
			}
		}
		return all, true
	case syntax.OpQuest:
		w, ok := exactWords(re.Sub[0])
		return append(w, ""), ok && len(w) < maxWords
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			w, ok := exactWords(sub)
			if !ok || len(all)+len(w) > maxWords {
				return nil, false
			}
			all = append(all, w...)
		}
		return all, true
	case syntax.OpConcat:
		all := []string{""}
		for _, sub := range re.Sub {
			w, ok := exactWords(sub)
			if !ok {
				return nil, false
			}
			if all = crossWords(all, w); all == nil {
				return nil, false
			}
		}
		return all, true
	}
	return nil, false
}

// crossWords is every a followed by every b; nil when there would be too
// many. An empty a stands for {""}.
func crossWords(a, b []string) []string {
	if len(a) == 0 {
		a = []string{""}
	}
	if len(a)*len(b) > maxWords {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// asciiFoldable: case-insensitive words the automaton's ASCII folding covers.
func asciiFoldable(word []rune) bool {
	for _, r := range word {
		if r > unicode.MaxASCII && unicode.SimpleFold(r) != r {
			return false
		}
	}
	return true
}

func shortest(words []string) int {
	if len(words) == 0 {
		return 0
	}
	n := len(words[0])
	for _, w := range words[1:] {
		n = min(n, len(w))
	}
	return n
}

// bothCases is b and, for an ASCII letter, its other case.
func bothCases(b byte) []byte {
	if l := foldByte(b); 'a' <= l && l <= 'z' {
		return []byte{l, l - 'a' + 'A'}
	}
	return []byte{b}
}

func foldByte(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func buildPrefilter(words map[string]uint64) *prefilter {
	p := &prefilter{next: make([][256]int32, 1), match: make([]uint64, 1), start2: make([]uint64, 1<<16/64)}
	for w, exprs := range words {
		if len(w) < 2 {
			p.start2 = nil
		} else if p.start2 != nil {
			for _, a := range bothCases(w[0]) {
				for _, b := range bothCases(w[1]) {
					pair := uint16(a)<<8 | uint16(b)
					p.start2[pair/64] |= 1 << (pair % 64)
				}
			}
		}
		s := int32(0)
		for i := 0; i < len(w); i++ {
			b := foldByte(w[i])
			if p.next[s][b] == 0 {
				p.next = append(p.next, [256]int32{})
				p.match = append(p.match, 0)
				p.next[s][b] = int32(len(p.next) - 1)
			}
			s = p.next[s][b]
		}
		p.match[s] |= exprs
		p.start[foldByte(w[0])] = true
		if b := w[0]; 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' {
			p.start[foldByte(b)-'a'+'A'] = true
		}
	}
	// Turn the trie into a full automaton, breadth first: a missing edge
	// goes where the longest proper suffix would go.
	fail := make([]int32, len(p.next))
	var queue []int32
	for b := 0; b < 256; b++ {
		if t := p.next[0][b]; t != 0 {
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		p.match[s] |= p.match[fail[s]]
		for b := 0; b < 256; b++ {
			if t := p.next[s][b]; t != 0 {
				fail[t] = p.next[fail[s]][b]
				queue = append(queue, t)
			} else {
				p.next[s][b] = p.next[fail[s]][b]
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		for s := range p.next {
			p.next[s][b] = p.next[s][b+'a'-'A']
		}
	}
	return p
}

// candidates is the set of expressions (bit i: the i-th) whose words the
// text contains.
func (p *prefilter) candidates(text string) uint64 {
	s, found := int32(0), uint64(0)
	for i := 0; i < len(text); i++ {
		if s == 0 { // the common case: nothing begun, and nothing begins here
			if !p.start[text[i]] {
				continue
			}
			if p.start2 != nil {
				if i+1 == len(text) {
					break
				}
				if pair := uint16(text[i])<<8 | uint16(text[i+1]); p.start2[pair/64]&(1<<(pair%64)) == 0 {
					continue
				}
			}
		}
		s = p.next[s][text[i]]
		found |= p.match[s]
	}
	return found
}
