package main

import (
	"os"
	"time"

	"github.com/ckpi/ckpi/metrics"
)

// weekFlag reads --week, defaulting to the last complete ISO week.
func weekFlag(week string, loc *time.Location) (metrics.Period, error) {
	if week == "" {
		return metrics.Week(time.Now().In(loc)).Previous(), nil
	}
	return metrics.ParseWeek(week, loc)
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
