package main

import (
	"fmt"
	"os"
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
	cmd.MarkFlagsMutuallyExclusive("week", "day", "month")
}

// resolve returns the period asked for, or the last complete period of the
// metric's own grain.
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

// weekFlag reads --week, defaulting to the last complete ISO week.
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
