package ingest_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/queries"
)

const repeatedIDs = `SELECT count(*) - count(DISTINCT (group_id, message_id)) FROM messages`

// Dedupe compares a file's messages with the group's messages from other
// files, whatever the groups table says: after a crash left messages
// without their group (as DuckDB's WAL replay did), the old loader skipped
// dedupe for a group it did not know and doubled them.
func TestDedupeDoesNotTrustGroups(t *testing.T) {
	db := openDB(t)
	mustLoad(t, db, community)
	msgs := count(t, db, `SELECT count(*) FROM messages`)
	if _, err := db.Exec(`DELETE FROM groups`); err != nil {
		t.Fatal(err)
	}
	// The same export with a byte more: another file, the same messages.
	b, err := os.ReadFile(community)
	if err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(t.TempDir(), "again.txt")
	if err := os.WriteFile(again, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := load(t, db, again, ingest.Options{}); r.Err != nil {
		t.Fatal(r.Err)
	}
	if got := count(t, db, `SELECT count(*) FROM messages`); got != msgs {
		t.Fatalf("messages = %d after loading an overlapping file, want %d", got, msgs)
	}
	if n := count(t, db, repeatedIDs); n != 0 {
		t.Fatalf("%d repeated message ids", n)
	}
}

// A file that lists a message twice (the same platform id) loads it once:
// the old loader kept both, as it only compared with earlier files.
func TestFileRepeatingAnIDKeepsOne(t *testing.T) {
	b, err := os.ReadFile("../testdata/telegram/result.json")
	if err != nil {
		t.Fatal(err)
	}
	var export map[string]any
	if err := json.Unmarshal(b, &export); err != nil {
		t.Fatal(err)
	}
	msgs := export["messages"].([]any)
	export["messages"] = append(msgs, msgs[1], msgs[2]) // listed again at the end
	twice, err := json.Marshal(export)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "result.json")
	if err := os.WriteFile(path, twice, 0o644); err != nil {
		t.Fatal(err)
	}
	once := loadNew(t, "telegram-json", "../testdata/telegram/result.json")
	want := count(t, once, `SELECT count(*) FROM messages`)

	db := openDB(t)
	if r := load(t, db, path, ingest.Options{Format: "telegram-json"}); r.Err != nil {
		t.Fatal(r.Err)
	}
	if got := count(t, db, `SELECT count(*) FROM messages`); got != want {
		t.Fatalf("messages = %d, want %d (each once)", got, want)
	}
	if n := count(t, db, repeatedIDs); n != 0 {
		t.Fatalf("%d repeated message ids", n)
	}
}

// Every open for writing removes the rows of files ingest_log does not
// record as loaded: what DuckDB's replay of a torn commit leaves. The old
// open kept them.
func TestOpenRemovesRowsOfUnloggedFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpi.duckdb")
	ctx := context.Background()
	db, err := queries.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, db, community)
	before := snapshot(t, db)
	stretches := count(t, db, `SELECT count(*) FROM memberships`)
	for _, q := range []string{
		// a load's rebuilt memberships beside the ones it replaced
		`INSERT INTO memberships SELECT * FROM memberships`,
		// a load numbered 999 that never committed its ingest_log row
		`INSERT INTO messages (message_id, group_id, ts, source_tz, kind, file_id, line) VALUES (1, 1, TIMESTAMP '2026-11-01', 'UTC', 'text', 999, 1)`,
		`INSERT INTO groups (group_id, platform, external_id, name, file_id) VALUES (1, 'qq', 'x', 'x', 999)`,
		`INSERT INTO members (member_id, platform, platform_uid, file_id) VALUES (1, 'qq', 'x', 999)`,
		`INSERT INTO membership_events (event_id, group_id, member_id, ts, kind, file_id) VALUES (1, 1, 1, TIMESTAMP '2026-11-01', 'join', 999)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db, err = queries.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if after := snapshot(t, db); !equalCounts(before, after) {
		t.Fatalf("after reopening:\nbefore %v\nafter  %v", before, after)
	}
	if got := count(t, db, `SELECT count(*) FROM memberships`); got != stretches || stretches == 0 {
		t.Fatalf("memberships = %d after reopening, want %d", got, stretches)
	}
}
