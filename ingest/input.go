package ingest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/ckpi/ckpi/ingest/format"
	"github.com/zeebo/xxh3"
)

// source is an opened export: the raw bytes are hashed and counted as they
// are read, then decoded to UTF-8 for the parser.
type source struct {
	file *os.File
	size int64
	read atomic.Int64 // raw bytes consumed, for progress
	sum  *xxh3.Hasher
	enc  string
	text *bufio.Reader // decoded UTF-8
}

func openSource(path string) (*source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	s := &source{file: f, size: st.Size(), sum: xxh3.New()}
	raw := bufio.NewReaderSize(io.TeeReader(&countingReader{r: f, n: &s.read}, s.sum), 256<<10)
	s.text, s.enc = format.Decode(raw)
	return s, nil
}

// head returns the first decoded bytes without consuming them.
func (s *source) head() []byte {
	h, _ := s.text.Peek(format.HeadSize)
	return h
}

// checksum is the 128-bit XXH3 of every raw byte read so far (about ten
// times cheaper than SHA-256 on the parsing core; it names a file, it does
// not guard against forgery); after parsing it
// covers the whole file.
func (s *source) checksum() string {
	io.Copy(io.Discard, s.text) //nolint:errcheck // a parser may stop before EOF; hash the rest
	return checksumText(s.sum)
}

func (s *source) Close() error { return s.file.Close() }

// checksumFile is the checksum a source gives once the file is read through.
func checksumFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := xxh3.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return checksumText(h), nil
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func checksumText(h *xxh3.Hasher) string {
	b := h.Sum128().Bytes()
	return fmt.Sprintf("xxh3-128:%x", b[:])
}
