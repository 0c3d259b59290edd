package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeXLSX renders r to a file in a temporary directory and returns its path.
func writeXLSX(t testing.TB, r *Weekly) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "weekly.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := RenderXLSX(out, r); err != nil {
		t.Fatalf("RenderXLSX: %v", err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func openXLSX(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("reopen %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// zipFiles reads every part of an xlsx package.
func zipFiles(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[zf.Name] = string(b)
	}
	return out
}

func TestRenderXLSXSheets(t *testing.T) {
	f := openXLSX(t, writeXLSX(t, sampleWeekly()))
	want := []string{"Summary", "Groups", "Growth by channel", "Participation & engagement",
		"Activity rhythm", "Cohort retention", "Messages by hour", "Trends"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d, want Summary (0)", f.GetActiveSheetIndex())
	}
}

func TestRenderXLSXSummary(t *testing.T) {
	f := openXLSX(t, writeXLSX(t, sampleWeekly()))
	cells := []struct {
		ref, want string // shown value, number formats applied
		numFmt    string // "" to skip
	}{
		{"A1", "Community weekly report", ""},
		{"A2", "Week: 2026-W47   ·   Period: 2026-11-16 – 2026-11-22   ·   Time zone: Asia/Shanghai", ""},
		{"A5", "KPI", ""}, {"B5", "This week", ""}, {"C5", "Last week", ""}, {"D5", "Change", ""},
		{"A6", "Members at week end", ""},
		{"B6", "12,480", "#,##0"},
		{"C6", "12,110", "#,##0"},
		{"D6", "+3.1%", excelChangeFmt},
		{"D7", "-9.8%", excelChangeFmt},
		{"B8", "34.2%", "0.0%"},
		{"B9", "1.6 h", `0.0" h"`},
		{"B10", "", "0.0%"}, // conversion: not computable this week
		{"D10", "", ""},
		{"B11", "18.40", "#,##0.00"},
	}
	for _, c := range cells {
		got, err := f.GetCellValue("Summary", c.ref)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("Summary!%s = %q, want %q", c.ref, got, c.want)
		}
		if c.numFmt != "" {
			if got := numFmtOf(t, f, "Summary", c.ref); got != c.numFmt {
				t.Errorf("Summary!%s number format %q, want %q", c.ref, got, c.numFmt)
			}
		}
	}
	// The value itself is the number, not text.
	for ref, want := range map[string]string{"B8": "0.342", "D11": "0"} {
		if raw, _ := f.GetCellValue("Summary", ref, excelize.Options{RawCellValue: true}); raw != want {
			t.Errorf("Summary!%s raw value %q, want %s", ref, raw, want)
		}
	}

	// Change colours follow GoodWhen: for "up" cards > 0 is good, for "down" cards < 0 is.
	cf, err := f.GetConditionalFormats("Summary")
	if err != nil {
		t.Fatal(err)
	}
	good := func(ref string) int {
		for _, o := range cf[ref] {
			if o.Criteria == "greater than" && o.Format != nil {
				return *o.Format
			}
		}
		t.Fatalf("no conditional format on Summary!%s (have %v)", ref, cf)
		return 0
	}
	upGood, downGood := good("D6"), good("D9") // members (up), median reply (down)
	if upGood == downGood {
		t.Errorf("a rise is coloured the same for GoodWhen up and down (format %d)", upGood)
	}
	if good("D12") != downGood { // rule violations: down is good
		t.Error("D12 (GoodWhen down) not coloured like D9")
	}
}

func numFmtOf(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	if st.NumFmt == 49 {
		return "@"
	}
	return ""
}

func TestRenderXLSXCharts(t *testing.T) {
	r := sampleWeekly()
	path := writeXLSX(t, r)
	parts := zipFiles(t, path)
	kinds := []string{"<lineChart>", "<barChart>", "<lineChart>", "<barChart>", "<barChart>", "<barChart>"}
	for i, kind := range kinds {
		name := "xl/charts/chart" + string(rune('1'+i)) + ".xml"
		x, ok := parts[name]
		x = strings.ReplaceAll(x, "&#39;", "'")
		if !ok {
			t.Fatalf("no %s: charts missing", name)
		}
		if !strings.Contains(x, kind) {
			t.Errorf("%s is not a %s", name, kind)
		}
		if !strings.Contains(x, `<f>'Trends'!$A$`) {
			t.Errorf("%s does not take its categories from the Trends sheet", name)
		}
		if !strings.Contains(x, r.Trends[i].Title) {
			t.Errorf("%s lacks its title %q", name, r.Trends[i].Title)
		}
	}
	if !strings.Contains(parts["xl/charts/chart2.xml"], `<grouping val="stacked">`) {
		t.Error("the stacked trend is not a stacked chart")
	}
	if _, ok := parts["xl/charts/chart7.xml"]; ok {
		t.Error("more charts than trends")
	}
	// Members and net growth: net growth as columns, members as a line on
	// a second value axis.
	combo := parts["xl/charts/chart5.xml"]
	if !strings.Contains(combo, "<lineChart>") || strings.Count(combo, "<valAx>") != 2 || !strings.Contains(combo, `<crosses val="max"`) {
		t.Errorf("members and net growth is not a column and line chart on two axes:\n%s", combo)
	}
	if !strings.Contains(parts["xl/charts/chart6.xml"], `<grouping val="stacked">`) {
		t.Error("the violations trend is not a stacked chart")
	}
	// The charts sit on Summary.
	rels := parts["xl/worksheets/_rels/sheet1.xml.rels"]
	if !strings.Contains(rels, "drawing") {
		t.Error("Summary has no drawing: the charts are not on it")
	}
	// The data the charts show: nil is a blank cell, not 0.
	f := openXLSX(t, path)
	// "Joins by channel" is the second block: title on row 18, header on 19,
	// weeks on 20-31; "Invite link" (column D) has no value in week 8.
	for ref, want := range map[string]string{"A18": "Joins by channel", "D19": "Invite link", "A20": "2026-W36", "D26": "52", "D27": "", "D28": "56"} {
		if v, _ := f.GetCellValue("Trends", ref); v != want {
			t.Errorf("Trends!%s = %q, want %q", ref, v, want)
		}
	}
}

func TestRenderXLSXGroups(t *testing.T) {
	r := sampleWeekly()
	path := writeXLSX(t, r)
	f := openXLSX(t, path)
	rows, err := f.GetRows("Groups")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(r.Groups)+1 {
		t.Fatalf("%d rows on Groups, want %d", len(rows), len(r.Groups)+1)
	}
	wantHeader := "Rank|Group|Platform|Members|Joins|Leaves|Net growth|Growth rate|Active members|Participation|Messages|Activities|Conversion|Messages with violations|Health score|Flags|Data notes"
	if got := strings.Join(rows[0], "|"); got != wantHeader {
		t.Errorf("header %q, want %q", got, wantHeader)
	}
	if rows[3][1] != formulaName || rows[2][1] != scriptName || rows[1][1] != "上海读书会 一群" {
		t.Errorf("group names not kept as written: %q %q %q", rows[1][1], rows[2][1], rows[3][1])
	}
	if got := rows[6][15]; got != "Size below 15; Unanswered questions: 4" {
		t.Errorf("flags %q, want them joined by \"; \"", got)
	}
	if got := numFmtOf(t, f, "Groups", "H2"); got != "0.0%" {
		t.Errorf("growth rate number format %q, want 0.0%%", got)
	}
	if got := numFmtOf(t, f, "Groups", "D2"); got != "#,##0" {
		t.Errorf("members number format %q, want #,##0", got)
	}
	if got := numFmtOf(t, f, "Groups", "B2"); got != "@" {
		t.Errorf("group name number format %q, want @ (text)", got)
	}
	// Conversion is nil for every 4th group: a blank cell.
	if got, _ := f.GetCellValue("Groups", "M5"); got != "" {
		t.Errorf("nil conversion written as %q", got)
	}

	panes, err := f.GetPanes("Groups")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("Groups panes %+v, want the header row frozen", panes)
	}
	parts := zipFiles(t, path)
	sheet := parts[sheetPart(t, parts, "Groups")]
	if !regexp.MustCompile(`<autoFilter ref="\$?A\$?1:\$?Q\$?31"`).MatchString(sheet) {
		t.Error("Groups has no autofilter over A1:Q31")
	}
	// Health scores (O) and participation (J) are coloured by a 3-colour scale.
	cf, err := f.GetConditionalFormats("Groups")
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"O2:O31", "J2:J31"} {
		if len(cf[ref]) != 1 || cf[ref][0].Type != "3_color_scale" {
			t.Errorf("Groups!%s conditional formats %+v, want a 3-colour scale", ref, cf[ref])
		}
	}
	if !strings.Contains(parts["xl/workbook.xml"], `_xlnm._FilterDatabase`) {
		t.Error("workbook lacks the _FilterDatabase name of the autofilter")
	}

	// Column B fits the widest name, CJK characters counting double.
	w, err := f.GetColWidth("Groups", "B")
	if err != nil {
		t.Fatal(err)
	}
	if need := float64(displayWidth("北京宝妈交流群（朝阳）")); w < need {
		t.Errorf("column B width %.1f, want >= %.0f for the CJK name", w, need)
	}
}

