package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/ingest/synth"
)

func newGenerateCmd(g *globals) *cobra.Command {
	cfg := synth.Default()
	var out, end string
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write a synthetic community as real export files",
		Long: `Write a deterministic synthetic community: one QQ export per group, a
members roster and an orders file, with realistic shapes (power-law speakers,
weekly and daily rhythm, joins by channel and referral, churn, silent members,
first and repeat orders). The same flags always give the same bytes.`,
		Example: `  ckpi generate --out demo/exports
  ckpi generate --groups 1000 --weeks 12 --messages 10000000 --out big/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.TZ = g.cfg.Location()
			var err error
			if cfg.End, err = endFlag(end, cfg.TZ); err != nil {
				return err
			}
			start := time.Now()
			sum, err := synth.Generate(cmd.Context(), out, cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %d files to %s in %s: %d groups, %d members, %d joins, %d leaves, %d messages, %d orders\n",
				len(sum.Files), out, time.Since(start).Round(time.Millisecond), sum.Groups, sum.Members, sum.Joins, sum.Leaves+sum.Removals, sum.Messages, sum.Orders)
			return nil
		},
	}
	cmd.Flags().IntVar(&cfg.Groups, "groups", cfg.Groups, "number of groups")
	cmd.Flags().IntVar(&cfg.Weeks, "weeks", cfg.Weeks, "weeks of history")
	cmd.Flags().Int64Var(&cfg.Messages, "messages", cfg.Messages, "approximate number of messages")
	cmd.Flags().Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	cmd.Flags().StringVar(&out, "out", "exports", "folder to write into")
	cmd.Flags().StringVar(&end, "end", "", "last ISO week of history, e.g. 2026-W47 (default: last complete week)")
	return cmd
}

// endFlag turns --end (an ISO week) into the exclusive end of history.
func endFlag(week string, loc *time.Location) (time.Time, error) {
	p, err := weekFlag(week, loc)
	if err != nil {
		return time.Time{}, err
	}
	return p.End, nil
}
