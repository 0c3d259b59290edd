package ingest

import (
	"database/sql/driver"
	"reflect"
	"testing"
	"time"
)

func TestPackedBatchRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 17, 8, 0, 0, 123456789, time.UTC)
	rows := [][]driver.Value{
		{int64(1), int64(-7), at, "join", "referral", int64(1 << 62), int64(3), int64(10)},
		{int64(0), int64(1<<63 - 1), time.Unix(-62135596800, 0).UTC(), "", nil, nil, int64(-1 << 63), int64(0)},
		{int64(42), int64(42), time.Date(1600, 1, 1, 0, 0, 0, 1, time.UTC), "张伟|星河", "qr", int64(5), int64(2), int64(1 << 40)},
	}
	b := newBatch("stage_events", 8)
	for _, r := range rows {
		b.add(r...)
	}
	got := b.pack().unpack()
	if got.table != b.table || got.width != b.width || !reflect.DeepEqual(got.vals, b.vals) {
		t.Fatalf("round trip:\n got %v\nwant %v", got.vals, b.vals)
	}
}
