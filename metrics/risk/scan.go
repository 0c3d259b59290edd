package risk

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/ckpi/ckpi/queries"
)

// ScanOptions tune a scan.
type ScanOptions struct {
	// Since limits the scan to messages (and names, joins) from this
	// instant on; zero scans everything. Violations before it are kept.
	Since time.Time
	// TZ cuts days for the daily caps of points; default UTC.
	TZ *time.Location
	// Now stamps new violations and the scan log; zero means time.Now.
	Now    time.Time
	Logger *slog.Logger
}

// RuleCount is what one rule found in a scan.
type RuleCount struct {
	Rule     string
	Kind     string
	Category string
	Found    int64 // findings in the scanned period
	Added    int64 // of which not stored before
	Took     time.Duration
}

// ScanResult says what a scan did.
type ScanResult struct {
	Rules      []RuleCount
	Found      int64 // findings of all rules
	Added      int64 // new violations stored
	Dropped    int64 // stored violations the rules no longer find
	Violations int64 // violations stored after the scan
	Offences   int64
	// PendingRemovals are offences on the removal step whose member is
	// still in the group: actions staff owe.
	PendingRemovals int64
	Blacklisted     int64 // blacklist entries after the scan
	BlacklistHits   int64 // alerts: blacklisted people seen in a group
	PointsRows      int64 // rows of the points ledger
	Took            time.Duration
	Steps           []Step // time per phase
}

// Step is the time a phase of the scan took.
type Step struct {
	Name string
	Took time.Duration
}

