// Command ckpi-bench measures ckpi end to end on a generated community and
// prints one table (and writes it as JSON): ingest of the QQ and Telegram
// exports, DuckDB's own read_csv of the same messages, the metric
// catalogue, the weekly report, and the chat-analytics CLI on the same
// Telegram export. `make bench` runs it; the data is generated once and
// kept in --data.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

type config struct {
	bin, data, out string
	groups, weeks  int
	runs           int
	messages       int64
	peerMessages   int64
	week           string
	skipPeer       bool
	sizes          string
}

func main() {
	var c config
	flag.StringVar(&c.bin, "ckpi", "bin/ckpi", "the ckpi binary to measure")
	flag.StringVar(&c.data, "data", "bench-data", "folder for generated exports and databases (kept between runs)")
	flag.StringVar(&c.out, "json", "bench/results.json", "where to write the results")
	flag.IntVar(&c.groups, "groups", 1000, "groups in the community")
	flag.IntVar(&c.weeks, "weeks", 12, "weeks of history")
	flag.Int64Var(&c.messages, "messages", 10_000_000, "messages in the community")
	flag.Int64Var(&c.peerMessages, "peer-messages", 1_000_000, "messages of the export both ckpi and chat-analytics read")
	flag.StringVar(&c.week, "week", "2026-W47", "the report week, last week of the history")
	flag.IntVar(&c.runs, "runs", 2, "runs of each timed command; the fastest counts")
	flag.BoolVar(&c.skipPeer, "skip-peer", false, "do not run chat-analytics")
	flag.StringVar(&c.sizes, "scale", "", "comma-separated message counts to measure ingest growth at, e.g. 1000000,10000000,50000000")
	flag.Parse()
	if err := run(context.Background(), c); err != nil {
		fmt.Fprintln(os.Stderr, "ckpi-bench:", err)
		os.Exit(1)
	}
}

// row is one line of the results table.
type row struct {
	What     string  `json:"what"`
	Seconds  float64 `json:"seconds"`
	Messages int64   `json:"messages,omitempty"`
	MsgsPerS float64 `json:"msgs_per_s,omitempty"`
	MBPerS   float64 `json:"mb_per_s,omitempty"`
	PeakMB   float64 `json:"peak_rss_mb,omitempty"`
	Note     string  `json:"note,omitempty"`
}

type results struct {
	Machine string    `json:"machine"`
	When    time.Time `json:"when"`
	Runs    int       `json:"runs"` // of each command run by the ckpi binary or chat-analytics; the fastest counts
	Rows    []row     `json:"rows"`
}

func run(ctx context.Context, c config) error {
	res := results{Machine: machine(), When: time.Now().UTC(), Runs: max(c.runs, 1)}
	add := func(r row) {
		res.Rows = append(res.Rows, r)
		fmt.Fprintf(os.Stderr, "  %-58s %8.2f s\n", r.What, r.Seconds)
	}
	big, err := community(ctx, c, c.messages, "qq,telegram", true)
	if err != nil {
		return err
	}
	// Child processes first: a child's peak RSS counts the parent's memory
	// at fork, so the steps that open DuckDB in this process come last.
	if err := measureIngest(ctx, c, big, add); err != nil {
		return err
	}
	if err := measureReport(ctx, c, big, add); err != nil {
		return err
	}
	if !c.skipPeer {
		if err := measurePeer(ctx, c, add); err != nil {
			return err
		}
	}
	if c.sizes != "" {
		if err := measureScale(ctx, c, add); err != nil {
			return err
		}
	}
	if err := measureReadCSV(ctx, c, big, add); err != nil {
		return err
	}
	if err := measureMetrics(ctx, c, big, add); err != nil {
		return err
	}
	printTable(res)
	if err := os.MkdirAll(filepath.Dir(c.out), 0o755); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	return os.WriteFile(c.out, append(b, '\n'), 0o644)
}

func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, model, _ = strings.Cut(l, ":")
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores, %s/%s", strings.TrimSpace(model), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
}

func printTable(res results) {
	fmt.Printf("\nckpi benchmark — %s — %s — fastest of %d runs\n\n", res.Machine, res.When.Format("2006-01-02"), res.Runs)
	fmt.Println("| what | seconds | messages/s | MB/s | peak RSS MB | note |")
	fmt.Println("|---|---:|---:|---:|---:|---|")
	for _, r := range res.Rows {
		fmt.Printf("| %s | %.2f | %s | %s | %s | %s |\n", r.What, r.Seconds, num(r.MsgsPerS, "%.0f"), num(r.MBPerS, "%.1f"), num(r.PeakMB, "%.0f"), r.Note)
	}
}

func num(v float64, f string) string {
	if v == 0 {
		return ""
	}
	return fmt.Sprintf(f, v)
}
