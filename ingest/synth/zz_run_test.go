package synth

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestZZRun(t *testing.T) {
	dir := os.Getenv("SYNTH_OUT")
	if dir == "" {
		t.Skip()
	}
	cfg := Default()
	fmt.Sscan(os.Getenv("SYNTH_MSGS"), &cfg.Messages)
	fmt.Sscan(os.Getenv("SYNTH_GROUPS"), &cfg.Groups)
	cfg.End = time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	t0 := time.Now()
	s, err := Generate(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(t0)
	fmt.Printf("%+v\n%v %.0f msgs/s %.1f MB/s %.1f B/msg\n", s, el, float64(s.Messages)/el.Seconds(), float64(s.Bytes)/1e6/el.Seconds(), float64(s.Bytes)/float64(s.Messages))
}
