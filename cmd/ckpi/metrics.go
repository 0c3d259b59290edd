package main

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/queries"
)

func newMetricsCmd(g *globals) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "metrics",
		Short: "List, run, check and create KPI definitions",
	}
	cmd.PersistentFlags().StringVar(&dir, "metrics-dir", "", "folder of your own metric .sql files (default: metrics_dir of the config; none otherwise)")
	catalog := func(c *cobra.Command) (*metrics.Catalog, error) {
		return g.catalog(dir, c.ErrOrStderr())
	}
	cmd.AddCommand(
		newMetricsListCmd(catalog),
		newMetricsRunCmd(g, catalog),
		newMetricsValidateCmd(g, &dir),
		newMetricsNewCmd(&dir),
		newMetricsDescribeCmd(catalog),
	)
	return cmd
}

func newMetricsListCmd(catalog func(*cobra.Command) (*metrics.Catalog, error)) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the metrics this database can run",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := catalog(cmd)
			if err != nil {
				return err
			}
			t := table{Columns: []string{"name", "title", "value", "format", "good", "grain", "file"}}
			for _, d := range cat.All() {
				v := d.Column(d.Value)
				t.Rows = append(t.Rows, []any{d.Name, d.Title.En, d.Value, string(v.Format), string(v.Good), string(d.Grain), d.File})
			}
			return t.write(cmd.OutOrStdout(), format)
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

func newMetricsRunCmd(g *globals, catalog func(*cobra.Command) (*metrics.Catalog, error)) *cobra.Command {
	var format, group string
	var period periodFlags
	var compare bool
	cmd := &cobra.Command{
		Use:   "run NAME",
		Short: "Run one metric for a period, per group and for all groups",
		Example: `  ckpi metrics run growth --week 2026-W47 --format csv
  ckpi metrics run participation --month 2026-11 --compare
  ckpi metrics run conversion --day 2026-11-23 --group 星河产品交流群`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := catalog(cmd)
			if err != nil {
				return err
			}
			def, err := cat.Get(args[0])
			if err != nil {
				return &exitError{code: codeUsage, err: err}
			}
			db, err := g.openRead(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			p, err := period.choose(cmd.Context(), db, def.Grain, g.cfg.Location(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			params := metrics.Params{Period: p}
			if group != "" {
				params.Group = &group
			}
			if compare {
				c, err := metrics.Compare(cmd.Context(), db, def, params)
				if err != nil {
					return err
				}
				cols, rows := c.Table()
				return metricTable(def, cols, rows, format).write(cmd.OutOrStdout(), format)
			}
			res, err := metrics.Run(cmd.Context(), db, def, params)
			if err != nil {
				return err
			}
			return metricTable(def, res.Columns, res.Rows, format).write(cmd.OutOrStdout(), format)
		},
	}
	addFormatFlag(cmd, &format)
	period.add(cmd)
	period.addAllowEmpty(cmd)
	cmd.Flags().StringVar(&group, "group", "", "only this group (name or id)")
	cmd.Flags().BoolVar(&compare, "compare", false, "add the value of the previous period and the change (a rate in percentage points, a base under 10 as the difference, else relative)")
	return cmd
}

func newMetricsValidateCmd(g *globals, dir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "validate [FILE...]",
		Short: "Check metric files: header, parameters, SQL, result columns",
		Long: `Check metric files the way reports will use them, each error naming the file
and line: the header (every field, both languages, known values, parameters
declared and used), days or weeks cut in UTC (ts::DATE, date_trunc, strftime
on a stored timestamp), and the SQL run on an empty database and on the --db
database when it exists (for the last complete period with data): every
declared column returned and no other, an all-groups row, every ratio in
[0, 1]. Without files, checks the built-in metrics and your metrics folder
(--metrics-dir, or metrics_dir in the config).`,
		Example: "  ckpi metrics validate metrics/image_share.sql",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			empty, err := queries.Open(ctx, "")
			if err != nil {
				return err
			}
			defer empty.Close()
			dbs := []*sql.DB{empty}
			if _, err := os.Stat(g.db); err == nil {
				db, err := g.openRead(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				dbs = append(dbs, db)
			}
			files, err := metricFiles(args, g.metricsDir(*dir))
			if err != nil {
				return err
			}
			var failed []error
			for _, f := range files {
				d, err := metrics.Validate(ctx, f.name, f.src, g.cfg.Location(), dbs...)
				if err != nil {
					failed = append(failed, err)
					fmt.Fprintf(cmd.ErrOrStderr(), "invalid %v\n", strings.ReplaceAll(terminalLines(err.Error()), "\n", "\n        "))
					continue
				}
				fmt.Fprintf(cmd.OutOrStdout(), "ok      %s\n", terminalText(fmt.Sprintf("%s (%s: %s)", f.name, d.Name, d.Title.En)))
			}
			if len(failed) > 0 {
				return &exitError{code: 1, err: fmt.Errorf("%d of %d metric file(s) invalid; first: %w", len(failed), len(files), failed[0])}
			}
			return nil
		},
	}
}

// metricFile is a metric's source and where it came from.
type metricFile struct {
	name string
	src  []byte
}

func metricFiles(args []string, userDir string) ([]metricFile, error) {
	var out []metricFile
	if len(args) == 0 {
		err := fs.WalkDir(queries.Metrics(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			src, err := fs.ReadFile(queries.Metrics(), p)
			out = append(out, metricFile{name: "queries/metrics/" + p, src: src})
			return err
		})
		if err != nil {
			return nil, err
		}
		if userDir != "" {
			matches, _ := filepath.Glob(filepath.Join(userDir, "*.sql"))
			args = matches
		}
	}
	for _, a := range args {
		src, err := os.ReadFile(a)
		if err != nil {
			return nil, err
		}
		out = append(out, metricFile{name: a, src: src})
	}
	return out, nil
}

func newMetricsNewCmd(dir *string) *cobra.Command {
	return &cobra.Command{
		Use:     "new NAME",
		Short:   "Write a commented template for a new metric",
		Example: "  ckpi metrics new image_share   # writes metrics/image_share.sql",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := metrics.Template(args[0])
			if err != nil {
				return err
			}
			folder := *dir
			if folder == "" {
				folder = "metrics"
			}
			if err := os.MkdirAll(folder, 0o755); err != nil {
				return err
			}
			path := filepath.Join(folder, args[0]+".sql")
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%s exists: not overwritten", path)
			}
			if err != nil {
				return err
			}
			if _, err := f.WriteString(src); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\nedit it, then: ckpi metrics validate %s && ckpi metrics run %s --metrics-dir %s\n", path, path, args[0], folder)
			return nil
		},
	}
}

func newMetricsDescribeCmd(catalog func(*cobra.Command) (*metrics.Catalog, error)) *cobra.Command {
	var lang string
	cmd := &cobra.Command{
		Use:   "describe NAME",
		Short: "Print a metric's definition, its columns and their formats, and where the report shows it",
		Example: `  ckpi metrics describe participation
  ckpi metrics describe health --lang zh`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := catalog(cmd)
			if err != nil {
				return err
			}
			d, err := cat.Get(args[0])
			if err != nil {
				return err
			}
			_, err = io.WriteString(cmd.OutOrStdout(), terminalLines(metrics.Describe(d, lang)))
			return err
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the labels and explanations: en or zh")
	return cmd
}
