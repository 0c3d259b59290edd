package ingest_test

// Each format's fixture loaded end to end into a real database: what the
// parser reads must arrive in the canonical tables, once.

import (
	"archive/zip"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/ckpi/ckpi/ingest/format"

	"github.com/ckpi/ckpi/ingest"
)

// loadNew loads one file into a fresh database and checks its format.
func loadNew(t *testing.T, format, path string) *sql.DB {
	t.Helper()
	db := openDB(t)
	if r := load(t, db, path, ingest.Options{}); r.Err != nil || r.Format != format {
		t.Fatalf("load %s: %+v", path, r)
	}
	return db
}

// TestSlackLoad loads the fixture zipped and unzipped, twice each: both are
// detected and load the same.
func TestSlackLoad(t *testing.T) {
	const folder = "../testdata/slack/export"
	zipped := filepath.Join(t.TempDir(), "export.zip")
	f, err := os.Create(zipped)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	if err := w.AddFS(os.DirFS(folder)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, path := range []string{zipped, folder} {
		t.Run(filepath.Base(path), func(t *testing.T) { slackLoad(t, path) })
	}
}

// TestLoadTelegram loads the fixture end to end once the format is in the
// registry (the lead registers formats in format.go).
func TestLoadTelegram(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	for i := range 2 { // the second load of the same bytes adds nothing
		r := ingest.LoadFile(ctx, db, "../testdata/telegram/result.json", ingest.Options{TZ: shanghai})
		if r.Err != nil || r.Format != "telegram-json" || (i == 1) != (r.Status == ingest.StatusSkipped) {
			t.Fatalf("load %d: %+v", i, r)
		}
	}
	checks := []struct {
		query string
		want  int64
	}{
		{`SELECT count(*) FROM messages`, 15},
		{`SELECT count(DISTINCT message_id) FROM messages`, 15},
		{`SELECT count(*) FROM membership_events`, 8},
		{`SELECT count(*) FROM membership_events WHERE source = 'referral'`, 3},
		// Three referrals, and 杨磊's link join: the link was 张伟's ("inviter").
		{`SELECT count(*) FROM membership_events e JOIN members m ON m.member_id = e.inviter_id WHERE m.platform_uid = 'user1001'`, 4},
		{`SELECT count(*) FROM messages WHERE reply_to IS NOT NULL`, 3},
		{`SELECT count(*) FROM messages WHERE ts = TIMESTAMP '2026-11-16 01:15:00'`, 1},
		{`SELECT count(*) FROM groups WHERE platform = 'telegram' AND external_id = '4000000001'`, 1},
	}
	for _, c := range checks {
		var n int64
		if err := db.QueryRowContext(ctx, c.query).Scan(&n); err != nil || n != c.want {
			t.Errorf("%s = %d (%v), want %d", c.query, n, err, c.want)
		}
	}
}

// TestWeChatLoad runs the fixtures through the loader into DuckDB; it needs
// the formats in the registry (ingest/format.go).
func TestWeChatLoad(t *testing.T) {
	for _, c := range []struct {
		format, path string
		msgs, events int64
		// 王芳 and 张伟 as the notice names them, resolved to who spoke
		// under those names (MemoTrace gives wxids; plain CSV only names)
		inviter, joiner string
	}{
		{"wechat-csv", "../testdata/wechat/memotrace.csv", 16, 7, "wxid_wangfang88", "wxid_zhangwei01"},
		{"wechat-plain-csv", "../testdata/wechat/plain.csv", 11, 5, "name:王芳", "name:张伟"},
	} {
		t.Run(c.format, func(t *testing.T) {
			db := loadNew(t, c.format, c.path)
			if n := count(t, db, `SELECT count(*) FROM messages`); n != c.msgs {
				t.Errorf("messages = %d, want %d", n, c.msgs)
			}
			if n := count(t, db, `SELECT count(*) FROM membership_events`); n != c.events {
				t.Errorf("events = %d, want %d", n, c.events)
			}
			// The first join of the fixture: 王芳 invited 张伟 at 09:00 Shanghai.
			if n := count(t, db, `SELECT count(*) FROM membership_events e
				JOIN members i ON i.member_id = e.inviter_id JOIN members m ON m.member_id = e.member_id
				WHERE e.source = 'referral' AND i.platform_uid = ? AND m.platform_uid = ?
				AND e.ts = TIMESTAMP '2026-11-16 01:00:00'`, c.inviter, c.joiner); n != 1 {
				t.Errorf("referral by 王芳 = %d, want 1", n)
			}
			// Loading again adds nothing.
			if r := ingest.LoadFile(context.Background(), db, c.path, ingest.Options{Format: c.format, TZ: shanghai}); r.Err != nil || r.Status != ingest.StatusSkipped {
				t.Errorf("second load = %+v", r)
			}
		})
	}
}

func slackLoad(t *testing.T, path string) {
	ctx := context.Background()
	db := openDB(t)
	opt := ingest.Options{TZ: shanghai}
	// 14 messages, 5 events, 4 roles (an owner and admin, USLACKBOT and the
	// GitHub bot) and 10 presences (channels.json's members).
	if r := ingest.LoadFile(ctx, db, path, opt); r.Err != nil || r.Status != ingest.StatusLoaded || r.Rows != 33 || r.Format != "slack-export" {
		t.Fatalf("load = %+v", r)
	}
	checks := []struct {
		query string
		want  int64
	}{
		{`SELECT count(*) FROM groups WHERE platform = 'slack'`, 2},
		{`SELECT count(*) FROM messages`, 14},
		{`SELECT count(DISTINCT message_id) FROM messages`, 14},
		{`SELECT count(*) FROM messages WHERE kind = 'text'`, 7},
		{`SELECT count(*) FROM messages WHERE reply_to IS NOT NULL`, 3},
		// A reply points at its thread's parent, keyed by the parent's ts.
		{`SELECT count(*) FROM messages r JOIN messages p ON p.message_id = r.reply_to WHERE p.text LIKE '欢迎%'`, 2},
		{`SELECT count(*) FROM messages WHERE list_contains(mentions, 'U07ZW1005')`, 1},
		{`SELECT count(*) FROM messages WHERE ts = TIMESTAMP '2026-11-16 01:02:00.0003'`, 1},
		{`SELECT count(*) FROM membership_events`, 5},
		{`SELECT count(*) FROM membership_events e JOIN members m ON m.member_id = e.inviter_id WHERE e.source = 'referral' AND m.platform_uid = 'U07ZW1003'`, 1},
		{`SELECT count(*) FROM members WHERE platform = 'slack'`, 9}, // 7 people, the GitHub bot, USLACKBOT (a bot by users.json)
		{`SELECT count(*) FROM members WHERE platform_uid = 'U07ZW1002' AND display_name = '王芳'`, 1},
	}
	for _, c := range checks {
		var got int64
		if err := db.QueryRowContext(ctx, c.query).Scan(&got); err != nil || got != c.want {
			t.Errorf("%s = %d (%v), want %d", c.query, got, err, c.want)
		}
	}
	if r := ingest.LoadFile(ctx, db, path, opt); r.Err != nil || r.Status != ingest.StatusSkipped {
		t.Fatalf("second load = %+v", r)
	}
}

func TestWhatsAppLoad(t *testing.T) {
	db := loadNew(t, "whatsapp-txt", "../testdata/whatsapp/ios_24h_dmy.txt")
	if n := count(t, db, `SELECT count(*) FROM messages`); n != 14 {
		t.Errorf("messages = %d, want 14", n)
	}
	if n := count(t, db, `SELECT count(*) FROM membership_events e JOIN members m ON m.member_id = e.inviter_id
		WHERE e.source = 'referral' AND m.platform_uid = 'name:林小雨'`); n != 2 {
		t.Errorf("referrals by 林小雨 = %d, want 2", n)
	}
	if n := count(t, db, `SELECT count(*) FROM messages WHERE ts = TIMESTAMP '2026-03-13 13:05:33' AND list_contains(mentions, '陈大文')`); n != 1 {
		t.Errorf("mention message = %d, want 1", n)
	}
	if r := ingest.LoadFile(context.Background(), db, "../testdata/whatsapp/ios_24h_dmy.txt", ingest.Options{TZ: shanghai}); r.Status != ingest.StatusSkipped {
		t.Errorf("second load = %+v", r)
	}
}

func TestLoadDiscord(t *testing.T) {
	if _, err := format.FormatByName("discord-json"); err != nil {
		t.Skip("discord-json is not registered yet")
	}
	ctx := context.Background()
	db := openDB(t)
	for _, path := range []string{"../testdata/discord/channel.json", "../testdata/discord/group_dm.json"} {
		if r := ingest.LoadFile(ctx, db, path, ingest.Options{TZ: shanghai}); r.Err != nil || r.Format != "discord-json" {
			t.Fatalf("load %s: %+v", path, r)
		}
	}
	checks := []struct {
		query string
		want  int64
	}{
		{`SELECT count(*) FROM groups WHERE platform = 'discord'`, 2},
		{`SELECT count(*) FROM messages`, 19},
		{`SELECT count(*) FROM membership_events`, 5},
		{`SELECT count(*) FROM messages WHERE reply_to IS NOT NULL`, 3},
		{`SELECT count(*) FROM messages WHERE list_contains(mentions, '100000000000000003')`, 1},
		{`SELECT count(*) FROM members WHERE platform = 'discord' AND platform_uid = '100000000000000002' AND display_name = '王芳'`, 1},
	}
	for _, c := range checks {
		var n int64
		if err := db.QueryRowContext(ctx, c.query).Scan(&n); err != nil || n != c.want {
			t.Errorf("%s = %d (%v), want %d", c.query, n, err, c.want)
		}
	}
}
