package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/queries"
)

const berlinDST = "../../testdata/tz/berlin_dst.txt"

// messageTimes are the UTC times of the loaded messages, in order.
func messageTimes(t *testing.T, db string) []string {
	t.Helper()
	conn, err := queries.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT ts FROM messages ORDER BY ts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ts time.Time
		if err := rows.Scan(&ts); err != nil {
			t.Fatal(err)
		}
		out = append(out, ts.UTC().Format(time.RFC3339))
	}
	return out
}

func logZone(t *testing.T, db string) string {
	t.Helper()
	conn, err := queries.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var zone string
	if err := conn.QueryRow(`SELECT source_tz FROM ingest_log WHERE status = 'loaded'`).Scan(&zone); err != nil {
		t.Fatal(err)
	}
	return zone
}

// A QQ export written in Berlin across the end of summer time (03:00 CEST
// became 02:00 CET on Sunday 2026-10-25): times before the change are UTC+2,
// after it UTC+1; a week of a metric runs from Monday 00:00 to Monday 00:00
// local time, so Sunday 23:30 belongs to W43 and Monday 00:30 (still Sunday
// in UTC) to W44.
func TestDaylightSavingEndToEnd(t *testing.T) {
	want := []string{
		"2026-10-24T10:00:00Z", // Sat 12:00 CEST
		"2026-10-24T23:30:00Z", // Sun 01:30 CEST
		"2026-10-25T02:30:00Z", // Sun 03:30 CET
		"2026-10-25T22:30:00Z", // Sun 23:30 CET
		"2026-10-25T23:30:00Z", // Mon 00:30 CET
		"2026-10-26T09:00:00Z", // Mon 10:00 CET
	}
	for _, c := range []struct {
		name, config string
		args         []string
		zone         string
	}{
		{"config timezone", "timezone: Europe/Berlin\n", nil, "Europe/Berlin"},
		{"--tz", "timezone: Asia/Shanghai\n", []string{"--tz", "Europe/Berlin"}, "Europe/Berlin"},
		// the group's own zone wins over the config's and over --tz
		{"group timezone", "timezone: Asia/Shanghai\ngroups:\n  - {platform: qq, id: 柏林华人读书会, timezone: Europe/Berlin}\n", []string{"--tz", "UTC"}, "Europe/Berlin"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			db, config := filepath.Join(dir, "ckpi.duckdb"), filepath.Join(dir, "ckpi.yaml")
			if err := os.WriteFile(config, []byte(c.config), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"--db", db, "--config", config, "ingest"}, c.args...)
			out, err := ckpi(t, append(args, berlinDST)...)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !strings.Contains(out, "6 messages, 0 notices understood, 0 not understood, 0 membership events, 3 people; 0 of 26 lines neither (0.0%); read in "+c.zone) {
				t.Errorf("coverage line:\n%s", out)
			}
			if got := messageTimes(t, db); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("UTC times\n got %v\nwant %v", got, want)
			}
			if z := logZone(t, db); z != c.zone {
				t.Errorf("ingest_log.source_tz = %q, want %q", z, c.zone)
			}
		})
	}

	// Weeks follow local time (the config's timezone): 4 messages in W43,
	// 2 in W44. Cut in UTC they would be 5 and 1.
	dir := t.TempDir()
	db, config := filepath.Join(dir, "ckpi.duckdb"), filepath.Join(dir, "ckpi.yaml")
	if err := os.WriteFile(config, []byte("timezone: Europe/Berlin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := ckpi(t, "--db", db, "--config", config, "ingest", berlinDST); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for week, want := range map[string]float64{"2026-W43": 4, "2026-W44": 2} {
		out, err := ckpi(t, "--db", db, "--config", config, "metrics", "run", "engagement", "--week", week, "--format", "json")
		if err != nil {
			t.Fatalf("%s: %v\n%s", week, err, out)
		}
		var rows []map[string]any
		if err := json.Unmarshal([]byte(out[strings.Index(out, "["):]), &rows); err != nil {
			t.Fatalf("%s: %v\n%s", week, err, out)
		}
		if len(rows) == 0 || rows[0]["messages"] != want {
			t.Errorf("%s: engagement rows %v, want %v messages", week, rows, want)
		}
	}
}

