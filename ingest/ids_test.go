package ingest

import (
	"strconv"
	"strings"
	"testing"
)

// Ids are stored: a faster way to compute them must give the same values
// (the constants are what the first, streaming-hasher version gave).
func TestIDsAreStable(t *testing.T) {
	tests := []struct {
		got, want int64
	}{
		{hashID("qq", "12345"), 5759511707424233446},
		{hashID(), 1622210670741801569},
		{hashID(strings.Repeat("長", 100), "x"), hashID(strings.Repeat("長", 100) + "\x00x")},
		{externalMessageIDAfter(messageKeyPrefix(42), "1001"), hashID(strconv.FormatInt(42, 10), "msg", "1001")},
		{externalMessageIDAfter(messageKeyPrefix(-7), strings.Repeat("9", 200)), hashID("-7", "msg", strings.Repeat("9", 200))},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: id %d, want %d", i, tt.got, tt.want)
		}
	}
}
