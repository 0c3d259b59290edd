package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ckpi/ckpi/queries"
)

// crashBuildTags are the build tags the binary under test is built with:
// those of this test (crash_arrow_test.go sets duckdb_arrow).
var crashBuildTags string

// TestCrashDuringLoad runs the real binary on a generated export, kills it
// with SIGKILL at many moments of a load (spread over its run, and while
// the commit writes the write-ahead log: the WAL's size is polled), and
// after each reopens the database and checks that it holds exactly the
// state before the load or the state after it; then the same ingest run
// again must reach exactly the state after. SIGINT during the commit must
// print the outcome the database holds.
//
// On the code before schema 0006 the WAL points fail: DuckDB's replay of a
// torn commit keeps the messages' row groups written ahead of it, without
// their groups, members or ingest_log row, and the re-run doubles them.
//
// CKPI_CRASH_MESSAGES sets the export's size (default 150000, about 50 s
// on 2 cores); by hand: CKPI_CRASH_MESSAGES=3000000 go test -run
// TestCrashDuringLoad -v -timeout 60m ./cmd/ckpi/
func TestCrashDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary many times")
	}
	messages := 150000
	if v := os.Getenv("CKPI_CRASH_MESSAGES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("CKPI_CRASH_MESSAGES=%q: want a positive number", v)
		}
		messages = n
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	exports := filepath.Join(dir, "exports")
	groups := max(4, messages/15000)
	runBin(t, bin, "--db", filepath.Join(dir, "gen.duckdb"), "generate", "--groups", strconv.Itoa(groups),
		"--messages", strconv.Itoa(messages), "--one-file", "--end", "2026-W47", "--out", exports)
	whole := filepath.Join(exports, "qq-all.txt")

	// The state before: an earlier load (the orders). With it DuckDB
	// writes the messages' commit to the WAL (with the roster or chat of
	// the same groups loaded before, DuckDB 1.5 checkpoints instead, and
	// the WAL points would test less).
	before := filepath.Join(dir, "before.duckdb")
	runBin(t, bin, "--db", before, "ingest", filepath.Join(exports, "orders.csv"))
	stateBefore := dbState(t, before)

	// The state after, and the load's course: how long it takes, and the
	// sizes the WAL goes through while the commit writes it.
	after := copyDB(t, before, filepath.Join(dir, "after.duckdb"))
	started := time.Now()
	sizes, out := runPollingWAL(t, bin, after, whole, nil)
	took := time.Since(started)
	if !strings.Contains(out, "loaded  "+whole) {
		t.Fatalf("full load: %s", out)
	}
	stateAfter := dbState(t, after)
	if equalState(stateBefore, stateAfter) {
		t.Fatal("the load changed nothing: the test would prove nothing")
	}
	t.Logf("%d messages, %d groups: load %s, WAL sizes seen %v", messages, groups, took.Round(time.Millisecond), sizes)

	// The kill points. Each leaves a database file and WAL as a kill at
	// that moment does; each is reopened and checked, then loaded again.
	type point struct {
		name string
		db   string // the database as the kill left it
	}
	var points []point
	// SIGKILL at moments spread over the run, up to past its end.
	killAt := func(f float64) {
		db := copyDB(t, before, filepath.Join(dir, fmt.Sprintf("time%03.0f.duckdb", f*100)))
		cmd := exec.Command(bin, "--db", db, "ingest", whole)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(f * float64(took)))
		cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck // it may have ended
		cmd.Wait()                          //nolint:errcheck // killed
		points = append(points, point{fmt.Sprintf("SIGKILL at %.0f%% of the run", f*100), db})
	}
	for i := 1; i <= 8; i++ {
		killAt(float64(i) / 8.5)
	}
	// While the commit writes the WAL: the process is stopped (SIGSTOP) the
	// moment the WAL is seen at a size, its files are copied as they are,
	// then it is killed.
	if len(sizes) < 2 {
		t.Fatalf("the WAL did not grow during the load (sizes %v)", sizes)
	}
	// The commit is the WAL's biggest jump: the sizes before it are the
	// open's own (migrations, helpers).
	final, jump := sizes[len(sizes)-1], 1
	for i := 1; i < len(sizes); i++ {
		if sizes[i]-sizes[i-1] > sizes[jump]-sizes[jump-1] {
			jump = i
		}
	}
	base := sizes[jump-1]
	walTargets := []int64{base + 1, base + (final-base)/4, base + (final-base)/2, base + 3*(final-base)/4}
	// The sizes the commit's WAL was seen at: all of them for a small load,
	// the last four (the commit's end) for a big one, which writes the WAL
	// in many pieces.
	walTargets = append(walTargets, sizes[max(jump, len(sizes)-4):]...)
	slices.Sort(walTargets)
	walTargets = slices.Compact(walTargets)
	var whole1 string // the files stopped at the WAL's final size: the whole commit in the WAL
	stopped := map[int64]bool{}
	// stopAt runs the load, stops it the moment its WAL reaches target and
	// keeps its files as they were then; at is the WAL's size there (0 when
	// the load ended first).
	stopAt := func(target int64, name string) (at int64, snap string) {
		db := copyDB(t, before, filepath.Join(dir, name+".duckdb"))
		snap = filepath.Join(dir, name+"-stopped.duckdb")
		runPollingWAL(t, bin, db, whole, func(size int64, cmd *exec.Cmd) bool {
			if size < target {
				return false
			}
			cmd.Process.Signal(syscall.SIGSTOP) //nolint:errcheck // it may have ended
			at = walSize(db)
			copyDB(t, db, snap)
			copyFile(t, db+".wal", snap+".wal")
			cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck // it may have ended
			cmd.Process.Signal(syscall.SIGCONT) //nolint:errcheck // let it die
			return true
		})
		os.Remove(db)
		return at, snap
	}
	for i, target := range walTargets {
		at, snap := stopAt(target, fmt.Sprintf("wal%02d", i))
		if at == 0 {
			// the load ended before the poll saw the WAL there: no files
			// were kept, so there is no point to check (a busy machine)
			t.Logf("the load ended before its WAL was seen at %d bytes", target)
			continue
		}
		if at >= final && whole1 == "" {
			whole1 = snap
		}
		if stopped[at] { // the WAL grew past two targets in one write
			continue
		}
		stopped[at] = true
		points = append(points, point{fmt.Sprintf("SIGSTOP+SIGKILL with the WAL at %d of %d bytes", at, final), snap})
	}
	// The commit's WAL cut at its entry boundaries (and in the middle of
	// its largest entry): every state a crash between two of DuckDB's
	// writes can leave, whatever the timing.
	// On a busy machine (the suite runs packages side by side) the poll
	// can miss the last write: the commit ends and the WAL is folded in
	// between two looks. Try again before giving up.
	for try := 0; whole1 == "" && try < 8; try++ {
		if at, snap := stopAt(final, fmt.Sprintf("final%d", try)); at >= final {
			whole1 = snap
		}
	}
	if whole1 == "" {
		t.Fatalf("no stop caught the WAL at its final size %d", final)
	}
	cuts := walCuts(t, whole1+".wal", base)
	for i, cut := range cuts {
		db := copyDB(t, whole1, filepath.Join(dir, fmt.Sprintf("torn%02d.duckdb", i)))
		copyFile(t, whole1+".wal", db+".wal")
		if err := os.Truncate(db+".wal", cut.at); err != nil {
			t.Fatal(err)
		}
		points = append(points, point{fmt.Sprintf("WAL torn at %d (%s)", cut.at, cut.what), db})
	}

	// How many distinct WAL sizes a stop catches, and how many entries the
	// commit's WAL has, depend on the machine's speed: timed kills in
	// between the first ones make up at least 20 points whatever it is.
	for i := 1; len(points) < 20; i++ {
		killAt((float64(i) - 0.5) / 8.5)
	}

	outcomes := map[string]int{}
	for i, p := range points {
		got := dbState(t, p.db) // the open for writing recovers
		outcome := ""
		switch {
		case equalState(got, stateBefore):
			outcome = "before"
		case equalState(got, stateAfter):
			outcome = "after"
		default:
			t.Errorf("%s: the database is neither before nor after the load:\n%s", p.name, diffState(got, stateBefore, stateAfter))
			outcome = "neither"
		}
		outcomes[outcome]++
		t.Logf("point %2d %-60s -> %s", i+1, p.name, outcome)
		out := runBin(t, bin, "--db", p.db, "ingest", whole)
		if again := dbState(t, p.db); !equalState(again, stateAfter) {
			t.Errorf("%s, then the same ingest again (%s): not the full state:\n%s", p.name, strings.TrimSpace(out), diffState(again, stateBefore, stateAfter))
		}
		os.Remove(p.db)
		os.Remove(p.db + ".wal")
	}
	t.Logf("%d kill points: %v", len(points), outcomes)
	if len(points) < 20 {
		t.Errorf("only %d kill points", len(points))
	}

	// Ctrl-C while the commit writes the WAL: what is printed is what the
	// database holds.
	for _, target := range []int64{base + (final-base)/2, final} {
		db := copyDB(t, before, filepath.Join(dir, "interrupt.duckdb"))
		_, out := runPollingWAL(t, bin, db, whole, func(size int64, cmd *exec.Cmd) bool {
			if size >= target {
				cmd.Process.Signal(os.Interrupt) //nolint:errcheck // it may have ended
				return true
			}
			return false
		})
		got := dbState(t, db)
		said := strings.Contains(out, "loaded  "+whole)
		switch {
		case equalState(got, stateAfter) && !said:
			t.Errorf("SIGINT at WAL %d: the file is loaded but the output says otherwise:\n%s", target, out)
		case equalState(got, stateBefore) && said:
			t.Errorf("SIGINT at WAL %d: the output says loaded but the database is as before:\n%s", target, out)
		case !equalState(got, stateAfter) && !equalState(got, stateBefore):
			t.Errorf("SIGINT at WAL %d: neither state:\n%s", target, diffState(got, stateBefore, stateAfter))
		}
		t.Logf("SIGINT at WAL %d: printed loaded=%v, database after=%v", target, said, equalState(got, stateAfter))
		os.Remove(db)
	}
}

