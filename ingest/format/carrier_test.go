package format

import "sync"

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
