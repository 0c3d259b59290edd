package main

import (
	"context"
	"database/sql"
	"regexp"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// heapFloor is the Go heap ceiling while little is live.
const heapFloor = 256 << 20

// keepHeapCeiling holds the Go heap under the larger of heapFloor and
// three times the live data. GOGC 400 alone would let a big live set (the
// people of a 5,000-group export) grow the heap fivefold; a ceiling at or
// near the live set would make the collector run without pause, and even
// at twice it, collecting took a quarter of a 50M-message load.
func keepHeapCeiling() {
	debug.SetMemoryLimit(heapFloor)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for range time.Tick(250 * time.Millisecond) {
		metrics.Read(live)
		debug.SetMemoryLimit(max(heapFloor, 3*int64(live[0].Value.Uint64())))
	}
}

var memorySize = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// limitMemory caps DuckDB's buffer memory. SET takes no parameters, so the
// value is checked against a strict pattern before it is put in the
// statement.
func limitMemory(ctx context.Context, db *sql.DB, size string) error {
	if !memorySize.MatchString(size) {
		return usageErrorf("--memory %q: give a size such as 256MB or 2GB", size)
	}
	_, err := db.ExecContext(ctx, "SET memory_limit = '"+size+"'")
	return err
}
