package reports

import (
	"math"
	"strconv"
	"strings"

	"github.com/ckpi/ckpi/metrics"
)

// missing is what a number that could not be computed is written as.
const missing = "–"

// FormatValue writes v the way f says, in the report's language; nil, NaN and
// infinities are written as "–".
func FormatValue(f Format, v *float64, lang string) string {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return missing
	}
	x := *v
	switch f {
	case Int:
		return groupThousands(strconv.FormatFloat(math.Round(x), 'f', 0, 64))
	case Float, Score:
		return groupThousands(strconv.FormatFloat(x, 'f', 1, 64))
	case Percent:
		return noNegativeZero(strconv.FormatFloat(x*100, 'f', 1, 64)) + "%"
	case Money:
		return groupThousands(strconv.FormatFloat(x, 'f', 2, 64))
	case Hours:
		return noNegativeZero(strconv.FormatFloat(x, 'f', 1, 64)) + " " + label(lang, "hoursUnit")
	case Minutes:
		return groupThousands(strconv.FormatFloat(x, 'f', 1, 64)) + " " + label(lang, "minutesUnit")
	default:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
}

// formatChange writes a change unsigned, the arrow beside it carrying the
// sign: a relative change as a percentage ("12.5%"), a rate's in
// percentage points ("2.5 pp"), any other in the number's own format ("3",
// "1.5 min").
func formatChange(c metrics.Change, f Format, lang string) string {
	x := math.Abs(c.Value)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return missing
	}
	switch c.Kind {
	case metrics.ChangeRelative:
		return strconv.FormatFloat(x, 'f', 1, 64) + "%"
	case metrics.ChangePoints:
		return strconv.FormatFloat(x, 'f', 1, 64) + " " + label(lang, "pp")
	}
	return FormatValue(f, &x, lang)
}

// groupThousands inserts "," between groups of three digits of the integer
// part of a decimal number written by strconv ("-1234.5" -> "-1,234.5").
func groupThousands(s string) string {
	s = noNegativeZero(s)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/3 + 1)
	b.WriteString(sign)
	head := len(intPart) % 3
	if head > 0 {
		b.WriteString(intPart[:head])
	}
	for i := head; i < len(intPart); i += 3 {
		if b.Len() > len(sign) {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	b.WriteString(frac)
	return b.String()
}

// isNumber reports whether v holds a finite number.
func isNumber(v *float64) bool {
	return v != nil && !math.IsNaN(*v) && !math.IsInf(*v, 0)
}

// noNegativeZero turns "-0", "-0.0", "-0.00" into their unsigned form: a
// value that rounds to zero has no sign worth showing.
func noNegativeZero(s string) string {
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		return s[1:]
	}
	return s
}
