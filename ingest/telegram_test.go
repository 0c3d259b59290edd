package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// countSink counts what a parser emits and keeps nothing: the parser alone.
type countSink struct{ messages, events, rejects int64 }

func (c *countSink) Message(*Message) error             { c.messages++; return nil }
func (c *countSink) Event(*Event) error                 { c.events++; return nil }
func (c *countSink) Member(*Member) error               { return nil }
func (c *countSink) Order(*Order) error                 { return nil }
func (c *countSink) Reject(int64, string, string) error { c.rejects++; return nil }

var tgBenchTexts = []string{
	`"大家好，今天的活动几点开始？"`,
	`"收到，谢谢管理员！"`,
	`"这个版本的新功能很好用，推荐大家试试\n有问题随时找我"`,
	`"Anyone tried the new release? It fixed the sync issue for me."`,
	`"#打卡 第12天"`,
	`"OK"`,
}

// writeTelegram writes a single-chat result.json of n records (messages and
// one service message in 50) laid out the way Telegram Desktop writes it.
func writeTelegram(t testing.TB, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("telegram-%d.json", n))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, "{\n \"name\": \"压测群 Load test\",\n \"type\": \"private_supergroup\",\n \"id\": 1700000001,\n \"messages\": [")
	ts := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		ts = ts.Add(time.Duration(1+i%7) * time.Second)
		uid := 100000 + (i*7919)%5000
		if i > 0 {
			w.WriteString(",")
		}
		fmt.Fprintf(w, "\n  {\n   \"id\": %d,\n   \"type\": \"%s\",\n   \"date\": \"%s\",\n   \"date_unixtime\": \"%d\",\n",
			i+1, map[bool]string{true: "service", false: "message"}[i%50 == 49], ts.Format("2006-01-02T15:04:05"), ts.Unix())
		switch {
		case i%50 == 49:
			fmt.Fprintf(w, "   \"actor\": \"成员%d\",\n   \"actor_id\": \"user%d\",\n   \"action\": \"invite_members\",\n   \"members\": [\n    \"新人%d\"\n   ],\n   \"text\": \"\",\n   \"text_entities\": []\n  }", uid, uid, i)
			continue
		case i%10 == 3:
			fmt.Fprintf(w, "   \"from\": \"成员%d\",\n   \"from_id\": \"user%d\",\n   \"reply_to_message_id\": %d,\n   \"text\": [\n    \"看这里 \",\n    {\n     \"type\": \"mention\",\n     \"text\": \"@member%d\"\n    },\n    \" \",\n    {\n     \"type\": \"link\",\n     \"text\": \"https://example.com/notes\"\n    }\n   ],\n   \"text_entities\": [\n    {\n     \"type\": \"plain\",\n     \"text\": \"看这里 \"\n    },\n    {\n     \"type\": \"mention\",\n     \"text\": \"@member%d\"\n    },\n    {\n     \"type\": \"plain\",\n     \"text\": \" \"\n    },\n    {\n     \"type\": \"link\",\n     \"text\": \"https://example.com/notes\"\n    }\n   ]\n  }", uid, uid, i, uid+1, uid+1)
			continue
		case i%10 == 7:
			fmt.Fprintf(w, "   \"from\": \"成员%d\",\n   \"from_id\": \"user%d\",\n   \"photo\": \"photos/photo_%d@01-09-2026_08-00-00.jpg\",\n   \"width\": 1280,\n   \"height\": 960,\n   \"text\": \"\",\n   \"text_entities\": []\n  }", uid, uid, i)
			continue
		}
		text := tgBenchTexts[i%len(tgBenchTexts)]
		fmt.Fprintf(w, "   \"from\": \"成员%d\",\n   \"from_id\": \"user%d\",\n   \"text\": %s,\n   \"text_entities\": [\n    {\n     \"type\": \"plain\",\n     \"text\": %s\n    }\n   ]\n  }", uid, uid, text, text)
	}
	fmt.Fprint(w, "\n ]\n}\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

const jsonBenchRecords = 200000

func BenchmarkTelegramParse(b *testing.B) {
	path := writeTelegram(b, jsonBenchRecords)
	benchParse(b, TelegramJSON{}, path, jsonBenchRecords)
}

// benchParse parses a file b.N times, reporting MB/s and records/s.
func benchParse(b *testing.B, f Format, path string, records int64) {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		var c countSink
		if err := f.Parse(context.Background(), Input{Path: path, R: r, TZ: time.UTC}, &c); err != nil {
			b.Fatal(err)
		}
		r.Close()
		if got := c.messages + c.events; got != records || c.rejects != 0 {
			b.Fatalf("parsed %d records, %d rejects; want %d", got, c.rejects, records)
		}
	}
	b.ReportMetric(float64(records*int64(b.N))/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(st.Size())/float64(records), "bytes/msg")
}
