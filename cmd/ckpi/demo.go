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
	var out, lang, source string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate a small community, ingest it and write its weekly report",
		Long: `Generate a 12-group, 12-week synthetic community into a folder, ingest its
exports into a fresh database there, and write the report of the last
complete week. Prints where everything is.

--format wecom builds it from the WeCom (企业微信) export of the same
community instead of QQ's: the chat archive of the groups whose owner's
messages are archived, every group's details, the daily statistics, the
customer list and orders keyed by unionid.`,
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
			switch source {
			case "qq":
			case "wecom":
				cfg.Formats = []string{"wecom"}
			default:
				return fmt.Errorf("--format %q: want qq or wecom", source)
			}
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
			load := []string{exports}
			if source == "wecom" {
				// The roster and orders beside it are the QQ community's;
				// the official account and the forum are the community's.
				load = []string{filepath.Join(exports, "wecom"), filepath.Join(exports, "official_account"), filepath.Join(exports, "forum")}
				fmt.Fprintf(w, "WeCom: %d of %d groups archived (%d archive lines); the others have details and statistics only\n",
					sum.WeComArchived, sum.Groups, sum.WeComLines)
			}

			// The demo's config names its staff, so later commands exclude
			// them too (WeCom's exports state their staff themselves).
			g.db = filepath.Join(out, "ckpi.duckdb")
			if source == "qq" {
				g.cfg.Staff = append(g.cfg.Staff, staffOf(sum)...)
			}
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
			files, err := expandPaths(load)
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
	cmd.Flags().StringVar(&source, "format", "qq", "the exports the demo is built from: qq or wecom")
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
