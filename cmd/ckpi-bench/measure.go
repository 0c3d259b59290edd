package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// dataset is one generated community and where its pieces are.
type dataset struct {
	dir, qq, telegram string
	messages          int64
}

// community generates a community once (QQ and, when asked, Telegram
// one-file exports) and reuses it afterwards.
func community(ctx context.Context, c config, messages int64, formats string, oneFile bool) (dataset, error) {
	groups := c.groups
	if messages != c.messages {
		// Other sizes keep the groups the same size as the main community.
		groups = max(1, int(int64(c.groups)*messages/c.messages))
	}
	layout := "split"
	if oneFile {
		layout = "onefile"
	}
	dir := filepath.Join(c.data, fmt.Sprintf("community-%dg-%dw-%dm-%s-%s", groups, c.weeks, messages, strings.ReplaceAll(formats, ",", "+"), layout))
	d := dataset{dir: dir, qq: filepath.Join(dir, "qq-all.txt"), telegram: filepath.Join(dir, "telegram", "result.json"), messages: messages}
	if !oneFile {
		d.qq, d.telegram = filepath.Join(dir, "qq"), filepath.Join(dir, "telegram")
	}
	if _, err := os.Stat(filepath.Join(dir, ".done")); err == nil {
		return d, nil
	}
	fmt.Fprintf(os.Stderr, "generating %d messages in %d groups into %s\n", messages, groups, dir)
	if err := os.RemoveAll(dir); err != nil {
		return d, err
	}
	args := []string{"generate", "--groups", strconv.Itoa(groups), "--weeks", strconv.Itoa(c.weeks),
		"--messages", strconv.FormatInt(messages, 10), "--end", c.week, "--format", formats, "--out", dir}
	if oneFile {
		args = append(args, "--one-file")
	}
	_, err := runCmd(ctx, c.bin, args...)
	if err != nil {
		return d, err
	}
	return d, os.WriteFile(filepath.Join(dir, ".done"), nil, 0o644)
}

// measured is what a child process cost.
type measured struct {
	seconds float64
	peakMB  float64
	output  string
}

