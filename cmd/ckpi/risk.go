package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ckpi/ckpi/metrics/risk"
)

// defaultRulesFile is read when --rules is not given and it exists.
const defaultRulesFile = "rules.yaml"

func newRiskCmd(g *globals) *cobra.Command {
	var rulesFile string
	cmd := &cobra.Command{
		Use:   "risk",
		Short: "Rule violations, the warning ladder, blacklists and points",
		Long: `Find violations of the group rules (abuse, advertising, links and contact
details from non-staff, political and indecent talk, flooding, oversized
media, nicknames, hit-and-run ad accounts), follow each member up the
handling ladder (warning -> public notice and mute -> removal), keep a
blacklist with alerts, and a points ledger with elimination candidates.

What counts as a violation is a rules file: see 'ckpi risk rules --yaml'
for the built-in one, and docs/risk.md.`,
	}
	cmd.PersistentFlags().StringVar(&rulesFile, "rules", "", "rules file (default ./"+defaultRulesFile+" if present, else the built-in rules)")
	rules := func() (*risk.Rules, error) { return loadRules(rulesFile) }
	cmd.AddCommand(
		newRiskScanCmd(g, rules),
		newRiskReportCmd(g),
		newRiskPendingCmd(g),
		newRiskBlacklistCmd(g),
		newRiskPointsCmd(g, rules),
		newRiskRulesCmd(rules),
	)
	return cmd
}

func loadRules(flag string) (*risk.Rules, error) {
	if flag != "" {
		return risk.Load(flag)
	}
	if _, err := os.Stat(defaultRulesFile); err == nil {
		return risk.Load(defaultRulesFile)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return risk.Default(), nil
}

func newRiskScanCmd(g *globals, rules func() (*risk.Rules, error)) *cobra.Command {
	var since, format string
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Run the rules over the messages and store the violations",
		Long: `Run every enabled rule over the messages (from --since on, default all) and
store what they find. Scanning again adds nothing new for the same data;
violations of the scanned period that the rules no longer find are dropped.
The blacklist (its files and removed violators), its alerts and the points
ledger are brought up to date in the same transaction.`,
		Example: `  ckpi risk scan
  ckpi risk scan --since 2026-11-16 --rules rules.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := rules()
			if err != nil {
				return err
			}
			loc := g.cfg.Location()
			opt := risk.ScanOptions{TZ: loc, Logger: g.log}
			if since != "" {
				if opt.Since, err = parseDay(since, loc); err != nil {
					return usageErrorf("--since: %w", err)
				}
			}
			db, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := risk.Scan(cmd.Context(), db, r, opt)
			if err != nil {
				return err
			}
			t := table{Columns: []string{"rule", "kind", "category", "found", "new", "seconds"}}
			for _, rc := range res.Rules {
				t.Rows = append(t.Rows, []any{rc.Rule, rc.Kind, rc.Category, rc.Found, rc.Added, rc.Took.Seconds()})
			}
			if err := t.write(cmd.OutOrStdout(), format); err != nil {
				return err
			}
			if format == "table" {
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "\nrules %s: %d found, %d new, %d dropped; %d violations stored, %d offences\n",
					r.File, res.Found, res.Added, res.Dropped, res.Violations, res.Offences)
				fmt.Fprintf(out, "blacklist: %d entries, %d alerts; points ledger: %d rows\n", res.Blacklisted, res.BlacklistHits, res.PointsRows)
				steps := make([]string, len(res.Steps))
				for i, s := range res.Steps {
					steps[i] = fmt.Sprintf("%s %.1fs", s.Name, s.Took.Seconds())
				}
				fmt.Fprintf(out, "scanned in %.1fs (%s)\n", res.Took.Seconds(), strings.Join(steps, ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "scan messages from this day on, e.g. 2026-11-16 (default: all)")
	addFormatFlag(cmd, &format)
	return cmd
}

func newRiskReportCmd(g *globals) *cobra.Command {
	var format, group string
	var period periodFlags
	cmd := &cobra.Command{
		Use:   "report",
		Short: "List violations, one row per violation, with ladder step and whether staff acted",
		Long: `List the violations the last scan stored, oldest first: group, member, local
time, rule, category, severity, strike, ladder step, whether staff acted (a
removal after the offence, for the removal step), evidence and the message.
Without --week, --day or --month: every violation.`,
		Example: `  ckpi risk report --week 2026-W47
  ckpi risk report --month 2026-11 --group 星河产品交流群 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc := g.cfg.Location()
			f, err := riskFilter(&period, group, loc)
			if err != nil {
				return err
			}
			db, err := g.openRead(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			vs, err := risk.Report(cmd.Context(), db, f)
			if err != nil {
				return err
			}
			t := table{Columns: []string{"time", "group", "platform", "uid", "member", "rule", "category", "severity", "strike", "step", "acted", "evidence", "message"}}
			for _, v := range vs {
				t.Rows = append(t.Rows, []any{localTime(v.Time, loc), v.Group, v.Platform, v.UID, v.Member, v.Rule, v.Category,
					v.Severity, ptr(v.Strike), ptr(v.Step), ptr(v.Acted), oneLineText(v.Evidence, format), oneLineText(v.Text, format)})
			}
			return t.write(cmd.OutOrStdout(), format)
		},
	}
	addFormatFlag(cmd, &format)
	period.add(cmd)
	cmd.Flags().StringVar(&group, "group", "", "only this group (name or id)")
	return cmd
}

