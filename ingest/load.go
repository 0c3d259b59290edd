package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/ckpi/ckpi/queries"
)

// Options tune a load.
type Options struct {
	Format     string         // force a format by name; empty detects
	Use        Format         // a configured format (e.g. Mapped with its mapping); wins over Format
	TZ         *time.Location // zone of exports written in local time
	MaxRejects int64          // rows a file may reject and still load
	// Progress is called from the parsing goroutine with each batch.
	Progress func(Progress)
	Logger   *slog.Logger
}

// Status of one file after a load.
const (
	StatusLoaded  = "loaded"
	StatusSkipped = "skipped" // the same bytes were loaded before
	StatusFailed  = "failed"
)

// Result tells what happened to one file.
type Result struct {
	Path     string
	Format   string
	Encoding string
	Status   string
	Bytes    int64
	Rows     int64 // rows the parser produced (before dedupe)
	Rejected int64
	Rejects  []Reject // the first rejects, for the summary
	Duration time.Duration
	Err      error
}

// ErrRejected is wrapped by the error of a file whose bad rows exceeded
// Options.MaxRejects; the rows are in the rejects table.
var ErrRejected = errors.New("rows rejected")

// LoadFile loads one export in one transaction: all of its rows or none.
// Rows a parser rejects are kept in the rejects table with their reason even
// when the file is refused.
func LoadFile(ctx context.Context, db *sql.DB, path string, opt Options) Result {
	start := time.Now()
	res := Result{Path: path, Status: StatusFailed}
	err := loadFile(ctx, db, path, opt, &res)
	res.Duration = time.Since(start)
	if err != nil {
		res.Status, res.Err = StatusFailed, err
	}
	return res
}

