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
definitions, and writes a weekly HTML report and Excel workbook.

Exit codes: 0 done; 1 an error (a file not loaded, a metric failing, ...);
2 a usage error (an unknown command or flag, a bad flag value, wrong
arguments); 130 interrupted (Ctrl-C).`,
		Version:       buildVersion(),
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
	// pflag shows a back-quoted word of the help as the value's placeholder.
	root.PersistentFlags().StringVar(&g.lake, "lake", "", "read the Parquet lake in folder `DIR` (written by ckpi export --parquet) instead of --db (metrics, report)")
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
	root.SetVersionTemplate(`ckpi {{.Version}}, DuckDB {{duckdbVersion}}` + "\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErrorf("%v (see '%s --help')", err, c.CommandPath())
	})
	usageErrors(root)
	return root
}

func init() {
	cobra.AddTemplateFunc("duckdbVersion", duckdbVersion)
}

// usageErrors makes every way of calling a command wrongly exit 2: wrong
// arguments (the commands' Args checks), and an unknown subcommand, which
// cobra answers with the parent's help and exit 0 (or, at the top, with a
// suggestion on a second line that the one-line error would cut).
func usageErrors(cmd *cobra.Command) {
	if cmd.HasSubCommands() {
		cmd.Args = cobra.ArbitraryArgs
		cmd.SuggestionsMinimumDistance = 2
		cmd.RunE = func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return c.Help()
			}
			hint := fmt.Sprintf("see '%s --help'", c.CommandPath())
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				hint = fmt.Sprintf("did you mean %q?", s[0])
			}
			return usageErrorf("unknown command %q for %q: %s", args[0], c.CommandPath(), hint)
		}
	} else if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				return usageErrorf("%s %v (see '%s --help')", c.CommandPath(), err, c.CommandPath())
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		usageErrors(sub)
	}
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

// Exit codes, documented in the README and in `ckpi --help`.
const (
	codeError       = 1   // an error: a file not loaded, a metric failing, ...
	codeUsage       = 2   // ckpi was called wrongly: a flag, an argument, a subcommand
	codeInterrupted = 130 // stopped by Ctrl-C (SIGINT), as shells report 128+2
)

// usageErrorf is a mistake in how ckpi was called (exit code 2).
func usageErrorf(format string, a ...any) error {
	return &exitError{code: codeUsage, err: fmt.Errorf(format, a...)}
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
