package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/reports"
)

func newReportCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write reports",
	}
	cmd.AddCommand(newWeeklyCmd(g))
	return cmd
}

type weeklyFlags struct {
	lang, out, metricsDir string
	period                periodFlags // --week only
}

func newWeeklyCmd(g *globals) *cobra.Command {
	var f weeklyFlags
	cmd := &cobra.Command{
		Use:   "weekly",
		Short: "Write weekly.html and weekly.xlsx for one ISO week",
		Example: `  ckpi report weekly --week 2026-W47
  ckpi report weekly --week 2026-W47 --lang zh --out reports/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := g.openRead(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			period, err := f.period.choose(cmd.Context(), db, metrics.GrainWeek, g.cfg.Location(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			html, xlsx, err := writeWeekly(cmd, g, db, period, f)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\nwrote %s\n", html, xlsx)
			return nil
		},
	}
	cmd.Flags().StringVar(&f.period.week, "week", "", "ISO week, e.g. 2026-W47 (default: the last complete week that has data)")
	f.period.addAllowEmpty(cmd)
	cmd.Flags().StringVar(&f.lang, "lang", "en", "report language: en or zh")
	cmd.Flags().StringVar(&f.out, "out", ".", "folder to write weekly.html and weekly.xlsx into")
	cmd.Flags().StringVar(&f.metricsDir, "metrics-dir", "", "folder of your own metric .sql files (default: metrics_dir of the config; none otherwise)")
	return cmd
}

// writeWeekly builds the report once and renders both files. Each file is
// written whole to a temporary name and renamed, so a reader never sees half
// a report.
func writeWeekly(cmd *cobra.Command, g *globals, db *sql.DB, period metrics.Period, f weeklyFlags) (string, string, error) {
	ctx := cmd.Context()
	if f.lang != "en" && f.lang != "zh" {
		return "", "", usageErrorf("--lang %q: want en or zh", f.lang)
	}
	cat, err := g.catalog(f.metricsDir, cmd.ErrOrStderr())
	if err != nil {
		return "", "", err
	}
	model, err := reports.BuildWeekly(ctx, db, reports.BuildOptions{Week: period, Lang: f.lang, Catalog: cat, InProgress: period.InProgress})
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return "", "", err
	}
	html := filepath.Join(f.out, "weekly.html")
	xlsx := filepath.Join(f.out, "weekly.xlsx")
	var buf bytes.Buffer
	if err := reports.RenderHTML(&buf, model); err != nil {
		return "", "", err
	}
	if err := writeAtomic(html, buf.Bytes()); err != nil {
		return "", "", err
	}
	buf.Reset()
	if err := reports.RenderXLSX(&buf, model); err != nil {
		return "", "", err
	}
	if err := writeAtomic(xlsx, buf.Bytes()); err != nil {
		return "", "", err
	}
	return html, xlsx, nil
}

func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
