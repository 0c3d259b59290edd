package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ckpi/ckpi/ingest/format"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"golang.org/x/sync/errgroup"

	"github.com/ckpi/ckpi/queries"
)

// Options tune a load.
type Options struct {
	Format string         // force a format by name; empty detects
	Use    format.Format  // a configured format (e.g. format.Mapped with its mapping); wins over format.Format
	TZ     *time.Location // zone of exports written in local time
	// GroupTZ overrides TZ for the groups it names (by id or name): the
	// config's per-group timezone.
	GroupTZ    map[string]*time.Location
	Lang       string    // forced notice language (--lang); empty: detected
	AsOf       time.Time // when a member list without a time of its own was taken (--as-of)
	MaxRejects int64     // rows a file may reject and still load
	// MaxMessage is the largest message or line a parser accepts, in
	// bytes; 0 means format.DefaultMaxMessage.
	MaxMessage int
	// Progress is called from the loader's collector goroutine with each
	// batch; for files loaded together, Bytes and Rows count all of them.
	Progress func(Progress)
	Logger   *slog.Logger
}

// input is what every parser of the load is told.
func (opt Options) input() format.Input {
	return format.Input{TZ: opt.TZ, GroupTZ: opt.GroupTZ, Lang: opt.Lang, AsOf: opt.AsOf, MaxMessage: opt.MaxMessage}
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
	Rejects  []format.Reject // the first rejects, for the summary
	Coverage Coverage        // what the file became
	Zone     string          // the zone its local times were read in
	// Notes are what the parser decided about the file as a whole
	// (format.Note: its notices' language, a date order, guessed or not).
	Notes    map[string]string
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
	results, _ := loadTogether(ctx, db, []string{path}, opt)
	return results[0]
}

// fileLoad is one file of a load.
type fileLoad struct {
	path     string
	src      export
	format   format.Format
	res      *Result
	id       int64  // file_id
	checksum string // known before parsing when files load together, or one of its size was loaded
	tally    *fileTally
	lang     string // forced notice language, for the log
}

// notingSink keeps a file's notes (format.Note) beside its rows. Each file
// parses on a goroutine of its own, and the notes are read after all have
// ended.
type notingSink struct {
	format.Sink
	notes map[string]string
}

func (n notingSink) Note(key, value string) { n.notes[key] = value }

// loadTogether loads files in one transaction, read one after another into
// one message stream and merged once. A file that cannot be opened is
// left out; any other failure rolls back all of them and is returned, with
// each file's Result marked failed.
func loadTogether(ctx context.Context, db *sql.DB, paths []string, opt Options) ([]Result, error) {
	start := time.Now()
	if opt.TZ == nil {
		opt.TZ = time.UTC
	}
	results := make([]Result, len(paths))
	var loads []*fileLoad
	for i, path := range paths {
		results[i] = Result{Path: path, Status: StatusFailed}
		src, format, err := openExport(path, opt)
		if err != nil {
			results[i].Err = err
			continue
		}
		defer src.Close()
		results[i].Bytes, results[i].Encoding, results[i].Format = src.total(), src.encoding(), format.Name()
		loads = append(loads, &fileLoad{path: path, src: src, format: format, res: &results[i], lang: opt.Lang})
	}
	var err error
	if len(loads) > 0 {
		err = loadInTransaction(ctx, db, loads, opt)
	}
	if err != nil {
		// An interrupt (or any error) that came while COMMIT ran does not
		// say whether the commit landed: the database does.
		err = confirmLoaded(db, loads, err)
	}
	for _, l := range loads {
		if err != nil && l.res.Status != StatusLoaded {
			l.res.Status, l.res.Err = StatusFailed, err
		}
		// Files loaded together share the time they took, by size.
		l.res.Duration = time.Duration(float64(time.Since(start)) * float64(l.res.Bytes+1) / float64(totalBytes(loads)+int64(len(loads))))
	}
	if len(paths) == 1 && ctx.Err() == nil {
		recordRefused(db, &results[0], loads, err)
	}
	return results, err
}

