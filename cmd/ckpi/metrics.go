package main

import (
	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/metrics"
)

func newMetricsCmd(g *globals) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "metrics",
		Short: "List and run KPI definitions",
	}
	cmd.PersistentFlags().StringVar(&dir, "metrics-dir", "", "folder of your own metric .sql files (default ./metrics if present)")
	catalog := func() (*metrics.Catalog, error) {
		return metrics.LoadCatalog(userMetricsDir(dir))
	}
	cmd.AddCommand(newMetricsListCmd(catalog), newMetricsRunCmd(g, catalog))
	return cmd
}

func newMetricsListCmd(catalog func() (*metrics.Catalog, error)) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the metrics this database can run",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := catalog()
			if err != nil {
				return err
			}
			t := table{Columns: []string{"name", "title", "unit", "grain", "direction", "file"}}
			for _, d := range cat.All() {
				t.Rows = append(t.Rows, []any{d.Name, d.Title, d.Unit, d.Grain, d.Direction, d.File})
			}
			return t.write(cmd.OutOrStdout(), format)
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func newMetricsRunCmd(g *globals, catalog func() (*metrics.Catalog, error)) *cobra.Command {
	var format, week, group string
	cmd := &cobra.Command{
		Use:     "run NAME",
		Short:   "Run one metric for a week, per group and for all groups",
		Example: "  ckpi metrics run growth --week 2026-W47 --format csv",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := catalog()
			if err != nil {
				return err
			}
			def, err := cat.Get(args[0])
			if err != nil {
				return err
			}
			period, err := weekFlag(week, g.cfg.Location())
			if err != nil {
				return err
			}
			db, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			p := metrics.Params{Period: period}
			if group != "" {
				p.Group = &group
			}
			res, err := metrics.Run(cmd.Context(), db, def, p)
			if err != nil {
				return err
			}
			return table{Columns: res.Columns, Rows: res.Rows}.write(cmd.OutOrStdout(), format)
		},
	}
	addFormatFlag(cmd, &format)
	cmd.Flags().StringVar(&week, "week", "", "ISO week, e.g. 2026-W47 (default: last complete week)")
	cmd.Flags().StringVar(&group, "group", "", "only this group (name or id)")
	return cmd
}