// buildBinary builds ckpi as `make build` does, with this test's tags.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "ckpi")
	args := []string{"build", "-o", bin}
	if crashBuildTags != "" {
		args = append(args, "-tags", crashBuildTags)
	}
	cmd := exec.Command("go", append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runBin(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ckpi %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// runPollingWAL runs an ingest of file into db and polls db's WAL as fast
// as it can until the process ends; it returns the distinct sizes the WAL
// was seen at after its first growth (the commit writing it), and what the
// process printed. act, if given, is called on every change of size and
// ends the polling when it returns true.
func runPollingWAL(t *testing.T, bin, db, file string, act func(size int64, cmd *exec.Cmd) bool) ([]int64, string) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(bin, "--db", db, "ingest", file)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }() //nolint:errcheck // the exit status is not the point
	var seen []int64
	last := int64(-1)
	acted := act == nil
	for polling := true; polling; {
		select {
		case <-done:
			polling = false
		default:
		}
		st, err := os.Stat(db + ".wal")
		if err != nil {
			time.Sleep(20 * time.Microsecond) // leave the cores to the load
			continue
		}
		if size := st.Size(); size != last {
			if len(seen) == 0 || size > seen[len(seen)-1] {
				seen = append(seen, size)
			}
			last = size
			if !acted && act(size, cmd) {
				acted = true
			}
		}
	}
	<-done
	// The first sizes are the WAL of the open (migrations, macros); the
	// load's commit grows it from there.
	return seen, out.String()
}

