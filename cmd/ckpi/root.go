package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/queries"
)

// globals are the flags every command shares.
type globals struct {
	db      string
	lake    string
	config  string
	verbose bool
	// lockWait bounds the wait for a database another process holds.
	lockWait time.Duration
	cfg      *Config
	log      *slog.Logger
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
	root.PersistentFlags().DurationVar(&g.lockWait, "lock-wait", queries.DefaultLockWait, "how long to wait for a database another ckpi (or any DuckDB client) holds before giving up")
	root.AddCommand(
		newIngestCmd(g),
		newMetricsCmd(g),
		newReportCmd(g),
		newGenerateCmd(g),
		newDemoCmd(g),
		newExportCmd(g),
		newRiskCmd(g),
		newConfigCmd(g),
	)
	return root
}

// open opens the database for writing, for the commands that write
// (ingest, risk scan, blacklist changes, config apply, demo): it is
// created if missing, migrated, cleared of any load a crash cut short, and
// the config's staff, group tags and activity patterns are written into
// it. With --lake, it opens the lake as it was exported.
func (g *globals) open(ctx context.Context) (*sql.DB, error) {
	if g.lake != "" {
		return queries.OpenLake(ctx, g.lake)
	}
	db, err := queries.OpenWith(ctx, g.db, queries.OpenOptions{LockWait: g.waitFor(), Waiting: g.waiting})
	if err != nil {
		return nil, err
	}
	if err := g.cfg.Apply(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openRead opens the database read-only, for the commands that only read
// (report, metrics, risk report/pending/points, blacklist list/hits,
// export): several can run side by side and beside a BI tool, a missing
// file is an error, not a new database. They see the config without
// writing it: every connection gets temporary copies of staff and groups
// with the config applied, which shadow the file's tables (see
// Config.Overlay); the next command that writes stores it.
func (g *globals) openRead(ctx context.Context) (*sql.DB, error) {
	if g.lake != "" {
		return queries.OpenLake(ctx, g.lake)
	}
	overlay, err := g.cfg.Overlay()
	if err != nil {
		return nil, err
	}
	return queries.OpenWith(ctx, g.db, queries.OpenOptions{ReadOnly: true, LockWait: g.waitFor(), Waiting: g.waiting, Session: overlay})
}

func (g *globals) waitFor() time.Duration {
	if g.lockWait <= 0 {
		return -1 // --lock-wait 0: do not wait
	}
	return g.lockWait
}

// waiting tells the user, once, why nothing happens yet.
func (g *globals) waiting(holder string) {
	if holder == "" {
		holder = "another process"
	}
	fmt.Fprintf(os.Stderr, "ckpi: %s is in use by %s; waiting up to %s (--lock-wait)\n", g.db, holder, g.lockWait)
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
