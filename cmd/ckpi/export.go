package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/queries"
)

func newExportCmd(g *globals) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "export --parquet DIR",
		Short: "Write the canonical tables as a Parquet lake",
		Long: `Write every canonical table as Parquet (zstd) into DIR: messages and
membership events hive-partitioned by platform, group and month, the other
tables one file each. DuckDB, Spark, Trino and ClickHouse read the folder as
it is; ckpi reads it back with --lake DIR.`,
		Example: `  ckpi export --parquet lake/
  ckpi --lake lake/ metrics run growth --week 2026-W47`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return errors.New("--parquet DIR is required")
			}
			if g.lake != "" {
				return errors.New("export reads --db, not --lake")
			}
			db, err := g.openRead(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			start := time.Now()
			tables, err := queries.ExportParquet(cmd.Context(), db, dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %d tables to %s in %s\n", len(tables), dir, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "parquet", "", "folder to write the lake into")
	return cmd
}
