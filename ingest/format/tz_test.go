package format

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Where an export carries its own offset or Unix times (Telegram
// date_unixtime, Discord's ISO offsets, Slack's ts, an order's +08:00),
// the zone of the load must not move them: every time parsed in UTC and in
// a zone 14 hours away must be the same instant.
func TestOwnOffsetsWin(t *testing.T) {
	far, err := time.LoadLocation("Pacific/Kiritimati") // UTC+14
	if err != nil {
		t.Fatal(err)
	}
	times := func(path string, tz *time.Location) []time.Time {
		t.Helper()
		in := Input{TZ: tz}
		rec := &recorder{}
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			f, err := dirFormat(path, "")
			if err != nil {
				t.Fatal(err)
			}
			in.Path = path
			if err := f.(DirFormat).ParseDir(context.Background(), in, rec); err != nil {
				t.Fatal(err)
			}
		} else {
			r, _, err := parseDetected(t, path, in)
			if err != nil {
				t.Fatal(err)
			}
			rec = r
		}
		var out []time.Time
		for _, m := range rec.messages {
			out = append(out, m.Time)
		}
		for _, e := range rec.events {
			out = append(out, e.Time)
		}
		for _, o := range rec.orders {
			out = append(out, o.Time)
		}
		return out
	}
	for _, path := range []string{
		"../../testdata/telegram/result.json",
		"../../testdata/telegram/full_account.json",
		"../../testdata/discord/channel.json",
		"../../testdata/discord/channel.csv",
		"../../testdata/slack/export",
		"../../testdata/rosters/shopify_orders.csv",
	} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			utc, kiri := times(path, time.UTC), times(path, far)
			if len(utc) == 0 || len(utc) != len(kiri) {
				t.Fatalf("%d times in UTC, %d in UTC+14", len(utc), len(kiri))
			}
			for i := range utc {
				if !utc[i].Equal(kiri[i]) {
					t.Errorf("time %d moved with the zone: %s in UTC, %s in UTC+14", i, utc[i].UTC(), kiri[i].UTC())
				}
			}
		})
	}
}
