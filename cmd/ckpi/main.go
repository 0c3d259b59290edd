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
	os.Exit(run(os.Args[1:]))
}

// run executes the command line and returns the exit code: 0 done, 1 an
// error, 2 a usage error, 130 interrupted by SIGINT (whatever the command
// made of its cancelled context, and even if it then finished: a script
// must know the run was cut short).
func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	interrupted := ctx.Err() != nil
	if err == nil && interrupted {
		err = errors.New("interrupted")
	}
	if err == nil {
		return 0
	}
	// User text (a group's name, a line of an export) can be in an error:
	// no escape sequence of it reaches the terminal.
	fmt.Fprintln(os.Stderr, "ckpi: "+terminalLines(oneLine(err, verbose(root))))
	var exit *exitError
	switch {
	case interrupted:
		return codeInterrupted
	case errors.As(err, &exit):
		return exit.code
	}
	return codeError
}