func loadFile(ctx context.Context, db *sql.DB, path string, opt Options, res *Result) error {
	started := time.Now().UTC()
	if opt.TZ == nil {
		opt.TZ = time.UTC
	}
	src, format, err := openExport(path, opt)
	if err != nil {
		return err
	}
	defer src.Close()
	res.Bytes, res.Encoding, res.Format = src.total(), src.encoding(), format.Name()

	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			// The caller's context may be cancelled: roll back regardless.
			conn.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck // nothing more to do on failure
		}
	}()
	if _, err := conn.ExecContext(ctx, queries.Ingest("stage")); err != nil {
		return fmt.Errorf("staging: %w", err)
	}

	var fileID int64
	if err := conn.QueryRowContext(ctx, `SELECT nextval('file_id_seq')`).Scan(&fileID); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO stage_file VALUES (?, ?, ?)`, fileID, path, opt.TZ.String()); err != nil {
		return err
	}
	patterns, err := loadActivityPatterns(ctx, conn)
	if err != nil {
		return err
	}
	began := time.Now()
	col, parseErr := stream(ctx, conn, path, format, src, opt, newActivityDetector(patterns, opt.TZ))
	streamed := time.Now()
	res.Rows, res.Rejected, res.Rejects = col.rows, col.rejected, firstRejects(col.rejects)
	if parseErr != nil {
		return parseErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	checksum, err := src.checksum()
	if err != nil {
		return err
	}
	var seen int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM ingest_log WHERE checksum = ? AND status = 'loaded'`, checksum).Scan(&seen); err != nil {
		return err
	}
	if seen > 0 {
		res.Status = StatusSkipped
		return nil
	}
	if col.rejected > opt.MaxRejects {
		conn.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck // replaced by the failure record below
		committed = true
		first := col.rejects[0]
		err := fmt.Errorf("%s %s:%d: %w: %d row(s), first: %s", format.Name(), path, first.Line, ErrRejected, col.rejected, first.Reason)
		if logErr := recordFailure(ctx, db, path, checksum, format.Name(), src.total(), col, err); logErr != nil {
			return errors.Join(err, logErr)
		}
		return err
	}

	if err := dedupeMessages(ctx, conn, fileID, col.spans); err != nil {
		return fmt.Errorf("dedupe: %w", err)
	}
	if err := merge(ctx, conn, col); err != nil {
		return err
	}
	merged := time.Now()
	if err := insertRejects(ctx, conn, fileID, path, col.rejects); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO ingest_log VALUES (?, ?, ?, ?, ?, ?, ?, 'loaded', NULL, ?, timezone('UTC', now()))`,
		fileID, path, checksum, format.Name(), src.total(), col.rows, col.rejected, started); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return err
	}
	committed = true
	res.Status = StatusLoaded
	if opt.Logger != nil {
		opt.Logger.Debug("loaded", "file", path, "rows", col.rows, "path", LoadPath,
			"stream", streamed.Sub(began), "merge", merged.Sub(streamed), "commit", time.Since(merged))
	}
	return nil
}

// stream runs the parser and the collector in goroutines of their own and
// loads rows as they come, so the work spreads over the cores: messages through the fast
// stream straight into the messages table, other rows into staging tables.
func stream(ctx context.Context, conn *sql.Conn, path string, format Format, src export, opt Options, detector *activityDetector) (*collector, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	progress := func(int64) {}
	if opt.Progress != nil {
		progress = func(rows int64) {
			opt.Progress(Progress{Path: path, Bytes: src.consumed(), Size: src.total(), Rows: rows})
		}
	}
	col := newCollector(ctx, progress, detector)
	parseDone := make(chan error, 1)
	go func() {
		parseDone <- col.finish(relayTo(ctx, col, func(ctx context.Context, s Sink) error {
			return src.parse(ctx, format, opt.TZ, s)
		}))
	}()

	loadErr := consume(ctx, conn, col)
	if loadErr != nil {
		cancel()
		for range col.otherOut { // let the parser goroutine end
		}
	}
	parseErr := <-parseDone
	if parseErr != nil && !(loadErr != nil && errors.Is(parseErr, context.Canceled)) {
		return col, parseErr
	}
	return col, loadErr
}

// consume appends staging batches until the first message batch arrives,
// then runs the message stream, then appends whatever waited for it.
func consume(ctx context.Context, conn *sql.Conn, col *collector) error {
	msgs, other := col.msgOut, col.otherOut
	for msgs != nil || other != nil {
		select {
		case b, ok := <-other:
			if !ok {
				other = nil
				continue
			}
			if err := appendBatch(conn, b); err != nil {
				return err
			}
		case first, ok := <-msgs:
			if !ok {
				msgs = nil
				continue
			}
			if err := streamMessages(ctx, conn, prepend(first, msgs)); err != nil {
				return err
			}
			msgs = nil
		}
	}
	return nil
}

// prepend yields first, then everything from rest.
func prepend(first *messageColumns, rest <-chan *messageColumns) <-chan *messageColumns {
	out := make(chan *messageColumns, 1)
	out <- first
	go func() {
		defer close(out)
		for b := range rest {
			out <- b
		}
	}()
	return out
}

// appendBatch adds staged rows other than messages with DuckDB's appender.
func appendBatch(conn *sql.Conn, b *batch) error {
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", b.table)
		if err != nil {
			return err
		}
		for i, n := 0, b.rows(); i < n; i++ {
			if err := a.AppendRow(b.row(i)...); err != nil {
				a.Close() //nolint:errcheck // the append error says more
				return fmt.Errorf("%s line %v: %w", b.table, b.row(i)[b.width-1], err)
			}
		}
		return a.Close()
	})
}

// merge moves the staged rows into the canonical tables, running only the
// statements for the kinds of rows the file had: each costs a few
// milliseconds even on empty tables, which adds up over many small files.
func merge(ctx context.Context, conn *sql.Conn, col *collector) error {
	steps := []struct {
		name string
		rows int64
	}{
		{"merge_people", 1}, // every file has a group or a person
		{"merge_events", col.nEvents},
		{"merge_orders", col.nOrders},
		{"merge_activities", col.nActivities},
		{"insert_detected", col.nDetected()},
	}
	for _, s := range steps {
		if s.rows == 0 {
			continue
		}
		if _, err := conn.ExecContext(ctx, queries.Ingest(s.name)); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

// dedupeMessages removes the file's messages that earlier files brought,
// group by group, within the span the file covers in each.
func dedupeMessages(ctx context.Context, conn *sql.Conn, fileID int64, spans map[int64]*span) error {
	for gid, s := range spans {
		// A group no earlier file brought has no earlier messages: the
		// groups of this file are merged after this step.
		var known bool
		if err := conn.QueryRowContext(ctx, `SELECT count(*) > 0 FROM groups WHERE group_id = ?`, gid).Scan(&known); err != nil {
			return err
		}
		if !known {
			continue
		}
		if _, err := conn.ExecContext(ctx, queries.Ingest("dedupe_messages"),
			sql.Named("file_id", fileID), sql.Named("group_id", gid),
			sql.Named("first", s.first.UTC()), sql.Named("last", s.last.UTC())); err != nil {
			return err
		}
	}
	return nil
}

// Progress is how far the load of one file is.
type Progress struct {
	Path        string
	Bytes, Size int64 // raw bytes read, of the file's size
	Rows        int64 // rows parsed so far
}

func firstRejects(r []Reject) []Reject {
	if len(r) > 5 {
		return r[:5]
	}
	return r
}

// execer is a connection or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func insertRejects(ctx context.Context, conn execer, fileID int64, path string, rejects []Reject) error {
	for _, r := range rejects {
		if _, err := conn.ExecContext(ctx, `INSERT INTO rejects VALUES (?, ?, ?, ?, ?)`, fileID, path, r.Line, r.Reason, r.Raw); err != nil {
			return err
		}
	}
	return nil
}

// recordFailure keeps the rejects and a failed log entry of a refused file,
// in their own transaction, so the user can see every reason afterwards.
func recordFailure(ctx context.Context, db *sql.DB, path, checksum, format string, size int64, col *collector, cause error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var fileID int64
	if err := tx.QueryRowContext(ctx, `SELECT nextval('file_id_seq')`).Scan(&fileID); err != nil {
		return err
	}
	if err := insertRejects(ctx, tx, fileID, path, col.rejects); err != nil {
		return err
	}
	msg := cause.Error()
	if _, err := tx.ExecContext(ctx, `INSERT INTO ingest_log VALUES (?, ?, ?, ?, ?, 0, ?, 'failed', ?, timezone('UTC', now()), timezone('UTC', now()))`,
		fileID, path, checksum, format, size, col.rejected, strings.TrimSpace(msg)); err != nil {
		return err
	}
	return tx.Commit()
}
