package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/ckpi/ckpi/ingest/format"
	"github.com/ckpi/ckpi/queries"
)

// Staff is a platform identity that works for the community, not a member.
type Staff struct {
	Platform string
	UID      string
	Group    string // a group's external id or name; empty for every group
	Role     string // owner | admin | service | bot
}

// SetStaff replaces the configured staff with this list; the roles exports
// stated are kept. A "member" entry overrides an export's role: that person
// counts as a member.
func SetStaff(ctx context.Context, db *sql.DB, staff []Staff) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff WHERE origin = 'config'`); err != nil {
		return err
	}
	for _, s := range staff {
		row, err := staffRow(s)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff (member_id, group_id, role, origin) VALUES (?, ?, ?, 'config')`, row...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// GroupTags are what a config adds to a group.
type GroupTags struct {
	City, ProductLine, Owner, NamePattern string
}

// TagGroup sets a group's tags, creating the group if no export named it yet;
// a later export keeps the tags and sets the name.
func TagGroup(ctx context.Context, db *sql.DB, g format.Group, t GroupTags) error {
	_, err := db.ExecContext(ctx, `INSERT INTO groups (group_id, platform, external_id, name, city, product_line, owner, name_pattern)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (group_id) DO UPDATE SET city = excluded.city, product_line = excluded.product_line,
			owner = excluded.owner, name_pattern = excluded.name_pattern`,
		groupID(g), g.Platform, g.ExternalID, g.Name, nullString(t.City), nullString(t.ProductLine), nullString(t.Owner), nullString(t.NamePattern))
	return err
}

// ActivityPattern says which messages mean an activity was held.
type ActivityPattern struct {
	Type       string // one of format.ActivityTypes
	Pattern    string // a regular expression (RE2) matched against message text
	OncePerDay bool   // count one per group and local day (check-ins)
}

// SetActivityPatterns replaces the patterns used by later loads. Each
// pattern is checked by both regular expression engines that use it first,
// so a bad one fails here and not in the middle of a load.
func SetActivityPatterns(ctx context.Context, db *sql.DB, patterns []ActivityPattern) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, `DELETE FROM activity_patterns`); err != nil {
		return err
	}
	for i, p := range patterns {
		if !format.ActivityTypes[p.Type] {
			return fmt.Errorf("activity pattern %q: unknown type %q", p.Pattern, p.Type)
		}
		// Both engines read the patterns: DuckDB picks candidates, Go
		// classifies them.
		if _, err := regexp.Compile(p.Pattern); err != nil {
			return fmt.Errorf("activity pattern %q: %w", p.Pattern, err)
		}
		if _, err := tx.ExecContext(ctx, `SELECT regexp_matches('', ?)`, p.Pattern); err != nil {
			return fmt.Errorf("activity pattern %q: %w", p.Pattern, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_patterns VALUES (?, ?, ?, ?)`, p.Type, p.Pattern, p.OncePerDay, i+1); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// TaggedGroup is a group the config tags.
type TaggedGroup struct {
	Group format.Group
	Tags  GroupTags
}

// ConfigOverlay is what a read-only connection runs to see the config's
// staff and group tags as SetStaff and TagGroup would have written them,
// without writing: temporary tables named staff and groups, copies of the
// file's with the config applied, which come first in DuckDB's search path
// (the helpers of macros.sql are temporary too on such a connection, so
// they read these). The configured activity patterns only matter to loads
// and are left out.
func ConfigOverlay(staff []Staff, groups []TaggedGroup) ([]queries.Statement, error) {
	out := []queries.Statement{
		{SQL: `CREATE OR REPLACE TEMP TABLE staff AS SELECT * FROM main.staff WHERE origin <> 'config'`},
		{SQL: `CREATE OR REPLACE TEMP TABLE groups AS SELECT * FROM main.groups`},
	}
	if len(staff) > 0 {
		var args []any
		for _, s := range staff {
			row, err := staffRow(s)
			if err != nil {
				return nil, err
			}
			args = append(args, row...)
		}
		out = append(out, queries.Statement{
			SQL:  `INSERT INTO temp.staff (member_id, group_id, role, origin) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, 'config'), ", len(staff)), ", "),
			Args: args,
		})
	}
	for _, g := range groups {
		id, t := groupID(g.Group), g.Tags
		out = append(out,
			queries.Statement{SQL: `INSERT INTO temp.groups (group_id, platform, external_id, name)
				SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM temp.groups WHERE group_id = ?)`,
				Args: []any{id, g.Group.Platform, g.Group.ExternalID, g.Group.Name, id}},
			queries.Statement{SQL: `UPDATE temp.groups SET city = ?, product_line = ?, owner = ?, name_pattern = ? WHERE group_id = ?`,
				Args: []any{nullString(t.City), nullString(t.ProductLine), nullString(t.Owner), nullString(t.NamePattern), id}})
	}
	return out, nil
}

// staffRow is a configured staff entry as staff's member_id, group_id and
// role, or why it is not one.
func staffRow(s Staff) ([]any, error) {
	switch s.Role {
	case "owner", "admin", "service", "bot", "member":
	default:
		return nil, fmt.Errorf("staff %s: role %q: want owner, admin, service, bot or member", s.UID, s.Role)
	}
	var group any
	if s.Group != "" {
		group = groupID(format.Group{Platform: s.Platform, ExternalID: s.Group})
	}
	return []any{hashID(s.Platform, s.UID), group, s.Role}, nil
}