func newRiskPendingCmd(g *globals) *cobra.Command {
	var format, group, at string
	cmd := &cobra.Command{
		Use:   "pending",
		Short: "Actions staff owe: members on the removal step still in the group",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc := g.cfg.Location()
			when, err := atFlag(at, loc)
			if err != nil {
				return err
			}
			db, err := g.openRead(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			acts, err := risk.Pending(cmd.Context(), db, when, optional(group))
			if err != nil {
				return err
			}
			t := table{Columns: []string{"offence", "group", "platform", "uid", "member", "strike", "step", "rule", "evidence"}}
			for _, a := range acts {
				t.Rows = append(t.Rows, []any{localTime(a.Time, loc), a.Group, a.Platform, a.UID, a.Member, a.Strike, a.Step, a.Rule, oneLineText(a.Evidence, format)})
			}
			return t.write(cmd.OutOrStdout(), format)
		},
	}
	addFormatFlag(cmd, &format)
	cmd.Flags().StringVar(&group, "group", "", "only this group (name or id)")
	cmd.Flags().StringVar(&at, "at", "", "as of the start of this day, e.g. 2026-11-23 (default: now)")
	return cmd
}

func newRiskBlacklistCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "blacklist",
		Short: "List, add and remove blacklisted people; show alerts",
		Long: `The blacklist holds people to watch for, by platform id ("qq:123456") or by
customer key, e.g. a phone hash ("customer_key:9f86d0..."), which finds them
on any platform. Entries come from files the rules name, from 'add', and
automatically from violators staff removed. An alert is a blacklisted person
appearing in a group (joining or speaking) after being listed.`,
	}
	var format string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the blacklist",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := g.openRead(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			es, err := risk.Blacklist(cmd.Context(), db)
			if err != nil {
				return err
			}
			loc := g.cfg.Location()
			t := table{Columns: []string{"entry", "kind", "source", "added", "reason"}}
			for _, e := range es {
				t.Rows = append(t.Rows, []any{e.Label(), e.Kind, e.Source, localTime(e.AddedAt, loc), e.Reason})
			}
			return t.write(cmd.OutOrStdout(), format)
		},
	}
	addFormatFlag(list, &format)

	var reason string
	add := &cobra.Command{
		Use:     "add ENTRY",
		Short:   "Blacklist someone: qq:123456 or customer_key:HASH",
		Example: "  ckpi risk blacklist add qq:2233445566 --reason \"ads in 3 groups\"",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			e, err := risk.AddToBlacklist(cmd.Context(), db, args[0], reason, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "blacklisted %s\n", e.Label())
			return nil
		},
	}
	add.Flags().StringVar(&reason, "reason", "", "why, for the list and the alerts")

	remove := &cobra.Command{
		Use:   "remove ENTRY",
		Short: "Take someone off the blacklist",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			if err := risk.RemoveFromBlacklist(cmd.Context(), db, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed %s from the blacklist\n", args[0])
			return nil
		},
	}

	var hitsFormat, group string
	var period periodFlags
	hits := &cobra.Command{
		Use:   "hits",
		Short: "Alerts: blacklisted people seen in a group, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc := g.cfg.Location()
			f, err := riskFilter(&period, group, loc)
			if err != nil {
				return err
			}
			db, err := g.openRead(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			hs, err := risk.Hits(cmd.Context(), db, f.Start, f.End, f.Group)
			if err != nil {
				return err
			}
			t := table{Columns: []string{"time", "group", "entry", "platform", "uid", "member", "how", "reason"}}
			for _, h := range hs {
				t.Rows = append(t.Rows, []any{localTime(h.Time, loc), h.Group, h.Entry, h.Platform, h.UID, h.Member, h.How, h.Reason})
			}
			return t.write(cmd.OutOrStdout(), hitsFormat)
		},
	}
	addFormatFlag(hits, &hitsFormat)
	period.add(hits)
	hits.Flags().StringVar(&group, "group", "", "only this group (name or id)")

	cmd.AddCommand(list, add, remove, hits)
	return cmd
}

