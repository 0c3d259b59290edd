package format

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// scannerOf makes a scanner whose buffer holds only size bytes, so that
// refills happen at every possible place.
func scannerOf(doc string, size int) *jsonScanner {
	s := newJSONScanner(strings.NewReader(doc), "test", "t.json")
	if size > 0 {
		s.buf = make([]byte, size+8)
	}
	return s
}

var scanSizes = []int{1, 2, 3, 5, 7, 8, 9, 13, 16, 0}

func TestJSONScanStrings(t *testing.T) {
	cases := []struct{ in, want string }{
		{`""`, ""},
		{`"plain ascii"`, "plain ascii"},
		{`"中文和English混排，较长的一段文字用来跨过八字节的边界"`, "中文和English混排，较长的一段文字用来跨过八字节的边界"},
		{`"a\"b\\c\/d\be\ff\ng\rh\ti"`, "a\"b\\c/d\be\ff\ng\rh\ti"},
		{`"\u00e9\u4E2D\u6587"`, "é中文"},
		{`"\uD83D\uDE00 smile"`, "😀 smile"},
		{`"lone \uD800 high, lone \uDC00 low, \uD800\u0041"`, "lone \uFFFD high, lone \uFFFD low, \uFFFDA"},
		{`"\x0B and \x1f"`, "\x0b and \x1f"}, // Telegram Desktop's control characters
		{`"\\"`, `\`},
		{`"ends with escape \\\\"`, `ends with escape \\`},
		{`"` + strings.Repeat("long ", 100) + `\n"`, strings.Repeat("long ", 100) + "\n"},
	}
	for _, c := range cases {
		for _, size := range scanSizes {
			s := scannerOf("  "+c.in+" ,", size)
			got, err := s.str()
			if err != nil || string(got) != c.want {
				t.Errorf("size %d: str(%s) = %q, %v; want %q", size, c.in, got, err, c.want)
				continue
			}
			if s.ws() != ',' {
				t.Errorf("size %d: %s: not positioned after the string", size, c.in)
			}
			// Skipping reaches the same place.
			s = scannerOf("  "+c.in+" ,", size)
			if err := s.skip(); err != nil || s.ws() != ',' {
				t.Errorf("size %d: skip(%s): %v", size, c.in, err)
			}
		}
	}
}

// randValue builds a random JSON value with strings full of escapes and
// brackets, for comparing the scanner with encoding/json.
func randValue(r *rand.Rand, depth int) any {
	pieces := []string{"a", "中", "\"", "\\", "]", "}", "[", "{", "\n", "\t", "😀", " ", "\u2028", "x\\\"y"}
	str := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	switch k := r.IntN(8); {
	case depth > 4 || k < 2:
		return str()
	case k == 2:
		return r.Float64()*1e6 - 5e5
	case k == 3:
		return []any{nil, true, false}[r.IntN(3)]
	case k < 6:
		a := make([]any, r.IntN(5))
		for i := range a {
			a[i] = randValue(r, depth+1)
		}
		return a
	default:
		m := map[string]any{}
		for range r.IntN(5) {
			m[str()] = randValue(r, depth+1)
		}
		return m
	}
}

func TestJSONScanAgreesWithEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		v := randValue(r, 0)
		var doc []byte
		var err error
		if i%2 == 0 {
			doc, err = json.MarshalIndent(v, "", " ")
		} else {
			doc, err = json.Marshal(v)
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 3, 8, 0} {
			// skip consumes exactly the document.
			s := scannerOf(string(doc)+"\n", size)
			if err := s.skip(); err != nil || !s.atEnd() {
				t.Fatalf("size %d: skip(%s) = %v", size, doc, err)
			}
			// Walking it decodes every string as encoding/json does.
			s = scannerOf(string(doc), size)
			got, err := walk(s)
			if err != nil {
				t.Fatalf("size %d: walk(%s) = %v", size, doc, err)
			}
			want, _ := json.Marshal(v)
			if gotJSON, _ := json.Marshal(got); string(gotJSON) != string(want) {
				t.Fatalf("size %d: walk(%s) = %s", size, doc, gotJSON)
			}
		}
	}
}

// walk decodes a value with the scanner's API into Go values.
func walk(s *jsonScanner) (any, error) {
	switch s.peek() {
	case '{':
		s.pos++
		s.depth++
		m := map[string]any{}
		for n := 0; ; {
			k, err := s.key(&n)
			if err != nil {
				return nil, err
			}
			if k == nil {
				return m, nil
			}
			key := string(k)
			if m[key], err = walk(s); err != nil {
				return nil, err
			}
		}
	case '[':
		s.pos++
		s.depth++
		a := []any{}
		for n := 0; ; {
			more, err := s.elem(&n)
			if err != nil {
				return nil, err
			}
			if !more {
				return a, nil
			}
			v, err := walk(s)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case '"':
		b, err := s.str()
		return string(b), err
	case 'n':
		return nil, s.literal("null")
	case 't':
		return true, s.literal("true")
	case 'f':
		return false, s.literal("false")
	}
	b, err := s.number()
	if err != nil {
		return nil, err
	}
	var f float64
	_, err = fmt.Sscan(string(b), &f)
	return f, err
}

func TestJSONScanErrors(t *testing.T) {
	cases := []struct {
		doc  string
		skip bool // skip the document rather than decode it
		line int64
		msg  string
	}{
		{"", true, 1, "unexpected end of file (truncated JSON?): want a JSON value"},
		{"\n\n  [1, 2", true, 3, "unexpected end of file (truncated JSON?): 1 unclosed bracket(s)"},
		{"\n\n  [1, 2", false, 3, "unexpected end of file (truncated JSON?): want ',' or ']'"},
		{"[\"abc", true, 1, "unterminated string"},
		{"[\n\"a\\", true, 2, "unterminated string"},
		{"[\n\"a\\", false, 2, "unterminated string"},
		{"[1,\n 2,\n }", true, 3, "want a matching bracket"},
		{"[\n\n\x00]", true, 3, "binary data (NUL byte)"},
		{"[\n\n\x00]", false, 3, "binary data (NUL byte)"},
		{"\n\xff", true, 2, "invalid UTF-8"},
		{"{\"a\":\n\"\\q\"}", false, 2, "unknown escape"},
		{"{\"a\":\n\"\\u12x4\"}", false, 2, "bad \\u escape"},
		{"{\"a\":\n\"\\x4\"}", false, 2, "bad \\x escape"},
		{"[\n  nul]", false, 2, "want null"},
		{"[\n  @]", false, 2, "invalid JSON: unexpected '@', want a number"},
		{"@", true, 1, "invalid JSON: unexpected '@', want a JSON value"},
		{"{\n\"a\" 1}", false, 2, "want ':'"},
		{"{\"a\": 1,\n}", false, 2, "want a string"},
		{"[1\n 2]", false, 2, "want ',' or ']'"},
	}
	for _, c := range cases {
		for _, size := range []int{1, 4, 0} {
			// Decoding checks everything; skipping only nesting, strings,
			// NUL bytes and the value at its top.
			s := scannerOf(c.doc, size)
			var err error
			if c.skip {
				err = s.skip()
			} else {
				_, err = walk(s)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) || pe.Path != "t.json" {
				t.Errorf("size %d: %q: err = %v, want line %d %q", size, c.doc, err, c.line, c.msg)
			}
		}
	}
}

func TestJSONScanTooLong(t *testing.T) {
	// A string past the message size limit is skipped, not held, and
	// reported with the line it began on; what follows is read.
	for _, size := range []int{3, 64, 0} {
		for _, body := range []string{strings.Repeat("x", 300), strings.Repeat(`x\n`, 100)} {
			s := scannerOf("[\n\"short\",\n\""+body+"\",\n\"after\"]", size)
			s.max = 100
			if err := s.enter('[', "an array"); err != nil {
				t.Fatal(err)
			}
			var got []string
			for n := 0; ; {
				more, err := s.elem(&n)
				if err != nil {
					t.Fatal(err)
				}
				if !more {
					break
				}
				b, err := s.str()
				var pe *ParseError
				switch {
				case err == nil:
					got = append(got, string(b))
				case errors.As(err, &pe) && errors.Is(err, errValueTooLarge):
					got = append(got, fmt.Sprintf("too large at %d", pe.Line))
				default:
					t.Fatal(err)
				}
			}
			if want := "[short too large at 3 after]"; fmt.Sprint(got) != want {
				t.Errorf("size %d: got %v, want %s", size, got, want)
			}
		}
	}
	// A number, likewise.
	s := scannerOf("[\n1"+strings.Repeat("0", 200)+"]", 16)
	s.max = 100
	if err := s.enter('[', "an array"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.number(); !errors.Is(err, errValueTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func TestJSONScanLines(t *testing.T) {
	doc := "{\n \"a\": [\n  1,\n  \"x\\ny\"\n ],\n \"b\": {\n  \"c\": null\n }\n}\n"
	for _, size := range scanSizes {
		s := scannerOf(doc, size)
		var lines []int64
		if err := s.enter('{', "{"); err != nil {
			t.Fatal(err)
		}
		for n := 0; ; {
			k, err := s.key(&n)
			if err != nil {
				t.Fatal(err)
			}
			if k == nil {
				break
			}
			lines = append(lines, s.lineAt(s.pos))
			if err := s.skip(); err != nil {
				t.Fatal(err)
			}
		}
		if fmt.Sprint(lines) != "[2 6]" || !s.atEnd() {
			t.Errorf("size %d: lines %v", size, lines)
		}
	}
}

func TestStrArena(t *testing.T) {
	var a strArena
	buf := []byte("hello")
	s1 := a.str(buf)
	buf[0] = 'j'
	s2 := a.str(buf)
	big := a.str([]byte(strings.Repeat("z", arenaChunk)))
	if s1 != "hello" || s2 != "jello" || len(big) != arenaChunk || a.str(nil) != "" {
		t.Fatalf("arena strings: %q %q", s1, s2)
	}
}

// BenchmarkJSONScanSkip is the scanner's floor: skipping a whole Telegram
// export as one value, decoding nothing.
func BenchmarkJSONScanSkip(b *testing.B) {
	path := writeTelegram(b, jsonBenchRecords)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		s := newJSONScanner(f, "telegram-json", path)
		if err := s.skip(); err != nil {
			b.Fatal(err)
		}
		if !s.atEnd() {
			b.Fatalf("data after the document at %d", s.pos)
		}
		f.Close()
	}
	b.ReportMetric(float64(jsonBenchRecords*int64(b.N))/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(jsonBenchRecords*int64(b.N))/(cpuTime()-cpu0).Seconds(), "msgs/cpu-s")
}
