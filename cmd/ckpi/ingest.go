package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ckpi/ckpi/ingest/format"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/ingest"
)

func newIngestCmd(g *globals) *cobra.Command {
	var opt ingest.Options
	var tz, mapping, dateOrder, memory, maxMessage string
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Load exports (files, folders, globs) into the database",
		Long: `Load chat, roster and order exports. Each file loads in one transaction:
whole or not at all. Re-loading a file, or an export that overlaps an earlier
one, adds only what is new. Formats are detected; --format forces one.`,
		Example: `  ckpi ingest exports/qq/*.txt members.csv orders.csv
  ckpi ingest --tz Europe/Berlin --format qq-txt old-export.txt`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.lake != "" {
				return errors.New("a lake is read-only: ingest into --db, then export it")
			}
			files, err := expandPaths(args)
			if err != nil {
				return err
			}
			opt.TZ, opt.Logger = g.cfg.Location(), g.log
			if opt.Use, err = configuredFormat(opt.Format, mapping, dateOrder); err != nil {
				return err
			}
			if opt.MaxMessage, err = parseSize("--max-message", maxMessage); err != nil {
				return err
			}
			if tz != "" {
				if opt.TZ, err = time.LoadLocation(tz); err != nil {
					return fmt.Errorf("--tz %q: %w", tz, err)
				}
			}
			db, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			if err := limitMemory(cmd.Context(), db, memory); err != nil {
				return err
			}
			bar := newProgress(cmd.ErrOrStderr(), totalSize(files))
			opt.Progress = bar.update
			var failed []ingest.Result
			done := 0
			ingest.LoadFiles(cmd.Context(), db, files, opt, func(r ingest.Result) {
				bar.endFile(r)
				printResult(cmd, r)
				done++
				if r.Err != nil {
					failed = append(failed, r)
				}
			})
			bar.finish()
			if err := cmd.Context().Err(); err != nil {
				// Each file's line above is what the database holds; the
				// files after the interrupt were not tried.
				return fmt.Errorf("interrupted: %d of %d file(s) loaded or skipped, %d not: %w",
					done-len(failed), len(files), len(files)-done+len(failed), err)
			}
			if len(failed) > 0 {
				return &exitError{code: 1, err: fmt.Errorf("%d of %d file(s) not loaded; first: %w", len(failed), len(files), failed[0].Err)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&opt.Format, "format", "", "force a format (see the README's list); detected when empty")
	cmd.Flags().StringVar(&mapping, "mapping", "", "column mapping (YAML) for --format mapped-csv, mapped-jsonl or mapped-parquet")
	cmd.Flags().StringVar(&dateOrder, "date-order", "", "WhatsApp exports: dmy or mdy (default: detected from the file)")
	cmd.Flags().StringVar(&tz, "tz", "", "zone of local times in the exports (default: config timezone, Asia/Shanghai)")
	cmd.Flags().StringVar(&memory, "memory", "256MB", "DuckDB's memory for the load, e.g. 256MB or 2GB: past it, it writes to disk, so memory stays flat whatever the export's size")
	cmd.Flags().StringVar(&maxMessage, "max-message", "4MB", "largest message (or line, CSV record, JSON value) a file may hold: a larger one refuses the file naming its line, and memory stays flat")
	cmd.Flags().Int64Var(&opt.MaxRejects, "max-rejects", 0, "bad rows a file may have and still load (they are kept in the rejects table)")
	return cmd
}

func printResult(cmd *cobra.Command, r ingest.Result) {
	w := cmd.OutOrStdout()
	switch r.Status {
	case ingest.StatusLoaded:
		rate := float64(r.Rows) / r.Duration.Seconds()
		fmt.Fprintf(w, "loaded  %s (%s, %d rows, %d rejected) in %s, %.0f rows/s\n", r.Path, r.Format, r.Rows, r.Rejected, r.Duration.Round(time.Millisecond), rate)
		for _, rej := range r.Rejects {
			fmt.Fprintf(w, "        rejected %s:%d: %s\n", r.Path, rej.Line, rej.Reason)
		}
	case ingest.StatusSkipped:
		fmt.Fprintf(w, "skipped %s (already loaded)\n", r.Path)
	default:
		fmt.Fprintf(cmd.ErrOrStderr(), "failed  %s\n", r.Err)
	}
}

// expandPaths turns arguments into files: globs are expanded, folders are
// walked (hidden files skipped), and the result is sorted per argument.
func expandPaths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		matches, err := filepath.Glob(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("%s: no such file", a)
		}
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				return nil, err
			}
			if !st.IsDir() || ingest.IsExportDir(m) {
				out = append(out, m)
				continue
			}
			var inDir []string
			err = filepath.WalkDir(m, func(p string, d os.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.Name()[0] == '.' && p != m {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if d.IsDir() && p != m && ingest.IsExportDir(p) {
					inDir = append(inDir, p)
					return filepath.SkipDir
				}
				if !d.IsDir() {
					inDir = append(inDir, p)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			sort.Strings(inDir)
			out = append(out, inDir...)
		}
	}
	return out, nil
}

func totalSize(files []string) int64 {
	var n int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

// configuredFormat builds the formats that need more than a name: a mapped
// export with its mapping file, or WhatsApp with a forced date order.
func configuredFormat(name, mapping, dateOrder string) (format.Format, error) {
	switch {
	case mapping != "":
		kind, ok := strings.CutPrefix(name, "mapped-")
		if !ok {
			return nil, errors.New("--mapping needs --format mapped-csv, mapped-jsonl or mapped-parquet")
		}
		m, err := format.LoadMapping(mapping)
		if err != nil {
			return nil, err
		}
		return format.Mapped{Kind: kind, Map: m}, nil
	case strings.HasPrefix(name, "mapped-"):
		return nil, fmt.Errorf("--format %s needs --mapping FILE.yaml (see docs/ingest.md)", name)
	case dateOrder != "":
		if dateOrder != "dmy" && dateOrder != "mdy" {
			return nil, fmt.Errorf("--date-order %q: want dmy or mdy", dateOrder)
		}
		return format.WhatsAppText{DateOrder: dateOrder}, nil
	}
	return nil, nil
}
