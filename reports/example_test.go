package reports_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ckpi/ckpi/reports"
)

func ExampleFormatValue() {
	v := 0.125
	fmt.Println(reports.FormatValue(reports.Percent, &v, "en"))
	n := 1234567.0
	fmt.Println(reports.FormatValue(reports.Int, &n, "en"))
	fmt.Println(reports.FormatValue(reports.Money, nil, "en"))
	// Output:
	// 12.5%
	// 1,234,567
	// –
}

// Write the weekly report as HTML and as an Excel workbook.
func ExampleRenderHTML() {
	value, previous := 830.0, 810.0
	r := &reports.Weekly{
		Title:       "Community weekly report",
		Week:        "2026-W47",
		Lang:        "en",
		GeneratedAt: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC),
		Cards: []reports.Card{{Key: "growth.members", Title: "Members", Format: reports.Int,
			Value: &value, Previous: &previous, GoodWhen: "up"}},
	}
	dir, _ := os.MkdirTemp("", "weekly")
	defer os.RemoveAll(dir)
	for name, render := range map[string]func(*os.File, *reports.Weekly) error{
		"weekly.html": func(f *os.File, r *reports.Weekly) error { return reports.RenderHTML(f, r) },
		"weekly.xlsx": func(f *os.File, r *reports.Weekly) error { return reports.RenderXLSX(f, r) },
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := render(f, r); err != nil {
			fmt.Println(err)
		}
		f.Close()
	}
	fmt.Println("written")
	// Output: written
}