// epoch stands for "no --since": before any chat export.
var epoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// Scan runs every enabled rule over the database and stores what they find
// in one transaction: a failed or interrupted scan leaves the previous
// results as they were. Scanning again finds the same violations under the
// same ids and adds nothing; violations of the scanned period that the
// rules no longer find (a rule changed) are dropped. The blacklist's file
// and automatic entries, its alerts and the points ledger are brought up to
// date too.
func Scan(ctx context.Context, db *sql.DB, rules *Rules, opt ScanOptions) (*ScanResult, error) {
	start := time.Now()
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.TZ == nil {
		opt.TZ = time.UTC
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	since := epoch
	if !opt.Since.IsZero() {
		since = opt.Since
	}
	entries, err := rules.blacklistFileEntries()
	if err != nil {
		return nil, err
	}

	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	s := &scanner{ctx: ctx, tx: tx, log: log, res: &ScanResult{}}
	base := map[string]any{
		"since": tsText(since),
		"now":   tsText(opt.Now),
		"tz":    opt.TZ.String(),
	}
	phase := time.Now()
	if err := s.storeRules(rules); err != nil {
		return nil, err
	}
	if err := s.exec("scan_begin", nil); err != nil {
		return nil, err
	}
	for i := range rules.Rules {
		r := &rules.Rules[i]
		if !r.IsEnabled() {
			continue
		}
		t := time.Now()
		n, err := s.execCount(detector(r.Kind), r.params(base))
		if err != nil {
			return nil, fmt.Errorf("rule %q (%s:%d): %w", r.Name, rules.File, r.Line, err)
		}
		log.Debug("risk rule", "rule", r.Name, "hits", n, "took", time.Since(t))
		s.res.Rules = append(s.res.Rules, RuleCount{Rule: r.Name, Kind: r.Kind, Category: r.Category, Took: time.Since(t)})
	}
	s.step("detect", &phase)

	if err := s.merge(base); err != nil {
		return nil, err
	}
	s.step("store", &phase)

	if err := s.blacklist(rules, entries); err != nil {
		return nil, err
	}
	s.step("blacklist", &phase)

	if err := s.points(rules, base); err != nil {
		return nil, err
	}
	s.step("points", &phase)

	if err := s.totals(); err != nil {
		return nil, err
	}
	s.res.Took = time.Since(start)
	var sinceArg any
	if !opt.Since.IsZero() {
		sinceArg = opt.Since.UTC()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO risk_scans VALUES (nextval('risk_scan_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		opt.Now.UTC(), opt.Now.Add(s.res.Took).UTC(), sinceArg, rules.File, rules.Checksum,
		s.res.Found, s.res.Added, s.res.Dropped, s.res.BlacklistHits); err != nil {
		return nil, fmt.Errorf("risk scan log: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("risk scan: commit: %w", err)
	}
	s.res.Took = time.Since(start)
	return s.res, nil
}

// detector is the statement of a rule kind.
func detector(kind string) string { return "detect_" + kind }

// params are the values a rule's detector may bind; each statement takes
// the ones it names.
func (r *Rule) params(base map[string]any) map[string]any {
	p := make(map[string]any, len(base)+10)
	for k, v := range base {
		p[k] = v
	}
	p["rule"] = r.Name
	p["exempt_staff"] = r.exemptStaff()
	p["except"] = r.ExceptPattern()
	p["allow"] = r.AllowPattern()
	p["allowed_links"] = r.AllowedLinksPattern()
	p["count"] = int64(r.Count)
	p["within"] = r.Within.Seconds()
	p["min_length"] = int64(r.MinLength)
	p["max_mb"] = r.MaxMB
	switch r.Kind {
	case "nickname_format":
		p["pattern"] = r.Pattern
	case "churn":
		p["pattern"] = r.MatchPattern()
		if p["pattern"] == "" {
			p["pattern"] = `(?i)(?:https?://|www\.)\S+`
		}
	default:
		p["pattern"] = r.MatchPattern()
	}
	return p
}

type scanner struct {
	ctx context.Context
	tx  *sql.Tx
	log *slog.Logger
	res *ScanResult
}

func (s *scanner) step(name string, since *time.Time) {
	took := time.Since(*since)
	s.res.Steps = append(s.res.Steps, Step{Name: name, Took: took})
	s.log.Debug("risk scan", "phase", name, "took", took)
	*since = time.Now()
}

// exec runs a statement of queries/risk with the parameters it names.
func (s *scanner) exec(name string, params map[string]any) error {
	_, err := s.execCount(name, params)
	return err
}

func (s *scanner) execCount(name string, params map[string]any) (int64, error) {
	src := queries.Risk(name)
	args, err := bind(src, params)
	if err != nil {
		return 0, fmt.Errorf("queries/risk/%s.sql: %w", name, err)
	}
	res, err := s.tx.ExecContext(s.ctx, src, args...)
	if err != nil {
		return 0, fmt.Errorf("queries/risk/%s.sql: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func (s *scanner) storeRules(rules *Rules) error {
	if err := s.exec("rules_store", nil); err != nil {
		return err
	}
	for _, r := range rules.Rules {
		if !r.IsEnabled() {
			continue
		}
		if _, err := s.tx.ExecContext(s.ctx, `INSERT INTO risk_rules VALUES (?, ?, ?, ?, ?, ?)`,
			r.Name, r.Kind, r.Category, r.Severity, r.StrikeCount(), r.Description); err != nil {
			return fmt.Errorf("risk rules: %w", err)
		}
	}
	if _, err := s.tx.ExecContext(s.ctx, `INSERT INTO risk_settings VALUES (?, ?)`,
		rules.Ladder.Scope, rules.Ladder.Cooldown.Seconds()); err != nil {
		return fmt.Errorf("risk settings: %w", err)
	}
	for i, step := range rules.Ladder.Steps {
		if _, err := s.tx.ExecContext(s.ctx, `INSERT INTO risk_ladder_steps VALUES (?, ?)`, i+1, step); err != nil {
			return fmt.Errorf("risk ladder: %w", err)
		}
	}
	return nil
}

func (s *scanner) merge(base map[string]any) error {
	if err := s.exec("found", nil); err != nil {
		return err
	}
	rows, err := s.tx.QueryContext(s.ctx, queries.Risk("rule_counts"))
	if err != nil {
		return fmt.Errorf("queries/risk/rule_counts.sql: %w", err)
	}
	counts := map[string][2]int64{}
	for rows.Next() {
		var rule string
		var found, added int64
		if err := rows.Scan(&rule, &found, &added); err != nil {
			rows.Close()
			return err
		}
		counts[rule] = [2]int64{found, added}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range s.res.Rules {
		c := counts[s.res.Rules[i].Rule]
		s.res.Rules[i].Found, s.res.Rules[i].Added = c[0], c[1]
		s.res.Found += c[0]
		s.res.Added += c[1]
	}
	if s.res.Dropped, err = s.execCount("drop_stale", base); err != nil {
		return err
	}
	if err := s.exec("update_stored", base); err != nil {
		return err
	}
	return s.exec("insert_new", base)
}

func (s *scanner) blacklist(rules *Rules, entries []Entry) error {
	for _, e := range entries {
		if _, err := s.tx.ExecContext(s.ctx, `INSERT INTO risk_blacklist_file VALUES (?, ?, ?, ?)`,
			e.Kind, e.Platform, e.Key, nullIfEmpty(e.Reason)); err != nil {
			return fmt.Errorf("blacklist: %w", err)
		}
	}
	if err := s.exec("blacklist_sync_files", nil); err != nil {
		return err
	}
	if rules.Blacklist.AutoEnabled() {
		if err := s.exec("blacklist_auto", nil); err != nil {
			return err
		}
	}
	return s.exec("blacklist_hits", nil)
}

func (s *scanner) points(rules *Rules, base map[string]any) error {
	p := rules.Points
	if err := s.exec("points_clear", base); err != nil {
		return err
	}
	with := func(extra map[string]any) map[string]any {
		m := make(map[string]any, len(base)+len(extra))
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, pr := range []struct {
		reason string
		rule   PointRule
	}{{"checkin", p.Checkin}, {"sharing", p.Sharing}} {
		if pr.rule.Points == 0 || pr.rule.Pattern == "" {
			continue
		}
		if err := s.exec("points_messages", with(map[string]any{
			"points": int64(pr.rule.Points), "reason": pr.reason, "pattern": pr.rule.Pattern, "except": pr.rule.Except,
			"cap": int64(pr.rule.DailyCap),
		})); err != nil {
			return err
		}
	}
	if p.Answer.Points != 0 {
		if err := s.exec("points_answers", with(map[string]any{
			"points": int64(p.Answer.Points), "within": p.Answer.Within.Seconds(), "cap": int64(p.Answer.DailyCap),
		})); err != nil {
			return err
		}
	}
	if err := s.exec("points_violations", with(map[string]any{"per_strike": int64(p.Violation)})); err != nil {
		return err
	}
	if p.QuitForfeits {
		if err := s.exec("points_quit", nil); err != nil {
			return err
		}
	}
	return nil
}

func (s *scanner) totals() error {
	return s.tx.QueryRowContext(s.ctx, `SELECT
		(SELECT count(*) FROM violations),
		(SELECT count(*) FROM risk_offences),
		(SELECT count(*) FROM blacklist),
		(SELECT count(*) FROM blacklist_hits),
		(SELECT count(*) FROM points_ledger)`).Scan(
		&s.res.Violations, &s.res.Offences, &s.res.Blacklisted, &s.res.BlacklistHits, &s.res.PointsRows)
}

// blacklistFileEntries reads the files the rules name, relative to the
// rules file.
func (r *Rules) blacklistFileEntries() ([]Entry, error) {
	var out []Entry
	for _, f := range r.Blacklist.Files {
		path := f
		if !filepath.IsAbs(path) && r.File != DefaultFile {
			path = filepath.Join(filepath.Dir(r.File), f)
		}
		es, err := ReadBlacklistFile(path)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

// bind turns the parameters a statement names ($name) into arguments; a
// name the statement uses but params lacks is an error.
func bind(src string, params map[string]any) ([]any, error) {
	var args []any
	for _, name := range queries.Params(src) {
		v, ok := params[name]
		if !ok {
			return nil, fmt.Errorf("no value for $%s", name)
		}
		args = append(args, sql.Named(name, v))
	}
	return args, nil
}

// tsText is an instant as the text of a UTC TIMESTAMP: statements cast it
// with ::TIMESTAMP, so no session time zone comes into play.
func tsText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.999999") }

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