func copyDB(t *testing.T, from, to string) string {
	t.Helper()
	os.Remove(to + ".wal")
	return copyFile(t, from, to)
}

func copyFile(t *testing.T, from, to string) string {
	t.Helper()
	os.Remove(to)
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return to
}

func walSize(db string) int64 {
	st, err := os.Stat(db + ".wal")
	if err != nil {
		return 0
	}
	return st.Size()
}

type walCut struct {
	at   int64
	what string
}

// walCuts are the offsets past base at which DuckDB's WAL (version 2: a
// version entry, then entries of a size, a checksum and the entry) can be
// cut between two entries, plus the middle of the largest entry. An
// unknown layout gives no cuts (and the test says so).
func walCuts(t *testing.T, wal string, base int64) []walCut {
	t.Helper()
	b, err := os.ReadFile(wal)
	if err != nil {
		t.Fatal(err)
	}
	// The version entry is not framed: it ends at its object terminator.
	end := bytes.Index(b, []byte{0xff, 0xff})
	if !bytes.HasPrefix(b, []byte{0x64, 0x00}) || end < 0 {
		t.Logf("WAL layout not understood: no torn cuts")
		return nil
	}
	var cuts []walCut
	biggest := walCut{}
	var biggestSize int64
	for off := int64(end + 2); off < int64(len(b)); {
		if off+16 > int64(len(b)) {
			t.Logf("WAL layout not understood at %d: no torn cuts", off)
			return nil
		}
		size := int64(binary.LittleEndian.Uint64(b[off:]))
		next := off + 16 + size
		if next > int64(len(b)) {
			t.Logf("WAL layout not understood at %d: no torn cuts", off)
			return nil
		}
		if off >= base {
			kind := -1
			if size > 2 {
				kind = int(b[off+16+2]) // the entry's type, its first property
			}
			if kind != 25 { // a USE_TABLE entry only names the table of the next ones
				cuts = append(cuts, walCut{next, "after an entry of type " + strconv.Itoa(kind)})
			}
			if size > biggestSize {
				biggestSize, biggest = size, walCut{off + 16 + size/2, "inside the largest entry, of type " + strconv.Itoa(kind)}
			}
		}
		off = next
	}
	if len(cuts) > 12 { // a big load: a dozen, spread, and the last four (the commit's end)
		var some []walCut
		for i := 0; i < len(cuts)-4; i += (len(cuts) - 4 + 7) / 8 {
			some = append(some, cuts[i])
		}
		cuts = append(some, cuts[len(cuts)-4:]...)
	}
	if biggestSize > 0 {
		cuts = append(cuts, biggest)
	}
	return cuts
}

