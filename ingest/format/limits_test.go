package format

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// repeated yields n copies of one byte without holding them.
type repeated struct {
	b byte
	n int64
}

func (r *repeated) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

// hugeLine is head, then a line of 200 MB of 'x' on its own line, then tail.
func hugeLine(head, tail string) io.Reader {
	return io.MultiReader(strings.NewReader(head), &repeated{'x', 200 << 20}, strings.NewReader(tail))
}

// allocated is how many bytes fn allocated.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// One 200 MB line in a text export is refused at its line number with the
// size limit, read through without being held: the old line reader grew a
// buffer to the line's size (1.5 GB in the loader) and named nothing.
func TestHugeLineRefusedWithItsLine(t *testing.T) {
	cases := []struct {
		name string
		f    Format
		head string
		tail string
		line int64
	}{
		{"qq-txt", QQText{}, "消息记录（此消息记录为文本格式，不支持重新导入）\n\n================================================================\n消息分组:我的QQ群\n================================================================\n消息对象:星河产品交流群\n================================================================\n\n2026-11-02 10:00:00 小美(10001)\n",
			"\n\n2026-11-02 10:01:00 小美(10001)\n好\n", 10},
		{"whatsapp-txt", WhatsAppText{}, "12/28/25, 9:00 PM - Alice Chen: hello\n12/28/25, 9:01 PM - Alice Chen: ",
			"\n12/28/25, 9:02 PM - Alice Chen: bye\n", 2},
		{"wechat-plain-csv", WeChatPlainCSV{}, "time,sender,content,group\n2026-11-16 09:00:00,王芳,hi,星河\n2026-11-16 09:01:00,王芳,\"",
			"\",星河\n2026-11-16 09:02:00,王芳,bye,星河\n", 3},
		{"orders-csv", OrdersCSV{}, "order_id,customer_key,ordered_at,amount,currency,product,status\nA1,k1,2026-11-16 09:00:00,10.00,CNY,x,paid\nA2,k1,2026-11-16 09:01:00,10.00,CNY,\"",
			"\",paid\n", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			n := allocated(func() {
				err = c.f.Parse(context.Background(), Input{Path: "big.txt", R: hugeLine(c.head, c.tail), TZ: time.UTC}, &recorder{})
			})
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrTooLong) || pe.Line != c.line || pe.Path != "big.txt" {
				t.Fatalf("err = %v, want big.txt:%d longer than the message size limit", err, c.line)
			}
			if n > 64<<20 {
				t.Errorf("allocated %d MB reading a 200 MB line: it was held", n>>20)
			}
			t.Logf("%v; allocated %.1f MB", err, float64(n)/(1<<20))
		})
	}
}

// The limit is Input.MaxMessage when set (the loader's --max-message).
func TestLineLimitFromInput(t *testing.T) {
	text := "short\n" + strings.Repeat("y", 300) + "\nend\n"
	in := Input{Path: "a.txt", MaxMessage: 200}
	lr := in.lineReader(strings.NewReader(text), "qq-txt")
	if l, err := lr.next(); err != nil || string(l) != "short" {
		t.Fatalf("first line: %q %v", l, err)
	}
	if _, err := lr.next(); !errors.Is(err, ErrTooLong) || !strings.Contains(err.Error(), "a.txt:2:") {
		t.Fatalf("300-byte line under a 200-byte limit: %v", err)
	}
	in.MaxMessage = 400
	lr = in.lineReader(strings.NewReader(text), "qq-txt")
	for i := 0; i < 3; i++ {
		if _, err := lr.next(); err != nil {
			t.Fatalf("line %d under a 400-byte limit: %v", i+1, err)
		}
	}
	// A long line beyond the reader's buffer, within the limit, is read.
	in.MaxMessage = 1 << 20
	long := strings.Repeat("z", 600<<10)
	lr = in.lineReader(strings.NewReader(long+"\nx\n"), "qq-txt")
	if l, err := lr.next(); err != nil || len(l) != len(long) {
		t.Fatalf("a 600 KiB line under 1 MiB: %d bytes, %v", len(l), err)
	}
	if l, err := lr.next(); err != nil || string(l) != "x" {
		t.Fatalf("after it: %q %v", l, err)
	}
}

// A CSV quote never closed is reported at the line it opens on, not at the
// end of the file (the old error named the last line).
func TestCSVUnclosedQuoteNamesItsLine(t *testing.T) {
	text := "time,sender,content\n" +
		"2026-11-16 09:00:00,王芳,hi\n" +
		"2026-11-16 09:01:00,王芳,\"an open quote\n" +
		strings.Repeat("2026-11-16 09:02:00,张伟,more\n", 20)
	_, err := parseString(t, WeChatPlainCSV{}, text)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 {
		t.Fatalf("err = %v, want line 3", err)
	}
	// A quoted field over several lines moves the next record's line on.
	text = "time,sender,content\n" +
		"2026-11-16 09:00:00,王芳,\"two\nlines\"\n" +
		"2026-11-16 09:01:00,王芳,\"open\n" +
		"2026-11-16 09:02:00,张伟,more\n"
	if _, err = parseString(t, WeChatPlainCSV{}, text); !errors.As(err, &pe) || pe.Line != 4 {
		t.Fatalf("err = %v, want line 4", err)
	}
}
