package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ckpi runs the CLI in-process and returns what it printed.
func ckpi(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := ckpiTo(&out, &out, args...)
	return out.String(), err
}

// ckpiStdout runs ckpi and returns what it wrote to stdout alone: the data
// a script reads (notes such as the period used go to stderr).
func ckpiStdout(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errs bytes.Buffer
	err := ckpiTo(&out, &errs, args...)
	return out.String(), err
}

func ckpiTo(stdout, stderr *bytes.Buffer, args ...string) error {
	root := newRootCmd()
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	return root.ExecuteContext(context.Background())
}

func fixtureDB(t *testing.T) (db, config string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "ckpi.duckdb")
	config = filepath.Join(dir, "ckpi.yaml")
	if err := os.WriteFile(config, []byte("timezone: Asia/Shanghai\nstaff:\n  - {platform: qq, uid: \"10001\", role: service}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A folder of exports, as a user keeps them (testdata/qq also holds the
	// fixture corpus's golden.json, which is no export).
	exports := filepath.Join(dir, "exports")
	if err := os.Mkdir(exports, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"community.txt", "members.csv", "orders.csv"} {
		b, err := os.ReadFile(filepath.Join("../../testdata/qq", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(exports, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := ckpi(t, "--db", db, "--config", config, "ingest", exports)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	if n := strings.Count(out, "loaded  "); n != 3 {
		t.Fatalf("loaded %d files, want 3:\n%s", n, out)
	}
	return db, config
}

func TestCLIIngestRunReport(t *testing.T) {
	db, config := fixtureDB(t)
	out, err := ckpiStdout(t, "--db", db, "--config", config, "metrics", "run", "growth", "--week", "2026-W47", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if len(rows) != 2 || rows[0]["group_id"] != nil || rows[0]["net_growth"] != 1.0 || rows[0]["members_end"] != 7.0 {
		t.Fatalf("growth rows = %v", rows)
	}
	out, err = ckpi(t, "--db", db, "--config", config, "metrics", "run", "participation", "--week", "2026-W47", "--format", "csv")
	if err != nil || !strings.Contains(out, ",,8,4,9,7,") {
		t.Fatalf("participation csv (err %v):\n%s", err, out)
	}

	reportDir := t.TempDir()
	out, err = ckpi(t, "--db", db, "--config", config, "report", "weekly", "--week", "2026-W47", "--out", reportDir)
	if err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	for _, f := range []string{"weekly.html", "weekly.xlsx"} {
		if st, err := os.Stat(filepath.Join(reportDir, f)); err != nil || st.Size() == 0 {
			t.Fatalf("%s: %v", f, err)
		}
	}
}

func TestCLIIngestFailureIsNonZero(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ckpi.duckdb")
	out, err := ckpi(t, "--db", db, "ingest", "../../testdata/qq/community.txt", "../../testdata/bad/notes.txt")
	if err == nil {
		t.Fatalf("want an error, got none:\n%s", out)
	}
	if msg := err.Error(); !strings.Contains(msg, "1 of 2 file(s) not loaded") || !strings.Contains(msg, "notes.txt:1") {
		t.Fatalf("error = %q", msg)
	}
	if oneLine(err, false) != err.Error() {
		t.Fatalf("error is not one line: %q", err)
	}
}

func TestCLIUserMetric(t *testing.T) {
	db, config := fixtureDB(t)
	dir := t.TempDir()
	sql := `-- ---
-- name: messages_by_kind
-- title: {en: Messages by kind, zh: 各类消息}
-- grain: week
-- value: images
-- params: [start, end, group]
-- description: {en: Image messages in the period., zh: 本期图片消息。}
-- columns:
--   - {name: images, format: count, good: up, all: total,
--      label: {en: Images, zh: 图片}, about: {en: Image messages., zh: 图片消息。}}
-- ---
SELECT g.group_id, g.group_name, count(m.message_id) FILTER (WHERE m.kind = 'image') AS images
FROM selected_groups($group) g
LEFT JOIN messages m ON m.group_id = g.group_id AND m.ts >= $start AND m.ts < $end
GROUP BY GROUPING SETS ((g.group_id, g.group_name), ())
`
	if err := os.WriteFile(filepath.Join(dir, "messages_by_kind.sql"), []byte(sql), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := ckpi(t, "--db", db, "--config", config, "metrics", "list", "--metrics-dir", dir)
	if err != nil || !strings.Contains(out, "messages_by_kind") {
		t.Fatalf("list (err %v):\n%s", err, out)
	}
	out, err = ckpi(t, "--db", db, "--config", config, "metrics", "run", "messages_by_kind", "--metrics-dir", dir, "--week", "2026-W47", "--format", "csv")
	if err != nil || !strings.Contains(out, ",,1\n") {
		t.Fatalf("run (err %v):\n%s", err, out)
	}
}

func TestCLIConfigErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		yaml, want string
	}{
		{"timezone: Mars/Base\n", `timezone "Mars/Base"`},
		{"staf: []\n", "field staf not found"},
		{"activities:\n  - {type: checkin, pattern: '(unclosed'}\n", `activity pattern "(unclosed"`},
		{"activities:\n  - {type: party, pattern: 'x'}\n", `unknown type "party"`},
		{"staff:\n  - {platform: qq, uid: '1', role: boss}\n", `role "boss"`},
	}
	for i, c := range cases {
		config := filepath.Join(dir, fmt.Sprintf("c%d.yaml", i))
		if err := os.WriteFile(config, []byte(c.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		// A writer applies the config (activity patterns matter to loads).
		_, err := ckpi(t, "--db", filepath.Join(dir, "ckpi.duckdb"), "--config", config, "ingest", "../../testdata/qq/orders.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.yaml, err, c.want)
		}
	}
	if _, err := ckpi(t, "--config", filepath.Join(dir, "missing.yaml"), "metrics", "list"); err == nil {
		t.Error("a config file named but missing was accepted")
	}
}

func TestCLIMetricsNewValidateCompare(t *testing.T) {
	db, config := fixtureDB(t)
	dir := t.TempDir()
	out, err := ckpi(t, "--db", db, "--config", config, "metrics", "new", "active_share", "--metrics-dir", dir)
	if err != nil || !strings.Contains(out, "active_share.sql") {
		t.Fatalf("new (err %v):\n%s", err, out)
	}
	if _, err := ckpi(t, "metrics", "new", "active_share", "--metrics-dir", dir); err == nil {
		t.Fatal("new overwrote an existing file")
	}
	file := filepath.Join(dir, "active_share.sql")
	out, err = ckpi(t, "--db", db, "--config", config, "metrics", "validate", file)
	if err != nil || !strings.Contains(out, "ok      "+file) {
		t.Fatalf("validate template (err %v):\n%s", err, out)
	}
	// Every built-in metric validates on the fixture database too.
	out, err = ckpi(t, "--db", db, "--config", config, "metrics", "validate")
	if err != nil {
		t.Fatalf("validate built-ins: %v\n%s", err, out)
	}
	broken := filepath.Join(t.TempDir(), "broken.sql")
	os.WriteFile(broken, []byte("-- name: broken\nSELECT 1\n"), 0o644)
	_, err = ckpi(t, "--db", db, "--config", config, "metrics", "validate", file, broken)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 metric file(s) invalid") || !strings.Contains(err.Error(), "broken.sql:1: a header of '-- key: value' lines is the old format") {
		t.Fatalf("validate broken: %v", err)
	}

	// The template's share is the members at the end who spoke: 3 of 7 in
	// W47 (of the 4 who spoke, one left before the end), against 陈静
	// alone of 6 in W46.
	out, err = ckpiStdout(t, "--db", db, "--config", config, "metrics", "run", "active_share", "--metrics-dir", dir, "--week", "2026-W47", "--compare", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	total := rows[0]
	if total["active"] != 3.0 || total["members_end"] != 7.0 || total["share_previous"] != 1.0/6 {
		t.Fatalf("total = %v", total)
	}
	// A rate changes in percentage points, never relatively (issue 12).
	if want := (3.0/7 - 1.0/6) * 100; abs(total["share_change"].(float64)-want) > 1e-9 || total["share_change_unit"] != "pp" {
		t.Fatalf("change = %v %v, want %v pp", total["share_change"], total["share_change_unit"], want)
	}
	// On a terminal: counts as integers, the all-groups row saying how each
	// number is formed, the change with its unit.
	out, err = ckpiStdout(t, "--db", db, "--config", config, "metrics", "run", "active_share", "--metrics-dir", dir, "--week", "2026-W47", "--compare")
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Fields(strings.Split(out, "\n")[1])
	if want := "(all groups) 7 (total) 3 (total) 0.4286 (pooled) 0.1667 +26.2 pp pp"; strings.Join(all, " ") != want {
		t.Errorf("all-groups line %q, want %q\n%s", strings.Join(all, " "), want, out)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestCLIExportAndLake(t *testing.T) {
	db, config := fixtureDB(t)
	lake := filepath.Join(t.TempDir(), "lake")
	out, err := ckpi(t, "--db", db, "--config", config, "export", "--parquet", lake)
	if err != nil || !strings.Contains(out, "tables to "+lake) {
		t.Fatalf("export (err %v): %s", err, out)
	}
	fromDB, err := ckpi(t, "--db", db, "--config", config, "metrics", "run", "growth", "--week", "2026-W47", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	fromLake, err := ckpi(t, "--lake", lake, "metrics", "run", "growth", "--week", "2026-W47", "--format", "csv")
	if err != nil || fromLake != fromDB {
		t.Fatalf("lake (err %v):\n%s\ndatabase:\n%s", err, fromLake, fromDB)
	}
	if _, err := ckpi(t, "--lake", lake, "ingest", "../../testdata/qq/community.txt"); err == nil {
		t.Fatal("ingest into a lake was accepted")
	}
}

func TestCLIIngestConfiguredFormats(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ckpi.duckdb")
	out, err := ckpi(t, "--db", db, "ingest", "--max-rejects", "1", "--format", "mapped-csv", "--mapping", "../../testdata/mapped/chat.csv.yaml", "../../testdata/mapped/chat.csv")
	if err != nil || !strings.Contains(out, "loaded  ../../testdata/mapped/chat.csv (mapped-csv") {
		t.Fatalf("mapped (err %v):\n%s", err, out)
	}
	out, err = ckpi(t, "--db", db, "ingest", "--date-order", "mdy", "../../testdata/whatsapp/android_12h_mdy.txt")
	if err != nil || !strings.Contains(out, "(whatsapp-txt") {
		t.Fatalf("whatsapp (err %v):\n%s", err, out)
	}
	for _, bad := range [][]string{
		{"--format", "mapped-csv", "../../testdata/mapped/chat.csv"},
		{"--mapping", "../../testdata/mapped/chat.csv.yaml", "../../testdata/mapped/chat.csv"},
		{"--date-order", "ymd", "../../testdata/whatsapp/android_12h_mdy.txt"},
	} {
		if _, err := ckpi(t, append([]string{"--db", db, "ingest"}, bad...)...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// Read commands report on a period the data covers, say which, and refuse
// one it does not cover with what it does; an empty database is refused
// rather than reported as zeros.
func TestCLIPeriodGuardrails(t *testing.T) {
	db, config := fixtureDB(t)
	run := func(args ...string) (string, error) {
		return ckpi(t, append([]string{"--db", db, "--config", config}, args...)...)
	}
	// The fixture's data runs from 2 November to Monday 23 November 07:30:
	// the default week is W48, whose data stops on its first morning.
	out, err := run("metrics", "run", "growth")
	if err != nil || !strings.Contains(out, "period: 2026-W48 (2026-11-23 to 2026-11-29, Asia/Shanghai), partial: the data ends 2026-11-23 07:30") {
		t.Fatalf("default period (err %v):\n%s", err, out)
	}
	for _, c := range []struct{ args, want string }{
		{"--week 2026-W50", "no data for 2026-W50; the data covers 2026-11-"},
		{"--week 2099-W01", "2099-W01 is in the future"},
		{"--month 2026-01", "no data for 2026-01"},
	} {
		_, err := run(append([]string{"metrics", "run", "participation"}, strings.Fields(c.args)...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.args, err, c.want)
		}
	}
	if out, err := run("metrics", "run", "participation", "--week", "2026-W50", "--allow-empty"); err != nil || !strings.Contains(out, "period: 2026-W50") {
		t.Errorf("--allow-empty: err %v\n%s", err, out)
	}
	if _, err := run("report", "weekly", "--week", "2026-W50", "--out", t.TempDir()); err == nil || !strings.Contains(err.Error(), "no data for 2026-W50") {
		t.Errorf("report of an empty week: err %v", err)
	}
	empty := filepath.Join(t.TempDir(), "empty.duckdb")
	if _, err := ckpi(t, "--db", empty, "ingest", "../../testdata/bad/notes.txt"); err == nil {
		t.Fatal("notes.txt loaded")
	}
	if _, err := ckpi(t, "--db", empty, "report", "weekly", "--out", t.TempDir()); err == nil || !strings.Contains(err.Error(), "holds no chat data") {
		t.Errorf("report on an empty database: err %v", err)
	}
}
