package format

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const oaFixtures = "../../testdata/wechat-oa"

// writeOAXLSX writes the user growth download as a workbook with Chinese
// headers: dates as Excel dates (one as text, as a re-typed cell is), a
// 合计 row and a row with a time of day. Run with -update.
func writeOAXLSX(t *testing.T) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	cst := time.FixedZone("CST", 8*3600)
	rows := [][]any{
		{"时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数", "扫描二维码", "搜一搜", "其他"},
		{time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), 64, 9, 55, 25586, 30, 20, 14},
		{time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), 51, 15, 36, 25622, 20, 21, 10},
		{"2026-11-22", 47, 8, 39, 25661, 17, 20, 10},
		{"合计", 162, 32, 130, nil, 67, 61, 34},
		{"2026-11-23 09:00", 5, 0, 5, 25666, 5, 0, 0},
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	stamp := time.Date(2026, 11, 23, 9, 0, 0, 0, cst).UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Created: stamp, Modified: stamp, Creator: "ckpi"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join(oaFixtures, "星河科技-用户增长-11月.xlsx")); err != nil {
		t.Fatal(err)
	}
}

func TestWriteOAXLSX(t *testing.T) {
	if !*update {
		t.Skip("writes testdata/wechat-oa/*.xlsx with -update")
	}
	writeOAXLSX(t)
}

func oaZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// followKey finds a Follows row by day and source.
func followRow(t *testing.T, rows []Follows, day, source string) Follows {
	t.Helper()
	for _, f := range rows {
		if f.Day.Format("2006-01-02") == day && f.Source == source {
			return f
		}
	}
	t.Fatalf("no follows row for %s %s in %d rows", day, source, len(rows))
	return Follows{}
}

func TestWeChatOAGrowthFixtures(t *testing.T) {
	loc := oaZone(t)
	xinghe := Account{Platform: PlatformWeChatOA, ExternalID: "星河科技", Name: "星河科技"}
	for _, tc := range []struct {
		file    string
		rows    int
		rejects []int64 // their lines
		checks  []Follows
	}{
		{"星河科技-用户增长.csv", 24, []int64{5, 6}, []Follows{
			{Account: xinghe, Source: FollowAll, New: 1204, Cancel: 35, Cumulate: 25410, Line: 2},
			{Account: xinghe, Source: "search", New: 310, Cancel: NoCount, Cumulate: NoCount, Line: 2},
			{Account: xinghe, Source: "payment", New: 12, Cancel: NoCount, Cumulate: NoCount, Line: 2},
			{Account: xinghe, Source: FollowAll, New: 88, Cancel: 101, Cumulate: 25473, Line: 4},
			{Account: xinghe, Source: "other", New: 5, Cancel: NoCount, Cumulate: NoCount, Line: 4},
		}},
		{"星河科技-用户增长-11月.xlsx", 12, []int64{6}, []Follows{
			{Account: xinghe, Source: FollowAll, New: 64, Cancel: 9, Cumulate: 25586, Line: 2},
			{Account: xinghe, Source: "qr", New: 30, Cancel: NoCount, Cumulate: NoCount, Line: 2},
			{Account: xinghe, Source: FollowAll, New: 47, Cancel: 8, Cumulate: 25661, Line: 4},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			rec, f, err := parseDetected(t, filepath.Join(oaFixtures, tc.file), Input{TZ: loc})
			if err != nil {
				t.Fatal(err)
			}
			if f.Name() != "wechat-oa-growth" {
				t.Fatalf("detected %s", f.Name())
			}
			rows := rec.follows()
			if len(rows) != tc.rows {
				t.Errorf("%d follows rows, want %d", len(rows), tc.rows)
			}
			var lines []int64
			for _, r := range rec.rejects {
				lines = append(lines, r.Line)
			}
			if len(lines) != len(tc.rejects) || (len(lines) > 0 && lines[0] != tc.rejects[0]) {
				t.Errorf("rejects at lines %v, want %v (%v)", lines, tc.rejects, rec.rejects)
			}
			for _, want := range tc.checks {
				got := followAt(t, rows, want.Line, want.Source)
				if got.Day.Location() != loc || got.Day.Hour() != 0 {
					t.Errorf("day %v: want local midnight in Asia/Shanghai", got.Day)
				}
				got.Day = time.Time{}
				if got != want {
					t.Errorf("line %d %s:\n got %+v\nwant %+v", want.Line, want.Source, got, want)
				}
			}
		})
	}
}

