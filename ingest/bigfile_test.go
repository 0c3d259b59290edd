package ingest_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/ingest"
)

var bodies = []string{
	"大家好，今天的活动几点开始？",
	"[图片]",
	"[表情]",
	"收到，谢谢管理员！",
	"这个版本的新功能很好用，推荐大家试试",
	"@小美 请问发票怎么开",
	"Anyone tried the new release? https://example.com/notes",
	"#打卡 第12天",
}

// writeQQ writes a QQ export of n messages in 20 groups-worth of senders,
// one message every few seconds, and returns its path.
func writeQQ(t testing.TB, n int, corruptAt int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("qq-%d.txt", n))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, "消息记录（此消息记录为文本格式，不支持重新导入）\n\n================================================================\n消息分组:我的QQ群\n================================================================\n消息对象:压测群\n================================================================\n\n")
	ts := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		ts = ts.Add(time.Duration(1+i%7) * time.Second)
		uid := 100000 + (i*7919)%5000
		if i == corruptAt {
			fmt.Fprint(w, "\x00\x01corrupt\n")
		}
		fmt.Fprintf(w, "%s 成员%d|某某科技|杭州(%d)\n%s\n\n", ts.Format("2006-01-02 15:04:05"), uid, uid, bodies[i%len(bodies)])
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// Batches of the first part of a file are already in staging when the bad
// line is read: the transaction must take them back out.
func TestErrorLateInFileRollsBack(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db, community)
	before := snapshot(t, db)
	path := writeQQ(t, 60000, 50000)
	r := load(t, db, path, ingest.Options{})
	if r.Err == nil {
		t.Fatal("corrupt file loaded")
	}
	if got := r.Err.Error(); !strings.Contains(got, ":150009: binary data") {
		t.Fatalf("error = %q, want the corrupt line 150009 (8 header lines + 3 per message)", got)
	}
	after := snapshot(t, db)
	// The refused file leaves one failed ingest_log row, nothing else.
	before["ingest_log"]++
	if !equalCounts(before, after) {
		t.Fatalf("counts changed:\nbefore %v\nafter  %v", before, after)
	}
	var status, msg string
	if err := db.QueryRow(`SELECT status, message FROM ingest_log WHERE path = ?`, path).Scan(&status, &msg); err != nil {
		t.Fatal(err)
	}
	if status != "failed" || !strings.Contains(msg, ":150009: binary data") {
		t.Fatalf("ingest_log row = %s %q, want failed naming line 150009", status, msg)
	}
}

func TestCancelMidFileLeavesDatabaseUnchanged(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db, community)
	before := snapshot(t, db)
	path := writeQQ(t, 200000, -1)
	ctx, cancel := context.WithCancel(context.Background())
	var cancelled bool
	r := ingest.LoadFile(ctx, db, path, ingest.Options{TZ: shanghai, Progress: func(p ingest.Progress) {
		if !cancelled && p.Bytes > p.Size/3 {
			cancelled = true
			cancel()
		}
	}})
	if !cancelled || !errors.Is(r.Err, context.Canceled) {
		t.Fatalf("cancelled=%v err=%v, want context.Canceled mid-file", cancelled, r.Err)
	}
	if after := snapshot(t, db); !equalCounts(before, after) {
		t.Fatalf("counts changed:\nbefore %v\nafter  %v", before, after)
	}
	// The same file loads fine afterwards.
	if r := load(t, db, path, ingest.Options{}); r.Err != nil || r.Rows != 200000 {
		t.Fatalf("reload: %+v", r)
	}
	if got := count(t, db, `SELECT count(*) FROM messages`); got != before["messages"]+200000 {
		t.Fatalf("messages = %d", got)
	}
}
