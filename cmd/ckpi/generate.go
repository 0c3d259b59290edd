package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/ingest/synth"
)

func newGenerateCmd(g *globals) *cobra.Command {
	cfg := synth.Default()
	var out, end string
	var oneFile bool
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write a synthetic community as real export files",
		Long: `Write a deterministic synthetic community: one chat export per group, a
members roster and an orders file, with realistic shapes (power-law speakers,
weekly and daily rhythm, joins by channel and referral, churn, silent members,
first and repeat orders). The same flags always give the same bytes.

--format picks the chat exports: qq (qq/<NN>-<group>.txt, QQ's message
manager), telegram (telegram/<NN>-<group>/result.json, Telegram Desktop's
JSON export) and/or wecom (wecom/: the WeCom chat archive of the groups whose
owner's messages are archived, every group's details, daily statistics per
owner, the customer list and orders keyed by unionid). All hold the same
people, messages and times.

--one-file also writes qq-all.txt, every QQ group in one export (load it or
qq/, not both), and writes the Telegram export as one full-account export,
telegram/result.json, instead of one file per group.`,
		Example: `  ckpi generate --out demo/exports
  ckpi generate --groups 1000 --weeks 12 --messages 10000000 --out big/
  ckpi generate --format qq,telegram --messages 5000000 --one-file --out bench/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.TZ = g.cfg.Location()
			var err error
			if cfg.End, err = endFlag(end, cfg.TZ); err != nil {
				return err
			}
			cfg.TelegramOneFile = oneFile
			start := time.Now()
			sum, err := synth.Generate(cmd.Context(), out, cfg)
			if err != nil {
				return err
			}
			files := len(sum.Files)
			if oneFile && (len(cfg.Formats) == 0 || slices.Contains(cfg.Formats, "qq")) {
				if err := synth.ConcatQQ(out, filepath.Join(out, "qq-all.txt")); err != nil {
					return err
				}
				files++
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %d files to %s in %s: %d groups, %d members, %d joins, %d leaves, %d messages, %d orders\n",
				files, out, time.Since(start).Round(time.Millisecond), sum.Groups, sum.Members, sum.Joins, sum.Leaves+sum.Removals, sum.Messages, sum.Orders)
			if slices.Contains(cfg.Formats, "wecom") {
				fmt.Fprintf(cmd.OutOrStdout(), "wecom: %d of %d groups archived (%d archive lines), the others have details and statistics only\n",
					sum.WeComArchived, sum.Groups, sum.WeComLines)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&cfg.Groups, "groups", cfg.Groups, "number of groups")
	cmd.Flags().IntVar(&cfg.Weeks, "weeks", cfg.Weeks, "weeks of history")
	cmd.Flags().Int64Var(&cfg.Messages, "messages", cfg.Messages, "approximate number of messages")
	cmd.Flags().Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	cmd.Flags().StringVar(&out, "out", "exports", "folder to write into")
	cmd.Flags().StringVar(&end, "end", "", "last ISO week of history, e.g. 2026-W47 (default: last complete week)")
	cmd.Flags().StringSliceVar(&cfg.Formats, "format", []string{"qq"}, "chat exports to write: qq, telegram, wecom, or several (qq,telegram)")
	cmd.Flags().BoolVar(&oneFile, "one-file", false, "also write qq-all.txt (all QQ groups in one file); write Telegram as one full-account telegram/result.json")
	return cmd
}

// endFlag turns --end (an ISO week) into the exclusive end of history.
func endFlag(week string, loc *time.Location) (time.Time, error) {
	p, err := weekFlag("--end", week, loc)
	if err != nil {
		return time.Time{}, err
	}
	return p.End, nil
}
