package reports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Excel number formats per Format.
var excelNumFmt = map[Format]string{
	Int:     "#,##0",
	Float:   "#,##0.0",
	Percent: "0.0%",
	Money:   "#,##0.00",
	Hours:   `0.0" h"`,
	Minutes: `#,##0.0" min"`,
}

// excelChangeFmt writes a relative change with its sign.
const excelChangeFmt = "+0.0%;-0.0%;0.0%"

// workbookStyles are the style IDs a workbook uses, made once per file.
type workbookStyles struct {
	title, subtitle, section int
	header, headerNum        int // header cells over text and over numbers (right-aligned)
	rank                     int // a rank: a centred integer
	textIndented             int // text after a right-aligned number column
	text                     int // "@" (Text): an edited cell stays text, never becomes a formula
	number                   map[Format]int
	change                   int
	date, dateTime           int
	good, bad                int // conditional formats (dxf) for good and bad changes
}

func newWorkbookStyles(f *excelize.File, lang string) (*workbookStyles, error) {
	s := &workbookStyles{number: map[Format]int{}}
	font := "Calibri"
	if lang == "zh" {
		font = "Microsoft YaHei"
	}
	var err error
	add := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	border := []excelize.Border{{Type: "bottom", Color: "9AA8B8", Style: 1}}
	s.title = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: font, Color: "17324F"}})
	s.subtitle = add(&excelize.Style{Font: &excelize.Font{Size: 10, Family: font, Color: "5B6675"}})
	s.section = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Family: font, Color: "17324F"}})
	s.header = add(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Family: font, Color: "1D2733"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF6"}},
		Border:    border,
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	s.headerNum = add(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Family: font, Color: "1D2733"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF6"}},
		Border:    border,
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center", WrapText: true},
	})
	s.text = add(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Family: font}})
	s.textIndented = add(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Family: font}, Alignment: &excelize.Alignment{Indent: 1}})
	rankFmt := excelNumFmt[Int]
	s.rank = add(&excelize.Style{CustomNumFmt: &rankFmt, Font: &excelize.Font{Family: font}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	for format, code := range excelNumFmt {
		c := code
		s.number[format] = add(&excelize.Style{CustomNumFmt: &c, Font: &excelize.Font{Family: font}})
	}
	s.number[Text] = s.text
	change := excelChangeFmt
	s.change = add(&excelize.Style{CustomNumFmt: &change, Font: &excelize.Font{Family: font, Bold: true}})
	dateFmt, dateTimeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	s.date = add(&excelize.Style{CustomNumFmt: &dateFmt, Font: &excelize.Font{Family: font}})
	s.dateTime = add(&excelize.Style{CustomNumFmt: &dateTimeFmt, Font: &excelize.Font{Family: font}})
	if err != nil {
		return nil, fmt.Errorf("reports: xlsx styles: %w", err)
	}
	if s.good, err = f.NewConditionalStyle(&excelize.Style{
		Font: &excelize.Font{Color: "1A7F37", Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E6F4EA"}},
	}); err != nil {
		return nil, fmt.Errorf("reports: xlsx styles: %w", err)
	}
	if s.bad, err = f.NewConditionalStyle(&excelize.Style{
		Font: &excelize.Font{Color: "C62828", Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FDECEA"}},
	}); err != nil {
		return nil, fmt.Errorf("reports: xlsx styles: %w", err)
	}
	return s, nil
}

// numberStyle is the style of a number written in format f; unknown or empty
// formats get a plain number style.
func (s *workbookStyles) numberStyle(f Format) int {
	if id, ok := s.number[f]; ok && f != Text {
		return id
	}
	return s.number[Float]
}