// sheetPart finds the package part of a sheet by its name.
func sheetPart(t *testing.T, parts map[string]string, name string) string {
	t.Helper()
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal([]byte(parts["xl/workbook.xml"]), &wb); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(parts["xl/_rels/workbook.xml.rels"]), &rels); err != nil {
		t.Fatal(err)
	}
	for _, s := range wb.Sheets {
		if s.Name != name {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				return "xl/" + strings.TrimPrefix(r.Target, "/xl/")
			}
		}
	}
	t.Fatalf("no sheet %q", name)
	return ""
}

func TestRenderXLSXTables(t *testing.T) {
	r := sampleWeekly()
	path := writeXLSX(t, r)
	f := openXLSX(t, path)
	const s = "Growth by channel"
	rows, err := f.GetRows(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], "|"); got != "Channel|Joins|Share of joins|Days to first order|Last join" {
		t.Errorf("header %q", got)
	}
	for _, c := range []struct{ ref, want string }{
		{"A2", "Referral"}, {"B2", "186"}, {"C2", "41.2%"}, {"D2", "3.5"}, {"E2", "2026-11-22 21:14"},
		{"D4", ""}, {"E4", "2026-11-21"}, {"E5", ""}, {"A6", "=1+2"},
	} {
		if got, _ := f.GetCellValue(s, c.ref); got != c.want {
			t.Errorf("%s!%s = %q, want %q", s, c.ref, got, c.want)
		}
	}
	panes, _ := f.GetPanes(s)
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s panes %+v, want the header row frozen", s, panes)
	}
	parts := zipFiles(t, path)
	if !regexp.MustCompile(`<autoFilter ref="\$?A\$?1:\$?E\$?6"`).MatchString(parts[sheetPart(t, parts, s)]) {
		t.Errorf("%s has no autofilter over A1:E6", s)
	}
}

