package format

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The chat tests' recorder keeps the rows of carriers too (Follows,
// Content), beside it, so that no chat parser's test file changes.
var (
	carrierMu       sync.Mutex
	recordedFollows = map[*recorder][]Follows{}
	recordedContent = map[*recorder][]Content{}
)

func (r *recorder) Follows(f *Follows) error {
	carrierMu.Lock()
	defer carrierMu.Unlock()
	recordedFollows[r] = append(recordedFollows[r], *f)
	return nil
}

func (r *recorder) Content(c *Content) error {
	carrierMu.Lock()
	defer carrierMu.Unlock()
	recordedContent[r] = append(recordedContent[r], *c)
	return nil
}

// follows and content are what r recorded of carriers.
func (r *recorder) follows() []Follows {
	carrierMu.Lock()
	defer carrierMu.Unlock()
	return recordedFollows[r]
}

func (r *recorder) content() []Content {
	carrierMu.Lock()
	defer carrierMu.Unlock()
	return recordedContent[r]
}

// Whatever an official account, forum or WeCom answer holds, its parser
// neither panics nor emits a row without its line, and a count is either
// given or NoCount, never below it.
func FuzzCarrierFormats(f *testing.F) {
	for _, dir := range []string{"wechat-oa", "discourse", "wecom"} {
		paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", dir, "*"))
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			if strings.HasSuffix(p, "golden.json") || strings.HasSuffix(p, ".xlsx") {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(b))
		}
	}
	formats := []Format{WeChatOAGrowth{}, WeChatOAContent{}, WeChatOAAPI{}, DiscourseJSON{},
		WeComArchive{}, WeComCustomers{}, WeComGroupChat{}, WeComStatistic{}}
	f.Fuzz(func(t *testing.T, text string) {
		for _, p := range formats {
			rec := &recorder{}
			in := Input{Path: "星河科技_getusersummary.json", R: strings.NewReader(text), TZ: time.UTC}
			if err := p.Parse(context.Background(), in, rec); err != nil {
				continue
			}
			for _, fl := range rec.follows() {
				if fl.Line < 1 || fl.New < NoCount || fl.Cancel < NoCount || fl.Cumulate < NoCount {
					t.Fatalf("%s: follows %+v", p.Name(), fl)
				}
			}
			for _, c := range rec.content() {
				if c.Line < 1 || c.Reads < NoCount || c.ReadUsers < NoCount || c.Shares < NoCount {
					t.Fatalf("%s: content %+v", p.Name(), c)
				}
			}
			for _, m := range rec.messages {
				if m.Line < 1 {
					t.Fatalf("%s: message %+v", p.Name(), m)
				}
			}
			for _, r := range rec.rejects {
				if r.Line < 1 {
					t.Fatalf("%s: reject %+v", p.Name(), r)
				}
			}
		}
	})
}