func followAt(t *testing.T, rows []Follows, line int64, source string) Follows {
	t.Helper()
	for _, f := range rows {
		if f.Line == line && f.Source == source {
			return f
		}
	}
	t.Fatalf("no follows row for line %d %s", line, source)
	return Follows{}
}

func TestWeChatOAGrowthRejects(t *testing.T) {
	rec, _, err := parseDetected(t, filepath.Join(oaFixtures, "星河科技-用户增长.csv"), Input{TZ: oaZone(t)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"净增关注人数 50 is not 新关注人数 70 - 取消关注人数 12",
		`时间 "昨天" is not a day (want 2026-11-16, 2026/11/16 or 2026年11月16日)`,
	}
	for i, r := range rec.rejects {
		if i >= len(want) || r.Reason != want[i] {
			t.Errorf("reject %d: %q", i, r.Reason)
		}
	}
	// The slash date is the same local day as the dashed ones.
	if d := followRow(t, rec.follows(), "2026-11-18", FollowAll); d.New != 88 {
		t.Errorf("2026/11/18: %+v", d)
	}
}

func TestWeChatOAAPIFixtures(t *testing.T) {
	loc := oaZone(t)
	def := Account{Platform: PlatformWeChatOA, ExternalID: "default", Name: "公众号"}

	rec, f, err := parseDetected(t, filepath.Join(oaFixtures, "getusersummary.json"), Input{TZ: loc})
	if err != nil || f.Name() != "wechat-oa-api" {
		t.Fatalf("%v %v", f, err)
	}
	rows := rec.follows()
	if len(rows) != 13 || len(rec.rejects) != 2 {
		t.Fatalf("%d rows, %d rejects (%v)", len(rows), len(rec.rejects), rec.rejects)
	}
	for _, c := range []struct {
		day, source     string
		added, canceled int64
	}{
		{"2026-11-16", FollowAll, 1204, 35}, {"2026-11-17", FollowAll, 96, 20},
		{"2026-11-16", "other", 40, 35}, {"2026-11-16", "qr", 520, 0}, {"2026-11-16", "payment", 12, 0},
		{"2026-11-16", "ads", 150, 0}, {"2026-11-17", "repost", 21, 0},
	} {
		got := followRow(t, rows, c.day, c.source)
		if got.New != c.added || got.Cancel != c.canceled || got.Cumulate != NoCount || got.Account != def {
			t.Errorf("%s %s: %+v", c.day, c.source, got)
		}
	}
	if r := rec.rejects; r[0].Line != 14 || r[0].Reason != `new_user "-3" is not a count` || r[1].Line != 15 {
		t.Errorf("rejects %+v", r)
	}

	rec, _, err = parseDetected(t, filepath.Join(oaFixtures, "getusercumulate.json"), Input{TZ: loc})
	if err != nil {
		t.Fatal(err)
	}
	if got := followRow(t, rec.follows(), "2026-11-18", FollowAll); got.Cumulate != 25473 || got.New != NoCount {
		t.Errorf("cumulate: %+v", got)
	}

	rec, _, err = parseDetected(t, filepath.Join(oaFixtures, "getarticlesummary.json"), Input{TZ: loc})
	if err != nil {
		t.Fatal(err)
	}
	cs := rec.content()
	if len(cs) != 3 || len(rec.rejects) != 1 {
		t.Fatalf("%d content, rejects %v", len(cs), rec.rejects)
	}
	want := Content{Account: def, ArticleID: "2247483650_1", Title: "11月新品发布：星河 Pro", Channel: ContentAll,
		ReadUsers: 905, Reads: 1102, OriginalReadUsers: 21, OriginalReads: 23, ShareUsers: 40, Shares: 44, FavUsers: 9, Favs: 9, Line: 16}
	got := cs[1]
	if got.Day != time.Date(2026, 11, 17, 0, 0, 0, 0, loc) {
		t.Errorf("day %v", got.Day)
	}
	got.Day = time.Time{}
	if got != want {
		t.Errorf("\n got %+v\nwant %+v", got, want)
	}

	// getarticletotal: totals since publication, turned into each day's.
	rec, _, err = parseDetected(t, filepath.Join(oaFixtures, "getarticletotal.json"), Input{TZ: loc})
	if err != nil {
		t.Fatal(err)
	}
	cs = rec.content()
	if len(cs) != 12 || len(rec.rejects) != 1 {
		t.Fatalf("%d content, rejects %v", len(cs), rec.rejects)
	}
	second := cs[6] // 2026-11-17, all channels
	if second.Channel != ContentAll || second.ReadUsers != 905 || second.Reads != 1102 || second.ShareUsers != 40 ||
		second.Favs != 9 || second.OriginalReads != 23 || !second.Published.Equal(time.Date(2026, 11, 16, 0, 0, 0, 0, loc)) {
		t.Errorf("day 2: %+v", second)
	}
	if feed := cs[9]; feed.Channel != "feed" || feed.ReadUsers != 260 || feed.Reads != 330 || feed.Shares != NoCount {
		t.Errorf("feed on day 2: %+v", feed)
	}
	if r := rec.rejects[0]; r.Line != 64 || r.Reason != "details of 2026-11-18: int_page_read_user falls from 4025 to 4000: totals since publication never fall" {
		t.Errorf("reject %+v", r)
	}

	_, _, err = parseDetected(t, filepath.Join(oaFixtures, "errcode.json"), Input{TZ: loc})
	if err == nil || err.Error() != `wechat-oa-api ../../testdata/wechat-oa/errcode.json:1: the data API answered an error, not data: errcode 61501 (date range error hint: [abc123])` {
		t.Errorf("errcode: %v", err)
	}
}

func TestWeChatOAContentFixture(t *testing.T) {
	loc := oaZone(t)
	rec, f, err := parseDetected(t, filepath.Join(oaFixtures, "星河科技-图文分析.csv"), Input{TZ: loc})
	if err != nil || f.Name() != "wechat-oa-content" {
		t.Fatalf("%v %v", f, err)
	}
	cs := rec.content()
	if len(cs) != 3 || len(rec.rejects) != 2 {
		t.Fatalf("%d content, rejects %v", len(cs), rec.rejects)
	}
	// The link's mid and idx key the article as the API's msgid does.
	if cs[0].ArticleID != "2247483650_1" || cs[0].ReadUsers != 3120 || cs[0].Reads != 4015 || cs[0].Favs != NoCount {
		t.Errorf("%+v", cs[0])
	}
	if cs[2].ArticleID != "title:2026-11-17:用户故事：小张的第一台星河" || cs[2].ShareUsers != 12 {
		t.Errorf("%+v", cs[2])
	}
	if r := rec.rejects; r[0].Reason != "no 阅读人数" || r[0].Line != 5 || r[1].Reason != `阅读人数 "1.2万" is not a count` {
		t.Errorf("%+v", r)
	}
}

func TestAccountOf(t *testing.T) {
	for path, want := range map[string]string{
		"exports/星河科技-用户增长.csv":             "星河科技",
		"星河科技_getusersummary.json":          "星河科技",
		"Xinghe getarticletotal (1).json":   "Xinghe",
		"用户增长.xlsx":                         "default",
		"getusersummary.json":               "default",
		"星河科技-用户增长-11月 (2).xlsx":            "星河科技",
		"/tmp/weird name/用户增长_20261116.csv": "default",
	} {
		if got := accountOf(path); got.ExternalID != want {
			t.Errorf("%s: %q, want %q", path, got.ExternalID, want)
		}
	}
}