// TestRenderXLSXNoFormulas opens the sheet XML itself: user text that looks
// like a formula must be a string cell (shared "s" or "inlineStr"), and no
// cell of the workbook may carry an <f> element.
func TestRenderXLSXNoFormulas(t *testing.T) {
	r := sampleWeekly()
	parts := zipFiles(t, writeXLSX(t, r))
	var sst struct {
		SI []struct {
			T string `xml:"t"`
		} `xml:"si"`
	}
	if err := xml.Unmarshal([]byte(parts["xl/sharedStrings.xml"]), &sst); err != nil {
		t.Fatal(err)
	}
	type xmlCell struct {
		R  string  `xml:"r,attr"`
		T  string  `xml:"t,attr"`
		F  *string `xml:"f"`
		V  string  `xml:"v"`
		IS *struct {
			T string `xml:"t"`
		} `xml:"is"`
	}
	var sheet struct {
		Rows []struct {
			Cells []xmlCell `xml:"c"`
		} `xml:"sheetData>row"`
	}
	hostile := map[string]bool{
		formulaName: false, "+cmd|' /C calc'!A0": false, "-2+3": false, "@SUM(A1)": false, "=1+2": false,
		"No activity for 2 weeks; =FLAG()": false,
	}
	sheets := 0
	for name, body := range parts {
		if !strings.HasPrefix(name, "xl/worksheets/sheet") {
			continue
		}
		sheets++
		if regexp.MustCompile(`<f[ >]`).MatchString(body) {
			t.Errorf("%s has a formula (<f>) element", name)
		}
		sheet.Rows = nil
		if err := xml.Unmarshal([]byte(body), &sheet); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, row := range sheet.Rows {
			for _, c := range row.Cells {
				text := ""
				switch c.T {
				case "s":
					var i int
					for _, ch := range c.V {
						i = i*10 + int(ch-'0')
					}
					text = sst.SI[i].T
				case "inlineStr":
					if c.IS != nil {
						text = c.IS.T
					}
				case "str":
					t.Errorf("%s!%s is a formula result cell (t=\"str\")", name, c.R)
				}
				if c.F != nil {
					t.Errorf("%s!%s has a formula %q", name, c.R, *c.F)
				}
				if _, ok := hostile[text]; ok {
					hostile[text] = true
				}
				if strings.ContainsAny(text[:min(1, len(text))], "=+-@\t\r") && c.T != "s" && c.T != "inlineStr" {
					t.Errorf("%s!%s holds %q as type %q, want a string cell", name, c.R, text, c.T)
				}
			}
		}
	}
	if sheets != 8 {
		t.Errorf("%d worksheets, want 8", sheets)
	}
	for s, seen := range hostile {
		if !seen {
			t.Errorf("%q not found as a string cell", s)
		}
	}
}

