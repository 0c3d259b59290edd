package format

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
)

// Limits on what an archive may expand to: a ZIP bomb is refused before it
// fills the memory or the disk, not after. Real exports compress 3-10x
// (chat JSON and text); a ratio of 100 or more over a whole archive is not
// an export.
const (
	MaxZipExpansion = 100      // uncompressed bytes per compressed byte, over the archive
	MaxZipBytes     = 64 << 30 // uncompressed bytes of one archive
)

// ErrArchiveLimit is wrapped by the error of an archive that expands past
// MaxZipExpansion or MaxZipBytes, or that holds a link.
var ErrArchiveLimit = errors.New("archive refused")

// OpenZip opens a ZIP export for reading as a file system that counts what
// it expands and refuses links and paths leaving the archive. Close the
// returned closer when done.
func OpenZip(path string) (fs.FS, io.Closer, error) {
	zr, err := zip.OpenReader(path)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return nil, nil, err
	}
	// klauspost's inflate is about twice as fast as the standard library's.
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(r) })
	var compressed int64
	for _, f := range zr.File {
		if f.Mode()&fs.ModeSymlink != 0 {
			zr.Close()
			return nil, nil, fmt.Errorf("%w: %s is a link", ErrArchiveLimit, f.Name)
		}
		compressed += int64(f.CompressedSize64)
	}
	limit := min(MaxZipBytes, max(compressed, 1<<20)*MaxZipExpansion)
	l := &limitedFS{fsys: &zr.Reader, limit: limit}
	l.left.Store(limit)
	return l, zr, nil
}

// limitedFS stops reading once its files together expand past limit.
type limitedFS struct {
	fsys  fs.FS
	left  atomic.Int64
	limit int64
}

func (l *limitedFS) Open(name string) (fs.File, error) {
	f, err := l.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	return &limitedFile{File: f, fs: l}, nil
}

type limitedFile struct {
	fs.File
	fs *limitedFS
}

func (f *limitedFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	if f.fs.left.Add(-int64(n)) < 0 {
		return n, fmt.Errorf("%w: it expands past %d MB (%dx its compressed size at most)", ErrArchiveLimit, f.fs.limit>>20, MaxZipExpansion)
	}
	return n, err
}

func (f *limitedFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if d, ok := f.File.(fs.ReadDirFile); ok {
		return d.ReadDir(n)
	}
	return nil, &fs.PathError{Op: "readdir", Err: errors.New("not a directory")}
}

// DirFS reads an unzipped export folder without following links: a file
// linked from inside the export to one outside it is not the export's.
func DirFS(dir string) fs.FS { return noLinkFS{dir: dir, fsys: os.DirFS(dir)} }

type noLinkFS struct {
	dir  string
	fsys fs.FS
}

func (n noLinkFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	// Every element of the path is checked: a linked folder leads out too.
	p := n.dir
	for _, part := range strings.Split(name, "/") {
		if part == "." {
			continue
		}
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if err != nil {
			return nil, err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w: a link", ErrArchiveLimit)}
		}
	}
	return n.fsys.Open(name)
}
