package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
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
	cmd.MarkFlagsMutuallyExclusive("week", "day", "month")
}

// addAllowEmpty adds --allow-empty to a command that reports on data.
func (f *periodFlags) addAllowEmpty(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.allowEmpty, "allow-empty", false, "report a period the data does not cover (all zeros) instead of refusing it")
}

// resolve returns the period asked for, or the last complete period of the
// metric's own grain, by the calendar alone.
func (f *periodFlags) resolve(grain metrics.Grain, loc *time.Location) (metrics.Period, error) {
	switch {
	case f.week != "":
		return metrics.ParsePeriod(metrics.GrainWeek, f.week, loc)
	case f.day != "":
		return metrics.ParsePeriod(metrics.GrainDay, f.day, loc)
	case f.month != "":
		return metrics.ParsePeriod(metrics.GrainMonth, f.month, loc)
	}
	return metrics.PeriodOf(grain, time.Now().In(loc)).Previous(), nil
}

// choose is the period a read command reports on, checked against what the
// database holds: the one asked for, refused when the data does not cover
// it (unless --allow-empty) and marked when it is in progress or the data
// stops inside it; without a flag, the last complete period of the grain
// that has data. It says on stderr which period it uses, so a report is
// never silently about another week than the reader thinks.
func (f *periodFlags) choose(ctx context.Context, db *sql.DB, grain metrics.Grain, loc *time.Location, stderr io.Writer) (metrics.Period, error) {
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

// weekFlag reads --week, defaulting to the last complete ISO week by the
// calendar (for commands that make data, not read it).
func weekFlag(week string, loc *time.Location) (metrics.Period, error) {
	f := periodFlags{week: week}
	p, err := f.resolve(metrics.GrainWeek, loc)
	if err != nil {
		return p, fmt.Errorf("--week: %w", err)
	}
	return p, nil
}

// userMetricsDir is --metrics-dir, or ./metrics when that folder exists.
func userMetricsDir(flag string) string {
	if flag != "" {
		return flag
	}
	if st, err := os.Stat("metrics"); err == nil && st.IsDir() {
		return "metrics"
	}
	return ""
}
