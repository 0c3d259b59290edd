package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/ckpi/ckpi/ingest"
)

// progress draws one bar over all files on a terminal, with bytes/s and
// rows/s, and stays silent when output is piped or redirected.
type progress struct {
	bar   *progressbar.ProgressBar
	base  int64 // bytes of the files already done
	rows  int64 // rows of the files already done
	start time.Time
}

func newProgress(w io.Writer, total int64) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	return &progress{start: time.Now(), bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p *progress) update(u ingest.Progress) {
	if p.bar == nil {
		return
	}
	rows := p.rows + u.Rows
	rate := float64(rows) / time.Since(p.start).Seconds()
	p.bar.Describe(fmt.Sprintf("%s  %.0fk rows/s", shortPath(u.Path), rate/1000))
	p.bar.Set64(p.base + u.Bytes) //nolint:errcheck // drawing only
}

func (p *progress) endFile(r ingest.Result) {
	p.base += r.Bytes
	p.rows += r.Rows
	if p.bar != nil {
		p.bar.Set64(p.base) //nolint:errcheck // drawing only
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish() //nolint:errcheck // drawing only
	}
}

// shortPath names a file by its folder and name: exports of many chats
// are often all called result.json, each in a folder of its chat.
func shortPath(path string) string {
	return filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path))
}