// stateQueries sum up each table: its row count and a checksum of its
// rows' identities and the values a load sets (file ids are left out: a
// re-run after a crash may number its file differently).
var stateQueries = map[string]string{
	"messages":          `SELECT count(*), sum(hash(group_id, message_id, member_id, ts, kind, text)) FROM messages`,
	"groups":            `SELECT count(*), sum(hash(group_id, name)) FROM groups`,
	"members":           `SELECT count(*), sum(hash(member_id, display_name, customer_key, first_seen, last_seen)) FROM members`,
	"member_names":      `SELECT count(*), sum(hash(member_id, group_id, name, first_seen)) FROM member_names`,
	"membership_events": `SELECT count(*), sum(hash(event_id, kind, source, inviter_id, actor_id)) FROM membership_events`,
	"orders":            `SELECT count(*), sum(hash(order_id, status)) FROM orders`,
	"activities":        `SELECT count(*), sum(hash(activity_id)) FROM activities`,
	"presences":         `SELECT count(*), sum(hash(group_id, member_id, as_of)) FROM presences`,
	"staff":             `SELECT count(*), sum(hash(member_id, group_id, role, origin)) FROM staff`,
	"ingest_log":        `SELECT count(*), sum(hash(path, checksum, status, rows_loaded)) FROM ingest_log`,
	"rejects":           `SELECT count(*), sum(hash(path, line)) FROM rejects`,
}

// dbState opens the database as ckpi does for writing (which recovers
// from a crash) and sums up every table.
func dbState(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := queries.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen %s: %v", path, err)
	}
	defer db.Close()
	state := map[string]string{}
	for table, q := range stateQueries {
		var n int64
		var sum any
		if err := db.QueryRow(q).Scan(&n, &sum); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		state[table] = fmt.Sprintf("%d rows, checksum %v", n, sum)
	}
	return state
}

func equalState(a, b map[string]string) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

func diffState(got, before, after map[string]string) string {
	var b strings.Builder
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if got[k] != before[k] || got[k] != after[k] {
			fmt.Fprintf(&b, "  %s: got %s; before %s; after %s\n", k, got[k], before[k], after[k])
		}
	}
	return b.String()
}