// confirmLoaded reads back from ingest_log which files of a load that
// returned err were in fact committed, marks them loaded and returns nil
// when all were, else err.
func confirmLoaded(db *sql.DB, loads []*fileLoad, err error) error {
	var ids []string
	for _, l := range loads {
		if l.id != 0 {
			ids = append(ids, strconv.FormatInt(l.id, 10))
		}
	}
	if len(ids) == 0 {
		return err
	}
	// Not the load's context: it may be the one that was cancelled.
	rows, qerr := db.QueryContext(context.Background(), `SELECT file_id FROM ingest_log
		WHERE status = 'loaded' AND file_id IN (SELECT CAST(unnest(string_split(?, ',')) AS INTEGER))`, strings.Join(ids, ","))
	if qerr != nil {
		return errors.Join(err, fmt.Errorf("reading back the load's outcome: %w", qerr))
	}
	defer rows.Close()
	committed := map[int64]bool{}
	for rows.Next() {
		var id int64
		if rows.Scan(&id) == nil {
			committed[id] = true
		}
	}
	all := true
	for _, l := range loads {
		if committed[l.id] {
			l.res.Status, l.res.Err = StatusLoaded, nil
		} else {
			all = false
		}
	}
	if all {
		return nil
	}
	return err
}

// recordRefused keeps a failed ingest_log row for a file loaded on its own
// that a parser or the format detection refused, so the log tells every
// file that was tried. An interrupted load, a file refused for its
// rejected rows (recorded with them) and a file that cannot be read are
// not recorded.
func recordRefused(db *sql.DB, res *Result, loads []*fileLoad, err error) {
	if res.Status != StatusFailed || res.Err == nil || errors.Is(res.Err, ErrRejected) ||
		errors.Is(res.Err, context.Canceled) || errors.Is(res.Err, context.DeadlineExceeded) {
		return
	}
	l := &fileLoad{path: res.Path, res: res}
	if len(loads) == 1 {
		l = loads[0]
	}
	if l.checksum == "" {
		sum, serr := checksumFile(res.Path)
		if serr != nil {
			return // not a readable file: nothing to record it by
		}
		l.checksum = sum
	}
	if l.tally == nil {
		l.tally = &fileTally{}
	}
	if rerr := recordFailure(context.Background(), db, l, res.Err); rerr != nil {
		res.Err = errors.Join(res.Err, fmt.Errorf("recording the failure: %w", rerr))
	}
}

func totalBytes(loads []*fileLoad) int64 {
	var n int64
	for _, l := range loads {
		n += l.res.Bytes
	}
	return n
}

func loadInTransaction(ctx context.Context, db *sql.DB, loads []*fileLoad, opt Options) error {
	started := time.Now().UTC()
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
	together := len(loads) > 1
	active := loads
	if together || sizeLoadedBefore(ctx, conn, loads[0].src.total()) {
		// Known before parsing: a file loaded before (or twice in this
		// load) is skipped without a parse, and the rows of files loaded
		// together never enter their shared stream. A big file alone is
		// hashed ahead only when a file of its size was loaded before.
		if active, err = newFiles(ctx, conn, loads); err != nil {
			return err
		}
	}
	if len(active) == 0 {
		return nil
	}
	if err := stageFiles(ctx, conn, active, opt.TZ.String()); err != nil {
		return err
	}
	patterns, err := loadActivityPatterns(ctx, conn)
	if err != nil {
		return err
	}
	began := time.Now()
	col, parseErr := stream(ctx, conn, active, opt, newActivityDetector(patterns, opt.TZ))
	streamed := time.Now()
	for i, l := range active {
		l.tally = col.files[i]
		l.res.Rows, l.res.Rejected, l.res.Rejects = l.tally.rows, l.tally.rejected, firstRejects(l.tally.rejects)
		l.res.Coverage, l.res.Zone = l.tally.coverage(l.src.lines()), zoneOf(opt.input(), l.tally.groups)
	}
	if parseErr != nil {
		return parseErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	if !together {
		l := active[0]
		if l.checksum == "" { // not known ahead: a file of a size not loaded before
			if l.checksum, err = l.src.checksum(); err != nil {
				return err
			}
		}
		if l.tally.rejected > opt.MaxRejects {
			conn.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck // replaced by the failure record below
			committed = true
			err := rejectedError(l)
			if logErr := recordFailure(ctx, db, l, err); logErr != nil {
				return errors.Join(err, logErr)
			}
			return err
		}
	}
	for _, l := range active {
		if l.tally.rejected > opt.MaxRejects {
			return rejectedError(l) // loaded again on its own, which keeps the record
		}
	}

	if err := dedupeMessages(ctx, conn, active); err != nil {
		return fmt.Errorf("dedupe: %w", err)
	}
	if err := merge(ctx, conn, col); err != nil {
		return err
	}
	merged := time.Now()
	if err := logLoaded(ctx, conn, active, started); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return err
	}
	committed = true
	for _, l := range active {
		l.res.Status = StatusLoaded
	}
	if opt.Logger != nil {
		opt.Logger.Debug("loaded", "files", len(active), "first", active[0].path, "rows", col.rows, "path", LoadPath,
			"stream", streamed.Sub(began), "merge", merged.Sub(streamed), "commit", time.Since(merged))
	}
	return nil
}

