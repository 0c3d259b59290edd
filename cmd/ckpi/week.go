package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/metrics"
)

// periodFlags are --day, --week and --month (at most one is given), and
// --allow-empty.
type periodFlags struct {
	day, week, month string
	allowEmpty       bool
}

func (f *periodFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.week, "week", "", "ISO week, e.g. 2026-W47")
	cmd.Flags().StringVar(&f.day, "day", "", "a day, e.g. 2026-11-23")
	cmd.Flags().StringVar(&f.month, "month", "", "a month, e.g. 2026-11")
}

// addAllowEmpty adds --allow-empty to a command that reports on data.
func (f *periodFlags) addAllowEmpty(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.allowEmpty, "allow-empty", false, "report a period the data does not cover (all zeros) instead of refusing it")
}

// resolve returns the period asked for, or the last complete period of the
// metric's own grain, by the calendar alone. A flag given twice over, or a
// label that is not one whole, is a usage error naming the flag.
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

// choose is the period a read command reports on, checked against what the
// database holds: the one asked for, refused when the data does not cover
// it (unless --allow-empty) and marked when it is in progress or the data
// stops inside it; without a flag, the last complete period of the grain
// that has data. It says on stderr which period it uses, so a report is
// never silently about another week than the reader thinks.
func (f *periodFlags) choose(ctx context.Context, db *sql.DB, grain string, loc *time.Location, stderr io.Writer) (metrics.Period, error) {
	cov, err := metrics.ReadCoverage(ctx, db)
	if err != nil {
		return metrics.Period{}, err
	}
	var p metrics.Period
	if f.week == "" && f.day == "" && f.month == "" {
		p, err = cov.Default(grain, loc, time.Now())
	} else if p, err = f.resolve(grain, loc); err == nil {
		p, err = cov.Check(p, time.Now(), f.allowEmpty)
	}
	if err != nil {
		return p, err
	}
	fmt.Fprintf(stderr, "period: %s\n", p.Describe())
	return p, nil
}

func parsePeriodFlag(flag, grain, value string, loc *time.Location) (metrics.Period, error) {
	p, err := metrics.ParsePeriod(grain, value, loc)
	if err != nil {
		return p, usageErrorf("%s: %w", flag, err)
	}
	return p, nil
}

// weekFlag reads a week flag (--week, --end), defaulting to the last
// complete ISO week by the calendar (for commands that make data, not read
// it).
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
