// Command ckpi turns chat-group exports into community KPIs and weekly
// reports. See README.md for usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
)

func main() {
	// Parsing allocates short-lived strings at a high rate over a small live
	// heap (tens of MB): collecting less often buys 10-15% of ingest speed
	// for a few tens of MB. GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		go keepHeapCeiling()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root := newRootCmd()
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ckpi: "+oneLine(err, verbose(root)))
		var exit *exitError
		if errors.As(err, &exit) {
			os.Exit(exit.code)
		}
		os.Exit(1)
	}
}