func runCmd(ctx context.Context, name string, args ...string) (measured, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	m := measured{seconds: time.Since(start).Seconds(), output: string(out)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.peakMB = float64(ru.Maxrss) / 1024 // Linux reports KiB
	}
	if err != nil {
		return m, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return m, nil
}

var loadedRows = regexp.MustCompile(`\(([a-z-]+), (\d+) rows`)

// fastest runs a command c.runs times, each after prepare, and keeps the
// fastest run: this machine's speed drifts by 10-15% from one minute to
// the next, and the fastest run is the one least disturbed.
func fastest(ctx context.Context, c config, prepare func(), name string, args ...string) (measured, error) {
	var best measured
	for i := 0; i < max(c.runs, 1); i++ {
		prepare()
		m, err := runCmd(ctx, name, args...)
		if err != nil {
			return m, err
		}
		if i == 0 || m.seconds < best.seconds {
			best = m
		}
	}
	return best, nil
}

// ingest loads one export into a fresh database with the ckpi binary.
func ingest(ctx context.Context, c config, file, db string) (row, error) {
	warm(file)
	m, err := fastest(ctx, c, func() {
		for _, suffix := range []string{"", ".wal"} {
			os.Remove(db + suffix)
		}
	}, c.bin, "--db", db, "ingest", file)
	if err != nil {
		return row{}, err
	}
	var n int64
	var format string
	matches := loadedRows.FindAllStringSubmatch(m.output, -1)
	for _, match := range matches {
		rows, _ := strconv.ParseInt(match[2], 10, 64)
		n, format = n+rows, match[1]
	}
	if n == 0 {
		return row{}, fmt.Errorf("ingest %s: no loaded line in %q", file, m.output)
	}
	size := diskSize(file)
	what := fmt.Sprintf("ckpi ingest, %s (%d file(s), %s)", format, len(matches), mb(size))
	return row{
		What: what, Seconds: m.seconds, Messages: n,
		MsgsPerS: float64(n) / m.seconds, MBPerS: float64(size) / 1e6 / m.seconds, PeakMB: m.peakMB,
	}, nil
}

// diskSize is the size of a file, or of every file below a folder.
func diskSize(path string) int64 {
	var n int64
	filepath.Walk(path, func(_ string, info os.FileInfo, err error) error { //nolint:errcheck // a size for a label
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}

// warm reads the files under path once, so that a timed run reads them
// from memory as every contender does, and not at the speed of this
// machine's disk (about 250 MB/s here: 16 s for the 4 GB Telegram export).
func warm(path string) {
	filepath.Walk(path, func(p string, info os.FileInfo, err error) error { //nolint:errcheck // only a cache warm-up
		if err == nil && !info.IsDir() {
			if f, err := os.Open(p); err == nil {
				io.Copy(io.Discard, f) //nolint:errcheck // only a cache warm-up
				f.Close()
			}
		}
		return nil
	})
}

func mb(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/1e6) }

func measureIngest(ctx context.Context, c config, d dataset, add func(row)) error {
	for _, f := range []struct{ file, db string }{
		{d.qq, filepath.Join(d.dir, "qq.duckdb")},
		{d.telegram, filepath.Join(d.dir, "telegram.duckdb")},
	} {
		r, err := ingest(ctx, c, f.file, f.db)
		if err != nil {
			return err
		}
		add(r)
	}
	return nil
}

// measureReadCSV times DuckDB loading the same messages from one flat CSV
// into a database file: the practical limit of any loader on this machine.
func measureReadCSV(ctx context.Context, c config, d dataset, add func(row)) error {
	flat := filepath.Join(d.dir, "messages.csv")
	if _, err := os.Stat(flat); err != nil {
		db, err := sql.Open("duckdb", filepath.Join(d.dir, "qq.duckdb"))
		if err != nil {
			return err
		}
		_, err = db.ExecContext(ctx, `COPY (SELECT message_id, group_id, member_id, ts, source_tz, kind, text, reply_to, file_id, line
			FROM messages) TO '`+literal(flat)+`' (HEADER)`)
		db.Close()
		if err != nil {
			return fmt.Errorf("writing %s: %w", flat, err)
		}
	}
	target := filepath.Join(d.dir, "read_csv.duckdb")
	os.Remove(target)
	warm(flat)
	start := time.Now()
	db, err := sql.Open("duckdb", target)
	if err != nil {
		return err
	}
	var n int64
	_, err = db.ExecContext(ctx, `CREATE TABLE messages AS SELECT * FROM read_csv('`+literal(flat)+`')`)
	if err == nil {
		err = db.QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&n)
	}
	if err == nil {
		_, err = db.ExecContext(ctx, `CHECKPOINT`)
	}
	db.Close()
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	st, _ := os.Stat(flat)
	add(row{What: "DuckDB read_csv of the same messages (flat CSV, " + mb(st.Size()) + ")", Seconds: secs, Messages: n,
		MsgsPerS: float64(n) / secs, MBPerS: float64(st.Size()) / 1e6 / secs, Note: "the loader's practical limit"})
	return nil
}

// literal quotes a path of ours for a SQL string literal (COPY takes no parameters).
func literal(s string) string { return strings.ReplaceAll(s, "'", "''") }

func measureMetrics(ctx context.Context, c config, d dataset, add func(row)) error {
	db, err := queries.Open(ctx, filepath.Join(d.dir, "qq.duckdb"))
	if err != nil {
		return err
	}
	defer db.Close()
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		return err
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	week, err := metrics.ParseWeek(c.week, loc)
	if err != nil {
		return err
	}
	for _, weeks := range []int{1, 52} {
		start := time.Now()
		for i := 0; i < weeks; i++ {
			if _, err := metrics.RunAll(ctx, db, cat.All(), metrics.Params{Period: week.Shift(-i)}); err != nil {
				return err
			}
		}
		add(row{What: fmt.Sprintf("metric catalogue (%d metrics), %d week(s), all groups", len(cat.All()), weeks),
			Seconds: time.Since(start).Seconds()})
	}
	return nil
}

func measureReport(ctx context.Context, c config, d dataset, add func(row)) error {
	m, err := fastest(ctx, c, func() {}, c.bin, "--db", filepath.Join(d.dir, "qq.duckdb"), "report", "weekly", "--week", c.week, "--out", filepath.Join(d.dir, "report"))
	if err != nil {
		return err
	}
	st, _ := os.Stat(filepath.Join(d.dir, "report", "weekly.html"))
	add(row{What: "weekly report (HTML + xlsx, 12-week trends)", Seconds: m.seconds, PeakMB: m.peakMB,
		Note: "weekly.html " + mb(st.Size())})
	return nil
}

// measurePeer runs the chat-analytics CLI (npm) and ckpi on the same
// Telegram export, each from export to HTML report.
func measurePeer(ctx context.Context, c config, add func(row)) error {
	// chat-analytics reads one chat per file: the per-group Telegram exports.
	d, err := community(ctx, c, c.peerMessages, "telegram", false)
	if err != nil {
		return err
	}
	node := filepath.Join(c.data, "node")
	cli := filepath.Join(node, "node_modules", "chat-analytics", "dist", "lib", "CLI.js")
	if _, err := os.Stat(cli); err != nil {
		if err := os.MkdirAll(node, 0o755); err != nil {
			return err
		}
		if _, err := runCmd(ctx, "npm", "install", "--prefix", node, "--no-audit", "--no-fund", "chat-analytics@1.1.2"); err != nil {
			return err
		}
	}
	warm(d.telegram)
	peer, err := fastest(ctx, c, func() {}, "node", "--max-old-space-size=16384", cli, "-p", "telegram",
		"-i", filepath.Join(d.telegram, "*", "result.json"), "-o", filepath.Join(d.dir, "chat-analytics.html"))
	if err != nil {
		return err
	}
	add(row{What: "chat-analytics 1.1.2 CLI, Telegram export -> HTML report", Seconds: peer.seconds, Messages: d.messages,
		MsgsPerS: float64(d.messages) / peer.seconds, PeakMB: peer.peakMB})

	db := filepath.Join(d.dir, "telegram.duckdb")
	in, err := ingest(ctx, c, d.telegram, db)
	if err != nil {
		return err
	}
	rep, err := fastest(ctx, c, func() {}, c.bin, "--db", db, "report", "weekly", "--week", c.week, "--out", filepath.Join(d.dir, "report"))
	if err != nil {
		return err
	}
	total := in.Seconds + rep.seconds
	add(row{What: "ckpi, same Telegram export -> ingest + weekly report", Seconds: total, Messages: in.Messages,
		MsgsPerS: float64(in.Messages) / total, PeakMB: max(in.PeakMB, rep.peakMB),
		Note: fmt.Sprintf("%.1fx faster than chat-analytics", peer.seconds/total)})
	return nil
}

// measureScale ingests the QQ export of communities of growing size.
func measureScale(ctx context.Context, c config, add func(row)) error {
	for _, s := range strings.Split(c.sizes, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return fmt.Errorf("--scale %q: %w", s, err)
		}
		d, err := community(ctx, c, n, "qq", true)
		if err != nil {
			return err
		}
		r, err := ingest(ctx, c, d.qq, filepath.Join(d.dir, "qq.duckdb"))
		if err != nil {
			return err
		}
		r.What = fmt.Sprintf("scale: ingest %gM-message QQ export", float64(n)/1e6)
		add(r)
		os.Remove(filepath.Join(d.dir, "qq.duckdb"))
	}
	return nil
}
