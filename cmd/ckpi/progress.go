package main

import (
	"io"
	"os"
	"path/filepath"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress draws a bytes bar over all files on a terminal and stays silent
// when output is piped or redirected.
type progress struct {
	bar  *progressbar.ProgressBar
	base int64 // bytes of the files already done
}

func newProgress(w io.Writer, total int64) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100_000_000), // 100 ms
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p *progress) startFile(path string) {
	if p.bar != nil {
		p.bar.Describe(filepath.Base(path))
	}
}

func (p *progress) update(_ string, done, _ int64) {
	if p.bar != nil {
		p.bar.Set64(p.base + done) //nolint:errcheck // drawing only
	}
}

func (p *progress) endFile(size int64) {
	p.base += size
	p.update("", 0, 0)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish() //nolint:errcheck // drawing only
	}
}
