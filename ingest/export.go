package ingest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/ckpi/ckpi/ingest/format"

	"github.com/zeebo/xxh3"
)

// export is what one load reads: a file, decoded and hashed as it is read,
// or a folder export read by a DirFormat.
type export interface {
	total() int64    // bytes
	consumed() int64 // bytes read so far, for progress
	// parse reads the export with f; in carries the load's settings (zones,
	// language, --as-of, message size limit), the export fills in its path and reader.
	parse(ctx context.Context, f format.Format, in format.Input, sink format.Sink) error
	lines() int64              // text lines read by parse; 0 when not a text file
	checksum() (string, error) // of every byte, after parse
	// checksumAhead is the same checksum before parsing, at the cost of
	// reading the export an extra time.
	checksumAhead() (string, error)
	encoding() string
	Close() error
}

// openExport opens a file or folder and picks its format: the one given,
// else by detection.
func openExport(path string, opt Options) (export, format.Format, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if st.IsDir() {
		return openDirExport(path, opt)
	}
	src, err := openSource(path)
	if err != nil {
		return nil, nil, err
	}
	f := opt.Use
	switch {
	case f != nil:
	case opt.Format != "":
		f, err = format.FormatByName(opt.Format)
	default:
		f, err = format.Detect(path, src.head())
	}
	if err != nil {
		src.Close()
		return nil, nil, err
	}
	return fileExport{src, path, &lineCounter{r: src.text}}, f, nil
}

type fileExport struct {
	*source
	path string
	text *lineCounter // the decoded text, its lines counted as the parser reads
}

func (e fileExport) total() int64     { return e.size }
func (e fileExport) consumed() int64  { return e.read.Load() }
func (e fileExport) encoding() string { return e.enc }
func (e fileExport) checksum() (string, error) {
	return e.source.checksum(), nil
}
func (e fileExport) checksumAhead() (string, error) { return checksumFile(e.path) }
func (e fileExport) parse(ctx context.Context, f format.Format, in format.Input, sink format.Sink) error {
	in.Path, in.R = e.path, e.text
	return f.Parse(ctx, in, sink)
}
func (e fileExport) lines() int64 { return e.text.lines() }

func openDirExport(dir string, opt Options) (export, format.Format, error) {
	var found format.DirFormat
	for _, f := range format.Formats() {
		df, ok := f.(format.DirFormat)
		if !ok {
			continue
		}
		if (opt.Format != "" && f.Name() == opt.Format) || (opt.Format == "" && df.DetectDir(dir)) {
			found = df
			break
		}
	}
	if found == nil {
		return nil, nil, &format.ParseError{Path: dir, Msg: "a folder that is not a known export (a Slack export holds channel folders of per-day JSON files): pass its files instead", Err: format.ErrUnknownFormat}
	}
	var size int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || isLink(d) {
			return err
		}
		info, err := d.Info()
		if err == nil {
			size += info.Size()
		}
		return err
	})
	return &dirExport{dir: dir, size: size}, found, err
}

type dirExport struct {
	dir    string
	size   int64
	parsed atomic.Bool
}

func (e *dirExport) total() int64 { return e.size }
func (e *dirExport) consumed() int64 {
	if e.parsed.Load() {
		return e.size
	}
	return 0
}
func (e *dirExport) encoding() string { return "utf-8" }
func (e *dirExport) Close() error     { return nil }

func (e *dirExport) parse(ctx context.Context, f format.Format, in format.Input, sink format.Sink) error {
	defer e.parsed.Store(true)
	in.Path = e.dir
	return f.(format.DirFormat).ParseDir(ctx, in, sink)
}
func (e *dirExport) lines() int64 { return 0 }

func (e *dirExport) checksumAhead() (string, error) { return e.checksum() }

// checksum hashes every file's relative path and bytes, in walk order.
func (e *dirExport) checksum() (string, error) {
	h := xxh3.New()
	err := filepath.WalkDir(e.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || isLink(d) {
			return err
		}
		rel, _ := filepath.Rel(e.dir, p)
		fmt.Fprintf(h, "%s\x00", filepath.ToSlash(rel))
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(h, f)
		return err
	})
	return checksumText(h), err
}

// isLink tells a link inside an export folder: its target is not the
// export's (format.DirFS does not follow it either), so it is neither
// counted nor hashed.
func isLink(d fs.DirEntry) bool { return d.Type()&fs.ModeSymlink != 0 }

// IsExportDir reports whether a folder is itself one export (a Slack
// workspace export) rather than a folder of export files.
func IsExportDir(dir string) bool {
	for _, f := range format.Formats() {
		if df, ok := f.(format.DirFormat); ok && df.DetectDir(dir) {
			return true
		}
	}
	return false
}