// newFiles checksums the files and leaves out those loaded before or met
// earlier in the list: one query for all of them.
func newFiles(ctx context.Context, conn *sql.Conn, loads []*fileLoad) ([]*fileLoad, error) {
	sums := make([]string, len(loads))
	for i, l := range loads {
		var err error
		if l.checksum, err = l.src.checksumAhead(); err != nil {
			return nil, err
		}
		sums[i] = l.checksum
	}
	rows, err := conn.QueryContext(ctx, `SELECT DISTINCT checksum FROM ingest_log
		WHERE status = 'loaded' AND checksum IN (SELECT unnest(string_split(?, ',')))`, strings.Join(sums, ","))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			return nil, err
		}
		seen[sum] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var fresh []*fileLoad
	for _, l := range loads {
		if seen[l.checksum] {
			l.res.Status = StatusSkipped
			continue
		}
		seen[l.checksum] = true
		fresh = append(fresh, l)
	}
	return fresh, nil
}

// sizeLoadedBefore tells whether a file of this size was loaded: only
// then can an export be one loaded before.
func sizeLoadedBefore(ctx context.Context, conn *sql.Conn, size int64) bool {
	var n int
	err := conn.QueryRowContext(ctx, `SELECT count(*) FROM ingest_log WHERE size_bytes = ? AND status = 'loaded'`, size).Scan(&n)
	return err != nil || n > 0 // on doubt, check
}

// stageFiles gives the files their ids and stages them, in two statements
// whatever their number.
func stageFiles(ctx context.Context, conn *sql.Conn, loads []*fileLoad, zone string) error {
	rows, err := conn.QueryContext(ctx, `SELECT nextval('file_id_seq') FROM range(?)`, len(loads))
	if err != nil {
		return err
	}
	defer rows.Close()
	staged := newBatch("stage_file", 3)
	for _, l := range loads {
		if !rows.Next() {
			return errors.New("file ids: fewer than files")
		}
		if err := rows.Scan(&l.id); err != nil {
			return err
		}
		staged.add(l.id, l.path, zone)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return appendBatch(conn, staged)
}

// logLoaded records the loaded files and their rejects.
func logLoaded(ctx context.Context, conn *sql.Conn, loads []*fileLoad, started time.Time) error {
	finished := time.Now().UTC()
	logged := newBatch("stage_log", 20)
	for _, l := range loads {
		if err := insertRejects(ctx, conn, l.id, l.path, l.tally.rejects); err != nil {
			return err
		}
		if err := insertRejects(ctx, conn, l.id, l.path, l.tally.notices); err != nil {
			return err
		}
		c := l.res.Coverage
		logged.add(l.id, l.path, l.checksum, l.format.Name(), l.src.total(), l.tally.rows, l.tally.rejected,
			StatusLoaded, nil, started, finished,
			c.Messages, c.NoticesUnderstood(), c.UnknownNotices, c.Events, c.People,
			c.linesOrNull(c.Lines), c.linesOrNull(c.LinesNeither), l.res.Zone, nullString(l.lang))
	}
	if err := appendBatch(conn, logged); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, `INSERT INTO ingest_log SELECT * FROM stage_log`)
	return err
}

func rejectedError(l *fileLoad) error {
	first := l.tally.rejects[0]
	return fmt.Errorf("%s %s:%d: %w: %d row(s), first: %s", l.format.Name(), l.path, first.Line, ErrRejected, l.tally.rejected, first.Reason)
}

