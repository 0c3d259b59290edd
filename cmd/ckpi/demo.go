package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/ingest/synth"
	"github.com/ckpi/ckpi/metrics/risk"
)

func newDemoCmd(g *globals) *cobra.Command {
	var out, lang string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate a small community, ingest it and write its weekly report",
		Long: `Generate a 12-group, 12-week synthetic community into a folder, ingest its
exports into a fresh database there, and write the report of the last
complete week. Prints where everything is.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			loc := g.cfg.Location()
			week, err := weekFlag("--week", "", loc)
			if err != nil {
				return err
			}
			cfg := synth.Default()
			cfg.TZ, cfg.End, cfg.Carriers = loc, week.End, true
			exports := filepath.Join(out, "exports")
			if err := os.RemoveAll(out); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			start := time.Now()
			sum, err := synth.Generate(ctx, exports, cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "generated %d groups, %d messages, %d orders, an official account (%d days, %d articles) and a forum (%d categories, %d posts) in %s\n",
				sum.Groups, sum.Messages, sum.Orders, sum.FollowDays, sum.Articles, sum.ForumCategories, sum.ForumPosts, exports)

			// The demo's config names its staff, so later commands exclude them too.
			g.db = filepath.Join(out, "ckpi.duckdb")
			g.cfg.Staff = append(g.cfg.Staff, staffOf(sum)...)
			g.cfg.loaded = true
			config := filepath.Join(out, "ckpi.yaml")
			if err := g.cfg.Save(config); err != nil {
				return err
			}
			db, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			files, err := expandPaths([]string{exports})
			if err != nil {
				return err
			}
			bar := newProgress(cmd.ErrOrStderr(), totalSize(files))
			var rows int64
			var failed error
			ingest.LoadFiles(ctx, db, files, ingest.Options{TZ: loc, Progress: bar.update}, func(r ingest.Result) {
				bar.endFile(r)
				rows += r.Rows
				if failed == nil {
					failed = r.Err
				}
			})
			bar.finish()
			if failed != nil {
				return failed
			}
			fmt.Fprintf(w, "ingested %d files (%d rows) into %s\n", len(files), rows, g.db)

			scan, err := risk.Scan(ctx, db, risk.Default(), risk.ScanOptions{TZ: loc, Logger: g.log})
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "risk scan: %d violations, %d offences, %d removals pending\n", scan.Violations, scan.Offences, scan.PendingRemovals)

			html, xlsx, err := writeWeekly(cmd, g, db, week, weeklyFlags{lang: lang, out: out})
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "weekly report for %s:\n  %s\n  %s\ndone in %s\n", week.Label, html, xlsx, time.Since(start).Round(time.Millisecond))
			fmt.Fprintf(w, "explore: ckpi --db %s --config %s metrics run growth --week %s\n", g.db, config, week.Label)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "demo", "folder for the exports, the database and the report (replaced)")
	cmd.Flags().StringVar(&lang, "lang", "en", "report language: en or zh")
	return cmd
}

// staffOf lists the generated community's staff, as a config would.
func staffOf(sum synth.Summary) []StaffEntry {
	var out []StaffEntry
	for _, s := range sum.Staff {
		out = append(out, StaffEntry{Platform: "qq", UID: s, Role: "service"})
	}
	return out
}
