package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ckpi/ckpi/ingest/format"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/ingest"
)

func newIngestCmd(g *globals) *cobra.Command {
	var opt ingest.Options
	var tz, mapping, dateOrder, memory, asOf, maxMessage string
	var explain bool
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Load exports (files, folders, globs) into the database",
		Long: `Load chat, roster and order exports. Each file loads in one transaction:
whole or not at all. Re-loading a file, or an export that overlaps an earlier
one, adds only what is new. Formats are detected; --format forces one.
A path that exists is read as named, even with [ ] * ? in it; only a path
that does not exist is expanded as a glob.`,
		Example: `  ckpi ingest exports/qq/*.txt members.csv orders.csv
  ckpi ingest --tz Europe/Berlin --format qq-txt old-export.txt
  ckpi ingest --explain chat.txt                  # what each kind of line becomes; loads nothing
  ckpi ingest --as-of "2026-10-26 09:00" members.tsv
  ckpi ingest --format orders-csv --mapping shop.yaml shop-orders.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.lake != "" {
				return errors.New("a lake is read-only: ingest into --db, then export it")
			}
			files, err := expandPaths(args)
			if err != nil {
				return err
			}
			opt.TZ, opt.GroupTZ, opt.Logger = g.cfg.Location(), g.cfg.GroupLocations(), g.log
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
			if asOf != "" {
				if opt.AsOf, err = format.ParseTime(asOf, opt.TZ); err != nil {
					return fmt.Errorf("--as-of: %w", err)
				}
			}
			if explain {
				return explainFiles(cmd, files, opt, zoneSource(g, tz))
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
	cmd.Flags().StringVar(&mapping, "mapping", "", "column mapping (YAML) for --format mapped-csv, mapped-jsonl, mapped-parquet, members-csv, members-snapshot, qq-members or orders-csv")
	cmd.Flags().StringVar(&dateOrder, "date-order", "", "WhatsApp exports: dmy or mdy (default: detected from the file)")
	cmd.Flags().StringVar(&tz, "tz", "", "zone of local times in the exports (default: config timezone, Asia/Shanghai; a config group's own timezone wins for that group)")
	cmd.Flags().StringVar(&opt.Lang, "lang", "", "force the language of the exports' notices (a locale code, e.g. de, zh-Hans); detected when empty")
	cmd.Flags().StringVar(&asOf, "as-of", "", "when a member list that states no time was taken, e.g. \"2026-10-26 09:00\" (read in --tz)")
	cmd.Flags().BoolVar(&explain, "explain", false, "parse without loading and print what each kind of line became, with examples, the zone and language used")
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
		fmt.Fprintf(w, "        %s\n", coverageLine(r.Coverage, r.Zone))
		if order, guessed := strings.CutSuffix(r.Notes[format.NoteDateOrder], format.NoteGuessed); guessed {
			fmt.Fprintf(w, "        %s\n", guessedOrder(order))
		}
	case ingest.StatusSkipped:
		fmt.Fprintf(w, "skipped %s (already loaded)\n", r.Path)
	default:
		fmt.Fprintf(cmd.ErrOrStderr(), "failed  %s\n", r.Err)
	}
}

// expandPaths turns arguments into files: folders are walked (hidden files
// skipped), and the result is sorted per argument. An argument that exists
// is taken as it is, whatever its name holds (DiscordChatExporter names its
// files "Guild - chan [123].json", which as a glob matches nothing); only
// one that does not is expanded as a glob.
func expandPaths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		matches := []string{a}
		if _, err := os.Stat(a); err != nil {
			if matches, err = filepath.Glob(a); err != nil {
				return nil, fmt.Errorf("%s: %w", a, err)
			}
			if len(matches) == 0 {
				return nil, fmt.Errorf("%s: no such file", a)
			}
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
// export or a table with its mapping file, or WhatsApp with a forced date
// order.
func configuredFormat(name, mapping, dateOrder string) (format.Format, error) {
	switch {
	case mapping != "" && slices.Contains(format.TableFormats(), name):
		m, err := format.LoadTableMapping(mapping, name)
		if err != nil {
			return nil, err
		}
		return format.TableFormat(name, m), nil
	case mapping != "":
		kind, ok := strings.CutPrefix(name, "mapped-")
		if !ok {
			return nil, fmt.Errorf("--mapping needs --format mapped-csv, mapped-jsonl, mapped-parquet or %s", strings.Join(format.TableFormats(), ", "))
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

// guessedOrder warns that a file's dates were read in an order nothing in
// it confirmed: every date of it may be a month off.
func guessedOrder(order string) string {
	return fmt.Sprintf("date order guessed: %s (no date in the file tells day from month); check one date, or force --date-order dmy or mdy", safe(order))
}

// coverageLine is the one line of what a loaded file became.
func coverageLine(c ingest.Coverage, zone string) string {
	var s string
	if chat := c.Messages + c.System + c.UnknownNotices; chat == 0 && c.Records > 0 {
		// a roster, member list or orders: rows, not messages
		s = fmt.Sprintf("%d roster/order rows, %d membership events, %d people", c.Records, c.Events, c.People)
	} else {
		s = fmt.Sprintf("%d messages, %d notices understood, %d not understood, %d membership events, %d people",
			c.Messages, c.NoticesUnderstood(), c.UnknownNotices, c.Events, c.People)
	}
	if c.Lines > 0 {
		s += fmt.Sprintf("; %d of %d lines neither (%.1f%%)", c.LinesNeither, c.Lines, 100*c.NeitherShare())
	} else {
		s += "; lines not counted (not a text file, or rows out of line order)"
	}
	return s + "; read in " + safe(zone)
}

// zoneSource says where the load's zone comes from, for --explain.
func zoneSource(g *globals, tz string) string {
	switch {
	case tz != "":
		return "--tz"
	case g.cfg.loaded && g.cfg.Timezone != "":
		return "config timezone, " + g.config
	}
	return "the default: no --tz, no config timezone"
}

// explainFiles prints, for each file, how it would be read and what each
// kind of its lines would become; nothing is loaded.
func explainFiles(cmd *cobra.Command, files []string, opt ingest.Options, zoneFrom string) error {
	w := cmd.OutOrStdout()
	failed := 0
	for i, path := range files {
		if i > 0 {
			fmt.Fprintln(w)
		}
		ex := ingest.Explain(cmd.Context(), path, opt)
		fmt.Fprintf(w, "%s\n", safe(path))
		if ex.Format == "" {
			fmt.Fprintf(w, "  not read: %s\n", safe(ex.Err.Error()))
			failed++
			continue
		}
		how := "detected"
		if opt.Use != nil || opt.Format != "" {
			how = "forced"
		}
		c := ex.Coverage
		if c.Lines > 0 {
			fmt.Fprintf(w, "  format      %s (%s), %s\n", ex.Format, how, ex.Encoding)
		} else {
			fmt.Fprintf(w, "  format      %s (%s)\n", ex.Format, how)
		}
		zone := ex.Zone
		if len(opt.GroupTZ) > 0 && strings.Contains(zone, "(") {
			zone += " — groups with a config timezone use theirs"
		}
		fmt.Fprintf(w, "  zone        %s (%s); times with an offset or in Unix time keep their own\n", safe(zone), zoneFrom)
		switch {
		case c.Messages+c.System+c.UnknownNotices == 0 && c.Records > 0 && ex.Lang == "":
			// a table: no notices to read in a language
		case ex.Lang != "":
			fmt.Fprintf(w, "  language    %s (--lang)\n", safe(ex.Lang))
		case ex.Notes[format.NoteLang] != "":
			fmt.Fprintf(w, "  language    %s (detected)\n", safe(ex.Notes[format.NoteLang]))
		default:
			fmt.Fprintf(w, "  language    detected by the parser, not reported (force one with --lang)\n")
		}
		if wa, ok := opt.Use.(format.WhatsAppText); ok && wa.DateOrder != "" {
			fmt.Fprintf(w, "  date order  %s (--date-order)\n", wa.DateOrder)
		} else if d := ex.Notes[format.NoteDateOrder]; d != "" {
			if order, guessed := strings.CutSuffix(d, format.NoteGuessed); guessed {
				fmt.Fprintf(w, "  date order  %s (guessed: no date in the file tells day from month; force with --date-order)\n", safe(order))
			} else {
				fmt.Fprintf(w, "  date order  %s (detected)\n", safe(d))
			}
		}
		for _, k := range sortedKeys(ex.Notes) {
			if k != format.NoteLang && k != format.NoteDateOrder {
				fmt.Fprintf(w, "  %-11s %s\n", safe(k), safe(ex.Notes[k]))
			}
		}
		if c.Lines > 0 {
			fmt.Fprintf(w, "  lines       %d: %d header, %d neither (%.1f%%)\n", c.Lines, c.LinesHeader, c.LinesNeither, 100*c.NeitherShare())
		}
		fmt.Fprintf(w, "  became\n")
		for _, o := range ex.Outcomes {
			if o.Count == 0 {
				continue
			}
			fmt.Fprintf(w, "    %-22s %7d\n", o.Name, o.Count)
			for _, e := range o.Examples {
				where := "      line " + fmt.Sprint(e.Line)
				if e.Line <= 0 {
					where = "      (no line)"
				}
				if len(e.Text) > 0 {
					fmt.Fprintf(w, "%s: %s\n", where, strings.Join(e.Text, " ⏎ "))
					fmt.Fprintf(w, "        → %s\n", e.Became)
				} else {
					fmt.Fprintf(w, "%s → %s\n", where, e.Became)
				}
			}
		}
		fmt.Fprintf(w, "  coverage    %s\n", coverageLine(c, ex.Zone))
		if ex.Err != nil {
			fmt.Fprintf(w, "  stopped     %s\n", safe(ex.Err.Error()))
			failed++
		}
	}
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d file(s) could not be read whole", failed, len(files))}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// safe strips what a terminal would act on from text an export wrote.
func safe(s string) string { return ingest.SafeText(s, 300) }
