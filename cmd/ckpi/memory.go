package main

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
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

// parseSize reads a size such as 4MB, 64MiB or 1GB (KB, MB, GB: powers of
// 1024, as DuckDB reads --memory) into bytes.
func parseSize(flag, size string) (int, error) {
	m := memorySize.FindStringSubmatch(size)
	if m == nil {
		return 0, fmt.Errorf("%s %q: give a size such as 4MB or 64MB", flag, size)
	}
	n, _ := strconv.ParseFloat(strings.TrimRight(size, "KMGTiB"), 64)
	unit := strings.TrimSuffix(strings.TrimPrefix(size, strings.TrimRight(size, "KMGTiB")), "iB")
	shift := map[string]uint{"K": 10, "KB": 10, "M": 20, "MB": 20, "G": 30, "GB": 30, "T": 40, "TB": 40}[unit]
	v := n * float64(uint64(1)<<shift)
	if v < 1 || v > 1<<40 {
		return 0, fmt.Errorf("%s %q: out of range", flag, size)
	}
	return int(v), nil
}
