package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

func newConfigCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Store the config's staff, group tags and activity patterns in the database",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "apply",
		Short: "Write the config into the database now",
		Long: `Commands that write (ingest, risk scan, config apply) store the config's staff,
bots, group tags and activity patterns in the database. Commands that only
read (report, metrics, risk report) see the config without storing it, so a
BI tool or another ckpi reading the same file sees what was stored last.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.lake != "" {
				return errors.New("a lake is read-only: apply the config to --db, then export it")
			}
			if !g.cfg.loaded {
				return fmt.Errorf("no config file at %s: nothing to apply", g.config)
			}
			db, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "applied %s to %s: %d staff, %d bots, %d groups\n", g.config, g.db, len(g.cfg.Staff), len(g.cfg.Bots), len(g.cfg.Groups))
			return nil
		},
	})
	return cmd
}
