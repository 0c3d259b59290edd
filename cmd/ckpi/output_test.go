package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestCSVNeutralisesFormulas(t *testing.T) {
	tb := table{
		Columns: []string{"text", "=HYPERLINK(\"http://x\")", "n"},
		Rows: [][]any{
			{"=cmd|' /C calc'!A0", "+1+2", -5.5},
			{"-2+3", "@SUM(A1:A9)", int64(-42)},
			{"\tx", "\rx", big.NewInt(-7)},
			{"-5", "+0.5", 0.25},
			{"-1.2e-5", ".5", nil},
			{"-", "- item", int64(3)},
			{"plain", "a=b", -0.0},
		},
	}
	var buf bytes.Buffer
	if err := tb.write(&buf, "csv"); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"text", "'=HYPERLINK(\"http://x\")", "n"},
		{"'=cmd|' /C calc'!A0", "'+1+2", "-5.5"},
		{"'-2+3", "'@SUM(A1:A9)", "-42"},
		{"'\tx", "'\rx", "-7"},
		{"-5", "+0.5", "0.25"}, // plain numbers, even as text, are numbers
		{"-1.2e-5", ".5", ""},
		{"'-", "'- item", "3"},
		{"plain", "a=b", "0"},
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("row %d cell %d = %q, want %q", i, j, got[i][j], want[i][j])
			}
		}
	}
}

func TestTerminalTextStripsControls(t *testing.T) {
	cases := map[string]string{
		"张伟|产品|北京":                                   "张伟|产品|北京",
		"\x1b[31mred\x1b[0m":                         "red",
		"a\x1b]0;title\x07b":                         "ab",
		"a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b": "alinkb",
		"line\nbreak\ttab\rcr":                       "line break tab cr",
		"bell\x07 del\x7f c1\u009b31m":               "bell del c131m",
		"rtl\u202eevil\u2066x\u2069":                 "rtlevilx",
		"bad\xffbyte":                                "bad\ufffdbyte",
		"\x1b[":                                      "",
		"emoji 👍🏽 zwj 👨‍👩‍👧":                         "emoji 👍🏽 zwj 👨‍👩‍👧",
	}
	for in, want := range cases {
		if got := terminalText(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	tb := table{Columns: []string{"name\x1b[2J"}, Rows: [][]any{{"\x1b]0;pwned\x07Mia\x1b[5m"}}}
	var buf bytes.Buffer
	if err := tb.write(&buf, "table"); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, "Mia") {
		t.Errorf("table output %q", out)
	}
}

func TestJSONKeepsColumnOrderAndIDsExact(t *testing.T) {
	tb := table{
		Columns: []string{"group_id", "name", "members", "big", "at", "ratio", "member_id", "id"},
		Rows: [][]any{
			{int64(5505338585020822263), "星河", int64(7), int64(1) << 60, time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), 0.5, uint64(18446744073709551615), int32(3)},
			{nil, "(all)", int64(-3), int64(1 << 40), nil, 0.0, int64(12), int32(4)},
		},
	}
	var buf bytes.Buffer
	if err := tb.write(&buf, "json"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// Keys in the order of the columns, in each object.
	for i, obj := range strings.Split(out, "},")[:2] {
		last := -1
		for _, c := range tb.Columns {
			at := strings.Index(obj, `"`+c+`":`)
			if at <= last {
				t.Errorf("object %d: key %q out of the columns' order:\n%s", i, c, obj)
			}
			last = at
		}
	}
	var rows []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{
		"group_id": "5505338585020822263", "member_id": "18446744073709551615", "id": "3",
		"members": 7.0, "big": "1152921504606846976", "at": "2026-11-23T08:00:00Z", "ratio": 0.5,
	} {
		if rows[0][k] != want {
			t.Errorf("%s = %#v, want %#v", k, rows[0][k], want)
		}
	}
	if rows[1]["group_id"] != nil || rows[1]["members"] != -3.0 || rows[1]["big"] != float64(1<<40) || rows[1]["member_id"] != "12" {
		t.Errorf("row 2 = %v", rows[1])
	}
}