func newRiskPointsCmd(g *globals, rules func() (*risk.Rules, error)) *cobra.Command {
	var format, group, at string
	var top int
	var candidates bool
	cmd := &cobra.Command{
		Use:   "points",
		Short: "Points leaderboard per group, or the elimination candidates",
		Long: `Balances of the members in each group (the rules' initial points plus the
ledger of the last scan: check-ins, sharing, answers, deductions for
violations, forfeits on leaving), best first. With --candidates, only the
members to eliminate: balance below the rules' threshold, or silent for their
number of days.`,
		Example: `  ckpi risk points --top 10
  ckpi risk points --candidates --group 星河产品交流群 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := rules()
			if err != nil {
				return err
			}
			loc := g.cfg.Location()
			when, err := atFlag(at, loc)
			if err != nil {
				return err
			}
			db, err := g.openRead(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			board, err := risk.Board(cmd.Context(), db, r, when, optional(group))
			if err != nil {
				return err
			}
			t := table{Columns: []string{"group", "rank", "platform", "uid", "member", "balance", "last_message", "days_silent", "eliminate"}}
			for _, s := range board {
				if candidates && len(s.Reasons) == 0 || !candidates && top > 0 && s.Rank > int64(top) {
					continue
				}
				var last any
				if s.LastMessage != nil {
					last = localTime(*s.LastMessage, loc)
				}
				t.Rows = append(t.Rows, []any{s.Group, s.Rank, s.Platform, s.UID, s.Member, s.Balance, last, ptr(s.DaysSilent), strings.Join(s.Reasons, "; ")})
			}
			return t.write(cmd.OutOrStdout(), format)
		},
	}
	addFormatFlag(cmd, &format)
	cmd.Flags().StringVar(&group, "group", "", "only this group (name or id)")
	cmd.Flags().StringVar(&at, "at", "", "as of the start of this day, e.g. 2026-11-23 (default: now)")
	cmd.Flags().IntVar(&top, "top", 0, "only the first N of each group (0: all)")
	cmd.Flags().BoolVar(&candidates, "candidates", false, "only elimination candidates")
	return cmd
}

func newRiskRulesCmd(rules func() (*risk.Rules, error)) *cobra.Command {
	var format string
	var asYAML bool
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Check and list the rules in effect, or print the built-in rules file",
		Example: `  ckpi risk rules --yaml > rules.yaml    # start your own
  ckpi risk rules --rules rules.yaml     # check it`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if asYAML {
				_, err := cmd.OutOrStdout().Write(risk.DefaultRulesYAML())
				return err
			}
			r, err := rules()
			if err != nil {
				return err
			}
			t := table{Columns: []string{"rule", "kind", "category", "severity", "strikes", "enabled", "description"}}
			for _, rule := range r.Rules {
				t.Rows = append(t.Rows, []any{rule.Name, rule.Kind, rule.Category, rule.Severity, int64(rule.StrikeCount()), rule.IsEnabled(), rule.Description})
			}
			return t.write(cmd.OutOrStdout(), format)
		},
	}
	addFormatFlag(cmd, &format)
	cmd.Flags().BoolVar(&asYAML, "yaml", false, "print the built-in rules file")
	return cmd
}

// riskFilter reads the period flags (none: all time) and --group.
func riskFilter(p *periodFlags, group string, loc *time.Location) (risk.Filter, error) {
	f := risk.Filter{Group: optional(group)}
	if p.week == "" && p.day == "" && p.month == "" {
		return f, nil
	}
	period, err := p.resolve("week", loc)
	if err != nil {
		return f, err
	}
	f.Start, f.End = period.Start, period.End
	return f, nil
}

// parseDay reads a day (2026-11-16) as its local midnight, or an RFC 3339 instant.
func parseDay(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q: want a day like 2026-11-16", s)
}

// atFlag is --at, the start of a local day, or now.
func atFlag(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := parseDay(s, loc)
	if err != nil {
		return t, usageErrorf("--at: %w", err)
	}
	return t, nil
}

func localTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04:05")
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func ptr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// oneLineText keeps a table row on one line; csv and json keep the text.
func oneLineText(s, format string) string {
	if format != "table" {
		return s
	}
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