// TestRenderXLSXHeatmaps reads the heatmap sheets back: labels, values,
// empty cells for unknown values, the colour scale and the frozen labels.
func TestRenderXLSXHeatmaps(t *testing.T) {
	r := sampleWeekly()
	f := openXLSX(t, writeXLSX(t, r))
	for _, c := range []struct{ sheet, ref, want string }{
		{"Activity rhythm", "A1", r.Heatmaps[0].Title},
		{"Activity rhythm", "A4", "Group \\ Week"},
		{"Activity rhythm", "B4", "2026-W36"},
		{"Activity rhythm", "M4", "2026-W47"},
		{"Activity rhythm", "A5", "上海读书会 一群"},
		{"Activity rhythm", "A6", scriptName},
		{"Activity rhythm", "A7", formulaName},
		{"Activity rhythm", "B5", "0"},
		{"Activity rhythm", "D6", "3"},
		{"Cohort retention", "B5", "95.0%"},
		{"Cohort retention", "E5", "77.0%"},
		{"Cohort retention", "E9", "76.0%"},
		{"Cohort retention", "E10", ""}, // the W44 cohort's fourth week is not over
		{"Cohort retention", "B12", "94.0%"},
		{"Cohort retention", "C12", ""},
		{"Messages by hour", "A11", "Sun"},
		{"Messages by hour", "Y4", "23"},
		{"Messages by hour", "Y11", "289"},
	} {
		if got, _ := f.GetCellValue(c.sheet, c.ref); got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.ref, got, c.want)
		}
	}
	for sheet, grid := range map[string]string{"Activity rhythm": "B5:M34", "Cohort retention": "B5:E12", "Messages by hour": "B5:Y11"} {
		cf, err := f.GetConditionalFormats(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(cf[grid]) != 1 || cf[grid][0].Type != "3_color_scale" || cf[grid][0].MidType != "percentile" {
			t.Errorf("%s conditional formats %+v, want a 3-colour scale over %s", sheet, cf, grid)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.XSplit != 1 || panes.YSplit != 4 {
			t.Errorf("%s panes %+v, want the labels frozen", sheet, panes)
		}
	}
	if got := numFmtOf(t, f, "Cohort retention", "B5"); got != "0.0%" {
		t.Errorf("cohort cells number format %q", got)
	}
	// Row labels are user text: string cells, also when they look like formulas.
	if typ, _ := f.GetCellType("Activity rhythm", "A7"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("a group name in a heatmap is a %v cell", typ)
	}
}

func TestRenderXLSXEdgeCases(t *testing.T) {
	r := edgeWeekly()
	r.Tables = append(r.Tables,
		Table{Key: "dup", Title: "Summary"},
		Table{Key: "dup2", Title: "summary"},
		Table{Key: "long", Title: strings.Repeat("增长明细", 10)},
		Table{Key: "", Title: "''"},
	)
	f := openXLSX(t, writeXLSX(t, r))
	want := []string{"Summary", "Groups", "Empty table", "Ragged-rows x", "Summary (2)", "summary (3)",
		strings.Repeat("增长明细", 7) + "增长明", "Table", "Trends"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets\n %q\nwant\n %q", got, want)
	}
	if v, _ := f.GetCellValue("Ragged-rows x", "A2"); v != "only one" {
		t.Errorf("ragged row: A2 = %q", v)
	}
	if v, _ := f.GetCellValue("Ragged-rows x", "C3"); v != "" {
		t.Errorf("a cell past the columns was written: %q", v)
	}
}

func TestRenderXLSXNil(t *testing.T) {
	if err := RenderXLSX(&bytes.Buffer{}, nil); !errors.Is(err, ErrNilReport) {
		t.Fatalf("RenderXLSX(nil) = %v", err)
	}
}

func TestSheetNames(t *testing.T) {
	n := newSheetNames(SheetSummary, SheetGroups, SheetTrends)
	tests := []struct{ title, fallback, want string }{
		{"Growth", "g", "Growth"},
		{"growth", "g", "growth (2)"},
		{"a/b\\c:d*e?f[g]h", "", "a-b-c d e f g h"},
		{"   ", "retention", "retention"},
		{"", "", "Table"},
		{"'quoted'", "", "quoted"},
		{"History", "", "History sheet"},
		{"groups", "", "groups (2)"},
		{strings.Repeat("x", 40), "", strings.Repeat("x", 31)},
		{strings.Repeat("x", 40), "", strings.Repeat("x", 27) + " (2)"},
		{"留存\t率", "", "留存 率"},
		{strings.Repeat("😀", 20), "", strings.Repeat("😀", 15)},
	}
	for _, tt := range tests {
		got := n.safe(tt.title, tt.fallback)
		if got != tt.want {
			t.Errorf("safe(%q, %q) = %q, want %q", tt.title, tt.fallback, got, tt.want)
		}
		if u := len([]rune(got)); u > 31 {
			t.Errorf("safe(%q) is %d runes long", tt.title, u)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "群组": 4, "（朝阳）": 8, "a群b": 4, "": 0, "Café": 4} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