// stream loads the files' rows as they are parsed, the work spread over
// the cores: parsers (one per core, each on its own file) hand their rows
// to the collector (ids, people, activities), one file's batch at a time,
// which feeds messages through the fast stream straight into the messages
// table and other rows into staging tables.
func stream(ctx context.Context, conn *sql.Conn, loads []*fileLoad, opt Options, detector *activityDetector) (*collector, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	progress := func(*fileTally, int64) {}
	if opt.Progress != nil {
		size := totalBytes(loads)
		progress = func(f *fileTally, rows int64) {
			var read int64
			for _, l := range loads {
				read += l.src.consumed()
			}
			opt.Progress(Progress{Path: loads[f.index].path, Bytes: read, Size: size, Rows: rows})
		}
	}
	col := newCollector(ctx, progress, detector)
	tallies := make([]*fileTally, len(loads))
	for i, l := range loads {
		tallies[i] = col.addFile(l.id)
	}
	parseDone := make(chan error, 1)
	go func() {
		var mu sync.Mutex // the collector takes one batch at a time
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(runtime.GOMAXPROCS(0))
		for i, l := range loads {
			g.Go(func() error {
				return relayTo(gctx, func(rows []relayed) error {
					mu.Lock()
					defer mu.Unlock()
					col.use(tallies[i])
					return deliverTo(col, rows)
				}, func(ctx context.Context, s format.Sink) error {
					l.res.Notes = map[string]string{}
					return l.src.parse(ctx, l.format, opt.input(), notingSink{s, l.res.Notes})
				})
			})
		}
		parseDone <- col.finish(g.Wait())
	}()

	// Files loaded together are small: their messages are written in time
	// order, so that a week's queries skip, by DuckDB's min/max per row
	// group, the rows of other weeks. The sort costs a history of 10M
	// messages in 1,000 files about 3 s at load (12 s instead of 9) and
	// saves more on every report over it (4.4 s instead of 6.1). A big
	// file streams as it comes.
	loadErr := consume(ctx, conn, col, len(loads) > 1)
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
func consume(ctx context.Context, conn *sql.Conn, col *collector, timeOrder bool) error {
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
			if err := streamMessages(ctx, conn, prepend(first, msgs), timeOrder); err != nil {
				return err
			}
			msgs = nil
		}
	}
	return nil
}

