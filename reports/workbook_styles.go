package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ckpi/ckpi/metrics"
)

// Excel number formats per Format.
var excelNumFmt = map[Format]string{
	Int:     "#,##0",
	Float:   "#,##0.0",
	Score:   "#,##0.0",
	Percent: "0.0%",
	Money:   "#,##0.00",
	Hours:   `0.0" h"`,
	Minutes: `#,##0.0" min"`,
}

// excelChangeFmt writes a relative change with its sign.
const excelChangeFmt = "+0.0%;-0.0%;0.0%"

// signed is a number format with its sign: "+#,##0;-#,##0;#,##0".
func signed(code string) string { return "+" + code + ";-" + code + ";" + code }

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

	f        *excelize.File
	font     string
	suffixed map[suffixKey]int // number styles with a suffix, made on first use
	changes  map[string]int    // change styles by number format
}

type suffixKey struct {
	format Format
	suffix string
}

func newWorkbookStyles(f *excelize.File, lang string) (*workbookStyles, error) {
	s := &workbookStyles{number: map[Format]int{}, suffixed: map[suffixKey]int{}, changes: map[string]int{}, f: f}
	font := "Calibri"
	if lang == "zh" {
		font = "Microsoft YaHei"
	}
	s.font = font
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

// withSuffix is the style of a number in format f followed by text: how an
// all-groups number is formed, " (total)", or the mark of a qualifier, " *".
// The cell stays a number.
func (s *workbookStyles) withSuffix(f Format, suffix string) (int, error) {
	if suffix == "" {
		return s.numberStyle(f), nil
	}
	k := suffixKey{f, suffix}
	if id, ok := s.suffixed[k]; ok {
		return id, nil
	}
	code, ok := excelNumFmt[f]
	if !ok {
		code = excelNumFmt[Float]
	}
	code += `"` + strings.ReplaceAll(suffix, `"`, "") + `"`
	id, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &code, Font: &excelize.Font{Family: s.font}})
	if err != nil {
		return 0, err
	}
	s.suffixed[k] = id
	return id, nil
}

// changeStyle is the style of a change of kind k of a number in format f:
// signed, in percentage points for a rate, as a percentage when relative,
// else in the number's own format.
func (s *workbookStyles) changeStyle(k metrics.ChangeKind, f Format, lang string) (int, error) {
	var code string
	switch k {
	case metrics.ChangeRelative:
		return s.change, nil
	case metrics.ChangePoints:
		code = signed(`0.0" ` + label(lang, "pp") + `"`)
	default:
		base, ok := excelNumFmt[f]
		if !ok {
			base = excelNumFmt[Float]
		}
		code = signed(base)
	}
	if id, ok := s.changes[code]; ok {
		return id, nil
	}
	id, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &code, Font: &excelize.Font{Family: s.font, Bold: true}})
	if err != nil {
		return 0, err
	}
	s.changes[code] = id
	return id, nil
}
