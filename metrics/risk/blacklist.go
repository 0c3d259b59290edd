package risk

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ckpi/ckpi/queries"
)

// Entry is one blacklisted person.
type Entry struct {
	Kind     string // uid | customer_key
	Platform string // of a uid entry; "" for customer keys
	Key      string // the platform's user id, or the customer key (phone hash)
	Reason   string
	AddedAt  time.Time // UTC; for auto entries, the removal
	Source   string    // file | cli | auto
}

// Label writes the entry the way files and the command line take it:
// "qq:123456" or "customer_key:HASH".
func (e Entry) Label() string {
	if e.Kind == "customer_key" {
		return "customer_key:" + e.Key
	}
	return e.Platform + ":" + e.Key
}

var platformRE = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// ParseKey reads "qq:123456" (a platform and its user id) or
// "customer_key:HASH" ("phone:HASH" is the same: a phone hash is a customer
// key).
func ParseKey(s string) (kind, platform, key string, err error) {
	p, k, ok := strings.Cut(strings.TrimSpace(s), ":")
	p = strings.ToLower(strings.TrimSpace(p))
	k = strings.TrimSpace(k)
	switch {
	case !ok || k == "":
		return "", "", "", fmt.Errorf("%q: want platform:uid (qq:123456) or customer_key:HASH", s)
	case p == "customer_key" || p == "phone":
		return "customer_key", "", k, nil
	case !platformRE.MatchString(p):
		return "", "", "", fmt.Errorf("%q: platform %q is not a name like qq or wechat", s, p)
	}
	return "uid", p, k, nil
}

// ReadBlacklistFile reads a blacklist file: one person a line, as
// "qq:123456" or "customer_key:HASH", optionally followed by whitespace and
// a reason; empty lines and lines starting with # are skipped.
func ReadBlacklistFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("blacklist: %w", err)
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if !utf8.ValidString(text) {
			return nil, fmt.Errorf("blacklist %s:%d: not UTF-8 text", path, line)
		}
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		keyText, reason, _ := strings.Cut(strings.ReplaceAll(text, "\t", " "), " ")
		kind, platform, key, err := ParseKey(keyText)
		if err != nil {
			return nil, fmt.Errorf("blacklist %s:%d: %w", path, line, err)
		}
		out = append(out, Entry{Kind: kind, Platform: platform, Key: key, Reason: strings.TrimSpace(reason), Source: "file"})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("blacklist %s:%d: %w", path, line+1, err)
	}
	return out, nil
}

// AddToBlacklist adds (or replaces the reason of) an entry given on the
// command line, and refreshes the alerts.
func AddToBlacklist(ctx context.Context, db *sql.DB, keyText, reason string, now time.Time) (Entry, error) {
	kind, platform, key, err := ParseKey(keyText)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Kind: kind, Platform: platform, Key: key, Reason: reason, AddedAt: now.UTC(), Source: "cli"}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return e, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, `INSERT INTO blacklist VALUES (?, ?, ?, ?, ?, 'cli')
		ON CONFLICT (kind, platform, key) DO UPDATE SET reason = excluded.reason, source = 'cli'`,
		kind, platform, key, nullIfEmpty(reason), e.AddedAt); err != nil {
		return e, fmt.Errorf("blacklist: %w", err)
	}
	if _, err := tx.ExecContext(ctx, queries.Risk("blacklist_hits")); err != nil {
		return e, fmt.Errorf("blacklist: %w", err)
	}
	return e, tx.Commit()
}

// ErrNotListed is returned when removing someone who is not on the list.
var ErrNotListed = errors.New("not on the blacklist")

// RemoveFromBlacklist takes an entry off the list and refreshes the alerts.
// An entry from a blacklist file comes back with the next scan unless the
// file changes; an automatic one comes back if the removal is still found.
func RemoveFromBlacklist(ctx context.Context, db *sql.DB, keyText string) error {
	kind, platform, key, err := ParseKey(keyText)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	res, err := tx.ExecContext(ctx, `DELETE FROM blacklist WHERE kind = ? AND platform = ? AND key = ?`, kind, platform, key)
	if err != nil {
		return fmt.Errorf("blacklist: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s: %w", keyText, ErrNotListed)
	}
	if _, err := tx.ExecContext(ctx, queries.Risk("blacklist_hits")); err != nil {
		return fmt.Errorf("blacklist: %w", err)
	}
	return tx.Commit()
}

// Blacklist lists the entries, oldest first.
func Blacklist(ctx context.Context, db *sql.DB) ([]Entry, error) {
	rows, err := db.QueryContext(ctx, `SELECT kind, platform, key, coalesce(reason, ''), added_at, source
		FROM blacklist ORDER BY added_at, kind, platform, key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.Kind, &e.Platform, &e.Key, &e.Reason, &e.AddedAt, &e.Source); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Hit is an alert: a blacklisted person seen in a group.
type Hit struct {
	Entry    string // the entry's label, qq:123456
	Group    string
	Platform string
	UID      string
	Member   string
	Time     time.Time // UTC
	How      string    // join | message
	Reason   string
}

// Hits lists the alerts from start to end (zero: no bound), newest first.
func Hits(ctx context.Context, db *sql.DB, start, end time.Time, group *string) ([]Hit, error) {
	args := []any{sql.Named("start", timeArg(start)), sql.Named("end", timeArg(end)), sql.Named("group", strArg(group))}
	rows, err := db.QueryContext(ctx, queries.Risk("hits"), args...)
	if err != nil {
		return nil, fmt.Errorf("queries/risk/hits.sql: %w", err)
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() {
		var h Hit
		var kind, platform, key string
		if err := rows.Scan(&kind, &platform, &key, &h.Group, &h.Platform, &h.UID, &h.Member, &h.Time, &h.How, &h.Reason); err != nil {
			return nil, err
		}
		h.Entry = Entry{Kind: kind, Platform: platform, Key: key}.Label()
		out = append(out, h)
	}
	return out, rows.Err()
}

func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return tsText(t)
}

func strArg(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}
