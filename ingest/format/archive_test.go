package format

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// writeZip writes entries (name -> content) as a deflated ZIP.
func writeZip(t *testing.T, entries map[string][]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.zip")
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range entries {
		ew, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		ew.Write(body) //nolint:errcheck // a bytes.Buffer does not fail
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenZipRefusesABomb(t *testing.T) {
	// 400 MB of zeros deflate to about 400 KB: a ratio of ~1000.
	bomb := writeZip(t, map[string][]byte{"channels.json": bytes.Repeat([]byte{0}, 400<<20)})
	fsys, c, err := OpenZip(bomb)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := fsys.Open("channels.json")
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, f)
	if !errors.Is(err, ErrArchiveLimit) || n > 101<<20 {
		t.Fatalf("read %d MB, err %v: want a refusal at 100 MB", n>>20, err)
	}
}

func TestOpenZipReadsAnExport(t *testing.T) {
	text := bytes.Repeat([]byte(`{"text":"你好 hello","ts":"1700000000.000100"},`), 1000)
	fsys, c, err := OpenZip(writeZip(t, map[string][]byte{"general/2026-11-16.json": text}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := fs.ReadFile(fsys, "general/2026-11-16.json")
	if err != nil || !bytes.Equal(got, text) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
}

func TestDirFSDoesNotFollowLinks(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("root:x:0:0"), 0o644) //nolint:errcheck // checked by the read below
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "general"), 0o755)                                      //nolint:errcheck
	os.WriteFile(filepath.Join(dir, "general", "2026-11-16.json"), []byte("[]"), 0o644) //nolint:errcheck
	if err := os.Symlink(outside, filepath.Join(dir, "general", "2026-11-17.json")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	fsys := DirFS(dir)
	if _, err := fs.ReadFile(fsys, "general/2026-11-16.json"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"general/2026-11-17.json", "linked/secret.txt"} {
		b, err := fs.ReadFile(fsys, name)
		if !errors.Is(err, ErrArchiveLimit) || len(b) > 0 {
			t.Errorf("%s: read %q, err %v: want a refusal", name, b, err)
		}
	}
}
