package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

// globals are the flags every command shares.
type globals struct {
	db      string
	lake    string
	config  string
	verbose bool
	cfg     *Config
	log     *slog.Logger
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "ckpi",
		Short: "Community KPIs from chat-group exports",
		Long: `ckpi ingests the message, membership and order exports of many chat groups
into one DuckDB file, computes the KPIs community teams are judged by from SQL
definitions, and writes a weekly HTML report and Excel workbook.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			level := slog.LevelWarn
			if g.verbose {
				level = slog.LevelDebug
			}
			g.log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
			cfg, err := LoadConfig(g.config, cmd.Flags().Changed("config"))
			if err != nil {
				return err
			}
			g.cfg = cfg
			return nil
		},
	}
	root.PersistentFlags().StringVar(&g.db, "db", "./ckpi.duckdb", "database file")
	root.PersistentFlags().StringVar(&g.lake, "lake", "", "read a Parquet lake written by `ckpi export --parquet` instead of --db (metrics, report)")
	root.PersistentFlags().StringVar(&g.config, "config", "./ckpi.yaml", "config file: timezone, staff, bots, group tags (optional)")
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "detailed errors and logs")
	root.AddCommand(
		newIngestCmd(g),
		newMetricsCmd(g),
		newReportCmd(g),
		newGenerateCmd(g),
		newDemoCmd(g),
		newExportCmd(g),
		newRiskCmd(g),
	)
	return root
}

// open opens the database and applies the config's staff and group tags;
// with --lake, it opens the lake read-only as it was exported.
func (g *globals) open(ctx context.Context) (*sql.DB, error) {
	if g.lake != "" {
		db, err := queries.OpenLake(ctx, g.lake)
		if err != nil {
			return nil, err
		}
		// The lake's views read its files: the only ones analyst SQL may
		// reach once the instance is locked down.
		if err := metrics.Lockdown(ctx, db, g.lake); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	db, err := queries.Open(ctx, g.db)
	if err != nil {
		return nil, err
	}
	if err := g.cfg.Apply(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// exitError carries a specific exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func verbose(root *cobra.Command) bool {
	v, _ := root.PersistentFlags().GetBool("verbose")
	return v
}

// oneLine keeps a user's error to one readable line unless -v asks for more.
func oneLine(err error, verbose bool) string {
	msg := err.Error()
	if verbose {
		return fmt.Sprintf("%s\n(details: %+v)", msg, err)
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		return msg[:i] + " (more with -v)"
	}
	return msg
}
