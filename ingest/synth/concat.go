package synth

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ConcatQQ writes out, one QQ export holding the groups of all the QQ
// exports (*.txt) of dir/qq, or of dir itself when it has no qq folder, in
// name order: as QQ's message manager writes an export of several chats,
// the banner comes once and each group is a 消息分组/消息对象 section. out
// is replaced; a byte order mark of the first file is kept.
func ConcatQQ(dir, out string) (err error) {
	src := filepath.Join(dir, "qq")
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		src = dir
	}
	files, err := filepath.Glob(filepath.Join(src, "*.txt"))
	if err != nil {
		return err
	}
	slices.Sort(files)
	// Not out itself, when it is in the folder.
	if abs, err := filepath.Abs(out); err == nil {
		files = slices.DeleteFunc(files, func(f string) bool {
			a, err := filepath.Abs(f)
			return err == nil && a == abs
		})
	}
	if len(files) == 0 {
		return fmt.Errorf("synth: no QQ exports (*.txt) in %s", src)
	}
	// Write to a temporary file first: out may be one of the inputs'
	// neighbours, and a failed run should not leave half a file.
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	for i, f := range files {
		if err = appendQQ(tmp, f, i == 0); err != nil {
			return fmt.Errorf("synth: %s: %w", f, err)
		}
	}
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp made it 0600
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// appendQQ copies one export to dst; after the first, from its first
// separator line on (without the BOM and the banner).
func appendQQ(dst *os.File, path string, first bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if !first {
		head := make([]byte, 4096)
		n, err := io.ReadFull(f, head)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return err
		}
		i := bytes.Index(head[:n], []byte(qqSeparator))
		if i < 0 || !isBanner(head[:i]) {
			return errors.New("not a QQ export: no banner and separator at its start")
		}
		if _, err := f.Seek(int64(i), io.SeekStart); err != nil {
			return err
		}
	}
	_, err = io.Copy(dst, f)
	return err
}

// isBanner reports whether b, what precedes an export's first separator,
// is its BOM, banner and empty lines.
func isBanner(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	s := strings.TrimSpace(string(b))
	return s == "" || s == qqBanner
}
