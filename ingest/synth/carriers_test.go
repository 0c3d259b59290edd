package synth

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCarriers: the official account and the forum are written the same
// every time, leave the groups' files as they are without them, and every
// file is read by its parser.
func TestCarriers(t *testing.T) {
	cfg := Config{Groups: 3, Weeks: 3, Messages: 3000, Seed: 7, End: testEnd, TZ: time.FixedZone("CST", 8*3600)}
	plain, with, again := t.TempDir(), t.TempDir(), t.TempDir()
	if _, err := Generate(context.Background(), plain, cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Carriers = true
	sum, err := Generate(context.Background(), with, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), again, cfg); err != nil {
		t.Fatal(err)
	}
	if sum.FollowDays != 21 || sum.Articles != 6 || sum.ForumCategories != 3 || sum.ForumTopics == 0 || sum.ForumPosts < sum.ForumTopics {
		t.Errorf("summary %+v", sum)
	}
	for _, p := range sum.Files {
		rel, _ := filepath.Rel(with, p)
		a, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(again, rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from one run to the next", rel)
		}
		if strings.HasPrefix(rel, "official_account") || strings.HasPrefix(rel, "forum") {
			continue
		}
		c, err := os.ReadFile(filepath.Join(plain, rel))
		if err != nil || !bytes.Equal(a, c) {
			t.Errorf("%s changes with the carriers", rel)
		}
	}
}