// A group's own zone in the config wins over the config's timezone and
// --tz for that group, in the parsers that read local times through
// Input.Location (rosters, member lists, mapped exports); ingest_log names
// the zone of each group a file holds.
func TestGroupTimezone(t *testing.T) {
	dir := t.TempDir()
	db, config, roster := filepath.Join(dir, "ckpi.duckdb"), filepath.Join(dir, "ckpi.yaml"), filepath.Join(dir, "roster.csv")
	cfg := "timezone: Asia/Shanghai\ngroups:\n  - {platform: qq, id: 柏林华人读书会, timezone: Europe/Berlin}\n"
	rows := "group,member_id,name,joined_at\n柏林华人读书会,20001,Anna,2026-10-25 01:30\n柏林华人读书会,20002,Ben,2026-10-25 03:30\n星河产品交流群,1001,张伟,2026-10-25 03:30\n"
	for p, text := range map[string]string{config: cfg, roster: rows} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := ckpi(t, "--db", db, "--config", config, "ingest", "--tz", "UTC", roster)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "read in Europe/Berlin (柏林华人读书会); UTC (星河产品交流群)") {
		t.Errorf("coverage line:\n%s", out)
	}
	conn, err := queries.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got []string
	rs, err := conn.Query(`SELECT m.platform_uid || ' ' || strftime(e.ts, '%Y-%m-%dT%H:%M:%SZ') FROM membership_events e JOIN members m USING (member_id) ORDER BY e.ts, m.platform_uid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for rs.Next() {
		var s string
		if err := rs.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	// Berlin: 01:30 CEST and 03:30 CET; the other group in --tz UTC.
	if want := "20001 2026-10-24T23:30:00Z 20002 2026-10-25T02:30:00Z 1001 2026-10-25T03:30:00Z"; strings.Join(got, " ") != want {
		t.Errorf("joins %v\nwant %s", got, want)
	}
	var zone string
	if err := conn.QueryRow(`SELECT source_tz FROM ingest_log`).Scan(&zone); err != nil || zone != "Europe/Berlin (柏林华人读书会); UTC (星河产品交流群)" {
		t.Errorf("source_tz %q (%v)", zone, err)
	}
}

func TestIngestExplain(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "ckpi.yaml")
	if err := os.WriteFile(config, []byte("timezone: Europe/Berlin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "ckpi.duckdb")
	out, err := ckpi(t, "--db", db, "--config", config, "ingest", "--explain", "--lang", "de", berlinDST, "../../testdata/rosters/cn_orders.csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"  format      qq-txt (detected), utf-8\n",
		"  zone        Europe/Berlin (config timezone, " + config + "); times with an offset or in Unix time keep their own\n",
		"  language    de (--lang)\n",
		"  lines       26: 8 header, 0 neither (0.0%)\n",
		"    message                      6\n",
		"      line 9: 2026-10-24 12:00:00 Anna(20001) ⏎ Samstag, noch Sommerzeit\n",
		"        → 2026-10-24 12:00:00 +02:00 柏林华人读书会 Anna (20001) [text]: Samstag, noch Sommerzeit\n",
		"      line 15: 2026-10-25 03:30:00 Anna(20001) ⏎ schon Winterzeit\n",
		"        → 2026-10-25 03:30:00 +01:00 柏林华人读书会 Anna (20001) [text]: schon Winterzeit\n",
		"  coverage    6 messages, 0 notices understood, 0 not understood, 0 membership events, 3 people; 0 of 26 lines neither (0.0%); read in Europe/Berlin\n",
		// the orders: what each row became, the rejected ones with why
		"    order                        5\n",
		"    rejected                     3\n",
		"      line 7: Y6,2026-10-09 10:00,,1.299,,13900000006,,星河徽章,已付款\n        → amount is ambiguous: 1.299",
		"  coverage    5 roster/order rows, 0 membership events, 0 people; 3 of 9 lines neither (33.3%); read in Europe/Berlin\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("--explain created a database")
	}
}

func TestIngestTableMapping(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "shop.csv")
	mapping := filepath.Join(dir, "shop.yaml")
	if err := os.WriteFile(orders, []byte("单据,会员,成交,成交额\nA1,m1,2026-10-08 20:15,199\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mapping, []byte("order_id: 单据\ncustomer_key: 会员\nordered_at: 成交\namount: 成交额\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "ckpi.duckdb")
	// Without the mapping the header is refused, naming what it expects.
	out, err := ckpi(t, "--db", db, "ingest", "--format", "orders-csv", orders)
	if err == nil || !strings.Contains(out, "header has no column for order_id, customer_key, ordered_at, amount (expects") {
		t.Fatalf("err %v:\n%s", err, out)
	}
	out, err = ckpi(t, "--db", db, "ingest", "--format", "orders-csv", "--mapping", mapping, orders)
	if err != nil || !strings.Contains(out, "1 roster/order rows") {
		t.Fatalf("err %v:\n%s", err, out)
	}
	if _, err := ckpi(t, "--db", db, "ingest", "--mapping", mapping, orders); err == nil ||
		!strings.Contains(err.Error(), "--mapping needs --format mapped-csv, mapped-jsonl, mapped-parquet or members-csv, members-snapshot, qq-members, orders-csv") {
		t.Errorf("err = %v", err)
	}
}

// A WhatsApp export whose dates cannot tell day from month is read in a
// guessed order, and the load says so beside the file; an attachment's
// dated name settles it (the layout of whats_pie's iOS testing_data: an
// AM/PM clock written d/m/y).
func TestIngestDateOrderGuessed(t *testing.T) {
	dir := t.TempDir()
	guess := filepath.Join(dir, "WhatsApp Chat with Club.txt")
	told := filepath.Join(dir, "_chat.txt")
	for path, text := range map[string]string{
		guess: "1/2/25, 10:00 - Ann: hello\n1/2/25, 10:05 - Bob: hi\n",
		told: "[10/7/2024, 10:50:54 AM] Club: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n" +
			"\u200e[10/7/2024, 10:51:13 AM] Ann: \u200e<attached: 00000004-STICKER-2024-07-10-10-51-12.webp>\n" +
			"[10/7/2024, 10:51:35 AM] Ann: morning\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "ckpi.duckdb")
	out, err := ckpi(t, "--db", db, "ingest", guess, told)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	const warning = "date order guessed: dmy (no date in the file tells day from month); check one date, or force --date-order dmy or mdy"
	if strings.Count(out, warning) != 1 || !strings.Contains(out, "Club.txt (whatsapp-txt, 2 rows, 0 rejected)") {
		t.Errorf("want one warning, for the first file:\n%s", out)
	}
	out, err = ckpi(t, "ingest", "--explain", told)
	if err != nil || !strings.Contains(out, "  date order  dmy (detected)\n") || !strings.Contains(out, "→ 2024-07-10 10:51:35 +08:00") {
		t.Errorf("explain: %v\n%s", err, out)
	}
	out, err = ckpi(t, "ingest", "--explain", guess)
	if err != nil || !strings.Contains(out, "  date order  dmy (guessed: no date in the file tells day from month; force with --date-order)\n") {
		t.Errorf("explain: %v\n%s", err, out)
	}
}
