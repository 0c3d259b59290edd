package reports

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/ingest/synth"
	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/metrics/risk"
	"github.com/ckpi/ckpi/queries"
)

// demoEnd is the end of the generated demo community: its last week is
// 2026-W47, whatever today is.
var demoEnd = time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

// demoDB is `ckpi demo`'s community (12 groups, 12 weeks, fewer messages)
// generated, loaded with its staff and risk-scanned once per test binary.
func demoDB(t *testing.T) *sql.DB {
	t.Helper()
	ctx := context.Background()
	demoOnce.Do(func() {
		demoDir, demoErr = os.MkdirTemp("", "ckpi-demo-golden-")
		if demoErr != nil {
			return
		}
		demoErr = buildDemoDB(ctx, demoDir)
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	db, err := queries.Open(ctx, filepath.Join(demoDir, "ckpi.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func buildDemoDB(ctx context.Context, dir string) error {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	cfg := synth.Default()
	cfg.Messages, cfg.TZ, cfg.End, cfg.Carriers = 20000, loc, demoEnd, true
	exports := filepath.Join(dir, "exports")
	sum, err := synth.Generate(ctx, exports, cfg)
	if err != nil {
		return err
	}
	db, err := queries.Open(ctx, filepath.Join(dir, "ckpi.duckdb"))
	if err != nil {
		return err
	}
	defer db.Close()
	var staff []ingest.Staff
	for _, s := range sum.Staff {
		staff = append(staff, ingest.Staff{Platform: "qq", UID: s, Role: "service"})
	}
	if err := ingest.SetStaff(ctx, db, staff); err != nil {
		return err
	}
	var files []string
	err = filepath.WalkDir(exports, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	var failed error
	ingest.LoadFiles(ctx, db, files, ingest.Options{TZ: loc}, func(r ingest.Result) {
		if failed == nil {
			failed = r.Err
		}
	})
	if failed != nil {
		return failed
	}
	_, err = risk.Scan(ctx, db, risk.Default(), risk.ScanOptions{TZ: loc, Now: demoEnd.Add(9 * time.Hour)})
	return err
}

// TestDemoReportGolden writes what a reader of the demo report sees, page
// and workbook, in both languages, and compares it with the golden files:
// the text of the page (with its hover hints), the data of its charts, and
// every cell of every sheet as Excel shows it. A change to the catalogue or
// to the report that changes what a reader sees shows here as a diff.
func TestDemoReportGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads a community")
	}
	db := demoDB(t)
	cat, err := metrics.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	week, err := metrics.ParseWeek("2026-W47", loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			r, err := BuildWeekly(context.Background(), db, BuildOptions{Week: week, Lang: lang, Catalog: cat, Now: demoEnd.Add(9 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			var page bytes.Buffer
			if err := RenderHTML(&page, r); err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			out.WriteString("== page\n")
			out.WriteString(pageText(t, page.String()))
			out.WriteString("== charts\n")
			out.WriteString(chartData(t, page.String()))
			out.WriteString("== workbook\n")
			out.WriteString(workbookText(t, writeXLSX(t, r)))
			compareGolden(t, filepath.Join("testdata", "demo_"+lang+".golden.txt"), out.String())
		})
	}
}

// compareGolden compares got with the golden file, or rewrites it with -update.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./reports -update` to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run `go test ./reports -run %s -update` if the change is intended):\n%s", path, t.Name(), firstDiff(got, string(want)))
	}
}

// blockTags end a line of the page text; cellTags end a cell of a row.
var (
	blockTags = map[string]bool{"p": true, "h1": true, "h2": true, "h3": true, "tr": true, "div": true, "figcaption": true,
		"article": true, "section": true, "header": true, "footer": true, "dl": true, "li": true, "title": true}
	cellTags = map[string]bool{"td": true, "th": true, "dt": true, "dd": true}
)

// pageText is the visible text of a page, a line per block and " | "
// between cells, with the title attributes (hover hints) in brackets.
func pageText(t *testing.T, page string) string {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	var out, line strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(line.String()), " "); s != "" {
			out.WriteString(strings.TrimSuffix(s, " |") + "\n")
		}
		line.Reset()
	}
	skip := ""
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return out.String()
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data == "script" || tok.Data == "style" || tok.Data == "svg" {
				skip = tok.Data
			}
			if blockTags[tok.Data] {
				flush()
			}
			for _, a := range tok.Attr {
				if a.Key == "title" {
					line.WriteString(" [" + a.Val + "] ")
				}
			}
		case html.EndTagToken:
			tok := z.Token()
			if tok.Data == skip {
				skip = ""
			}
			if blockTags[tok.Data] {
				flush()
			}
			if cellTags[tok.Data] {
				line.WriteString(" | ")
			}
		case html.TextToken:
			if skip == "" {
				line.WriteString(" " + string(z.Text()) + " ")
			}
		}
	}
}

var chartsVar = regexp.MustCompile(`(?m)^var CKPI_CHARTS = (.*);$`)

// chartData is each chart's series: name and values, one line each.
func chartData(t *testing.T, page string) string {
	t.Helper()
	m := chartsVar.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CKPI_CHARTS in the page")
	}
	var specs []struct {
		ID     string `json:"id"`
		Format string `json:"format"`
		Option struct {
			Series []struct {
				Name string          `json:"name"`
				Type string          `json:"type"`
				Data json.RawMessage `json:"data"`
			} `json:"series"`
			XAxis json.RawMessage `json:"xAxis"`
			YAxis json.RawMessage `json:"yAxis"`
		} `json:"option"`
	}
	if err := json.Unmarshal([]byte(m[1]), &specs); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, s := range specs {
		fmt.Fprintf(&out, "%s (%s)\n", s.ID, s.Format)
		if s.Option.Series == nil {
			continue
		}
		for _, ser := range s.Option.Series {
			fmt.Fprintf(&out, "  %s [%s]: %s\n", ser.Name, ser.Type, ser.Data)
		}
	}
	return out.String()
}

// workbookText is every cell of every sheet as Excel formats it.
func workbookText(t *testing.T, path string) string {
	t.Helper()
	f := openXLSX(t, path)
	var out strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&out, "-- %s\n", sheet)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			if strings.Join(row, "") == "" {
				continue
			}
			fmt.Fprintf(&out, "%d: %s\n", i+1, strings.Join(row, " | "))
		}
	}
	return out.String()
}
