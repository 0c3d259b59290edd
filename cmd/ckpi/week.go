package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/metrics"
)

// periodFlags are --day, --week and --month; at most one is given.
type periodFlags struct {
	day, week, month string
}

func (f *periodFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.week, "week", "", "ISO week, e.g. 2026-W47")
	cmd.Flags().StringVar(&f.day, "day", "", "a day, e.g. 2026-11-23")
	cmd.Flags().StringVar(&f.month, "month", "", "a month, e.g. 2026-11")
}

// resolve returns the period asked for, or the last complete period of the
// metric's own grain. A flag given twice over, or a label that is not one
// whole, is a usage error naming the flag.
func (f *periodFlags) resolve(grain string, loc *time.Location) (metrics.Period, error) {
	var given []string
	for _, fl := range []struct{ name, value, grain string }{
		{"--week", f.week, metrics.GrainWeek}, {"--day", f.day, metrics.GrainDay}, {"--month", f.month, metrics.GrainMonth},
	} {
		if fl.value != "" {
			given = append(given, fl.name)
			grain = fl.grain
		}
	}
	switch len(given) {
	case 0:
		return metrics.PeriodOf(grain, time.Now().In(loc)).Previous(), nil
	case 1:
		return parsePeriodFlag(given[0], grain, f.week+f.day+f.month, loc)
	}
	return metrics.Period{}, usageErrorf("%s: give one period, not %d", strings.Join(given, ", "), len(given))
}

func parsePeriodFlag(flag, grain, value string, loc *time.Location) (metrics.Period, error) {
	p, err := metrics.ParsePeriod(grain, value, loc)
	if err != nil {
		return p, usageErrorf("%s: %w", flag, err)
	}
	return p, nil
}

// weekFlag reads a week flag (--week, --end), defaulting to the last
// complete ISO week.
func weekFlag(flag, week string, loc *time.Location) (metrics.Period, error) {
	if week == "" {
		return metrics.Week(time.Now().In(loc)).Previous(), nil
	}
	return parsePeriodFlag(flag, metrics.GrainWeek, week, loc)
}

// metricsDir is --metrics-dir, else the config's metrics_dir, else none:
// metric files of the working directory are analyst SQL nobody asked for.
func (g *globals) metricsDir(flag string) string {
	if flag != "" {
		return flag
	}
	if g.cfg != nil {
		return g.cfg.metricsDir()
	}
	return ""
}

// catalog loads the built-in metrics and the user's folder (see
// metricsDir), and says on stderr, one line each, which user file replaces
// which built-in.
func (g *globals) catalog(flag string, stderr io.Writer) (*metrics.Catalog, error) {
	dir := g.metricsDir(flag)
	cat, err := metrics.LoadCatalog(dir)
	if err != nil || dir == "" {
		return cat, err
	}
	builtin, err := metrics.LoadCatalog("")
	if err != nil {
		return nil, err
	}
	for _, b := range builtin.All() {
		if d, err := cat.Get(b.Name); err == nil && d.File != b.File {
			fmt.Fprintln(stderr, terminalText(fmt.Sprintf("ckpi: %s replaces the built-in %s", d.File, b.File)))
		}
	}
	return cat, nil
}