// insertMessages is the statement that streams messages from source.
func insertMessages(source string, timeOrder bool) string {
	order := ""
	if timeOrder {
		order = "ORDER BY s.ts_us"
	}
	return strings.NewReplacer("{{source}}", source, "{{order}}", order).Replace(queries.Ingest("insert_messages"))
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
// statements for the kinds of rows the files had: each costs a few
// milliseconds even on empty tables, which adds up over many small files.
func merge(ctx context.Context, conn *sql.Conn, col *collector) error {
	steps := []struct {
		name string
		rows int64
	}{
		{"merge_people", 1}, // every file has a group or a person
		{"merge_events", col.nEvents},
		{"merge_roles", col.nRoles},
		{"merge_presences", col.nPresences},
		{"merge_statistics", col.nStatistics},
		{"merge_orders", col.nOrders},
		{"merge_activities", col.nActivities},
		{"merge_carriers", col.nCarrier},
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
	// Names and memberships depend on all of a group's rows: rederived
	// for every group the load touched.
	return queries.Rederive(ctx, conn, "SELECT group_id FROM stage_groups")
}

// dedupeMessages removes each file's messages that an earlier file (of an
// earlier load, or earlier in this one) brought, group by group, within the
// span the file covers in each.
func dedupeMessages(ctx context.Context, conn *sql.Conn, loads []*fileLoad) error {
	known, err := knownGroups(ctx, conn, loads)
	if err != nil {
		return err
	}
	for _, l := range loads {
		repeated, err := repeatedGroups(ctx, conn, l)
		if err != nil {
			return err
		}
		for gid, s := range l.tally.spans {
			args := []any{sql.Named("file_id", l.id), sql.Named("group_id", gid),
				sql.Named("first", s.first.UTC()), sql.Named("last", s.last.UTC())}
			// A group with no messages from another file has no earlier
			// copies to take back.
			if known[gid] {
				if _, err := conn.ExecContext(ctx, queries.Ingest("dedupe_messages"), args...); err != nil {
					return err
				}
			}
			if repeated[gid] {
				if _, err := conn.ExecContext(ctx, queries.Ingest("dedupe_repeats"), args...); err != nil {
					return err
				}
			}
		}
		for gid := range l.tally.spans { // the later files' earlier messages
			known[gid] = true
		}
	}
	return nil
}

// repeatedGroups are the groups in which the file itself gave one
// message_id to several messages. Content ids cannot repeat in a file whose
// messages of each second come together (they are ranked); platform ids
// and files out of time order are checked, in one query (~0.3 s for 3M
// messages; none for an ordered QQ or WhatsApp export).
func repeatedGroups(ctx context.Context, conn *sql.Conn, l *fileLoad) (map[int64]bool, error) {
	repeated := map[int64]bool{}
	if !l.tally.mayRepeat {
		return repeated, nil
	}
	rows, err := conn.QueryContext(ctx, `SELECT DISTINCT group_id FROM messages WHERE file_id = ?
		GROUP BY group_id, message_id HAVING count(*) > 1`, l.id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var gid int64
		if err := rows.Scan(&gid); err != nil {
			return nil, err
		}
		repeated[gid] = true
	}
	return repeated, rows.Err()
}

// knownGroups are the groups of the files that have messages from other
// files in the database: one query, where a 5,000-group export would
// otherwise ask 5,000 times. It reads messages, not groups: a group's
// messages are what dedupe compares with (~10 ms on 3M messages).
func knownGroups(ctx context.Context, conn *sql.Conn, loads []*fileLoad) (map[int64]bool, error) {
	var ids, files []string
	for _, l := range loads {
		files = append(files, strconv.FormatInt(l.id, 10))
		for gid := range l.tally.spans {
			ids = append(ids, strconv.FormatInt(gid, 10))
		}
	}
	known := map[int64]bool{}
	if len(ids) == 0 {
		return known, nil
	}
	// Into a database no file was loaded into, every message is this load's:
	// nothing to compare with, and no scan of its rows (0.5 s for a fresh
	// 10M-message load, whose rows are not yet compressed).
	var others bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM ingest_log WHERE status = 'loaded')`).Scan(&others); err != nil || !others {
		return known, err
	}
	rows, err := conn.QueryContext(ctx, `SELECT DISTINCT group_id FROM messages
		WHERE group_id IN (SELECT CAST(unnest(string_split(?, ',')) AS BIGINT))
		  AND file_id NOT IN (SELECT CAST(unnest(string_split(?, ',')) AS INTEGER))`, strings.Join(ids, ","), strings.Join(files, ","))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var gid int64
		if err := rows.Scan(&gid); err != nil {
			return nil, err
		}
		known[gid] = true
	}
	return known, rows.Err()
}

// Progress is how far a load (one file, or files loaded together) is.
type Progress struct {
	Path        string // the file being read
	Bytes, Size int64  // raw bytes read, of the load's size
	Rows        int64  // rows parsed so far
}

func firstRejects(r []format.Reject) []format.Reject {
	if len(r) > 5 {
		return r[:5]
	}
	return r
}

// execer is a connection or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func insertRejects(ctx context.Context, conn execer, fileID int64, path string, rejects []format.Reject) error {
	for _, r := range rejects {
		if _, err := conn.ExecContext(ctx, `INSERT INTO rejects VALUES (?, ?, ?, ?, ?)`, fileID, path, r.Line, r.Reason, r.Raw); err != nil {
			return err
		}
	}
	return nil
}

// recordFailure keeps the rejects and a failed log entry of a refused file,
// in their own transaction, so the user can see every reason afterwards.
func recordFailure(ctx context.Context, db *sql.DB, l *fileLoad, cause error) error {
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
	if err := insertRejects(ctx, tx, fileID, l.path, l.tally.rejects); err != nil {
		return err
	}
	msg := cause.Error()
	name, size := l.res.Format, l.res.Bytes
	if l.format != nil {
		name = l.format.Name()
	}
	if l.src != nil {
		size = l.src.total()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ingest_log (file_id, path, checksum, format, size_bytes, rows_loaded, rows_rejected,
		status, message, started_at, finished_at, source_tz) VALUES (?, ?, ?, ?, ?, 0, ?, 'failed', ?, timezone('UTC', now()), timezone('UTC', now()), ?)`,
		fileID, l.path, l.checksum, name, size, l.tally.rejected, strings.TrimSpace(msg), l.res.Zone); err != nil {
		return err
	}
	return tx.Commit()
}
