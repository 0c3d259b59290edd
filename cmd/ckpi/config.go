package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ckpi/ckpi/ingest/format"

	"gopkg.in/yaml.v3"

	"github.com/ckpi/ckpi/ingest"
	"github.com/ckpi/ckpi/queries"
)

// Config is ckpi.yaml.
type Config struct {
	// Timezone exports in local time are read in, and weeks are cut in.
	Timezone string `yaml:"timezone"`
	// Staff are not members in KPIs.
	Staff []StaffEntry `yaml:"staff"`
	// Bots are excluded like staff.
	Bots   []StaffEntry `yaml:"bots"`
	Groups []GroupTags  `yaml:"groups"`
	// Activities, when given, replace the built-in patterns that find
	// activities held in chat (check-ins, announcements).
	Activities []ActivityPattern `yaml:"activities,omitempty"`
	// MetricsDir is a folder of the user's metric files, relative to the
	// config file; --metrics-dir wins. Without either, only the built-in
	// metrics run: a ./metrics folder is never read unasked.
	MetricsDir string `yaml:"metrics_dir,omitempty"`

	loc      *time.Location
	groupLoc map[string]*time.Location // by group id, from groups[].timezone
	dir      string                    // the config file's folder
	loaded   bool                      // a file was read: its staff list is the truth
}

// StaffEntry names one staff identity.
type StaffEntry struct {
	Platform string `yaml:"platform"`
	UID      string `yaml:"uid"`
	Group    string `yaml:"group,omitempty"`
	Role     string `yaml:"role"`
}

// ActivityPattern finds activities held in chat.
type ActivityPattern struct {
	Type       string `yaml:"type"`
	Pattern    string `yaml:"pattern"`
	OncePerDay bool   `yaml:"once_per_day,omitempty"`
}

// GroupTags adds what exports do not say about a group.
type GroupTags struct {
	Platform    string `yaml:"platform"`
	ID          string `yaml:"id"`
	City        string `yaml:"city"`
	ProductLine string `yaml:"product_line"`
	Owner       string `yaml:"owner"`
	NamePattern string `yaml:"name_pattern"`
	// Timezone is the zone the group's exports write local times in, when
	// it is not the config's timezone (a group of members abroad).
	Timezone string `yaml:"timezone,omitempty"`
}

const defaultTimezone = "Asia/Shanghai"

// LoadConfig reads the config file; a missing default file is fine, a
// missing file the user named is not.
func LoadConfig(path string, explicit bool) (*Config, error) {
	cfg := &Config{}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
	case err != nil:
		return nil, fmt.Errorf("config: %w", err)
	default:
		cfg.loaded = true
		cfg.dir = filepath.Dir(path)
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(cfg); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if cfg.Timezone == "" {
		cfg.Timezone = defaultTimezone
	}
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return nil, fmt.Errorf("config %s: timezone %q: %w", path, cfg.Timezone, err)
	}
	cfg.loc = loc
	for _, g := range cfg.Groups {
		if g.Timezone == "" {
			continue
		}
		gl, err := time.LoadLocation(g.Timezone)
		if err != nil {
			return nil, fmt.Errorf("config %s: group %s: timezone %q: %w", path, g.ID, g.Timezone, err)
		}
		if g.ID == "" {
			return nil, fmt.Errorf("config %s: a group with timezone %q has no id", path, g.Timezone)
		}
		if cfg.groupLoc == nil {
			cfg.groupLoc = map[string]*time.Location{}
		}
		cfg.groupLoc[g.ID] = gl
	}
	return cfg, nil
}

// GroupLocations are the groups' own zones (by group id or name), which win
// over the config's timezone and --tz for those groups.
func (c *Config) GroupLocations() map[string]*time.Location { return c.groupLoc }

// metricsDir is the config's metrics_dir, relative to the config file.
func (c *Config) metricsDir() string {
	if c.MetricsDir == "" || filepath.IsAbs(c.MetricsDir) {
		return c.MetricsDir
	}
	return filepath.Join(c.dir, c.MetricsDir)
}

// Location is the configured zone.
func (c *Config) Location() *time.Location { return c.loc }

// Apply writes the staff list and group tags into the database. Without a
// config file the database keeps the staff it has.
func (c *Config) Apply(ctx context.Context, db *sql.DB) error {
	if !c.loaded {
		return nil
	}
	if err := ingest.SetStaff(ctx, db, c.staff()); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if len(c.Activities) > 0 {
		patterns := make([]ingest.ActivityPattern, len(c.Activities))
		for i, a := range c.Activities {
			patterns[i] = ingest.ActivityPattern{Type: a.Type, Pattern: a.Pattern, OncePerDay: a.OncePerDay}
		}
		if err := ingest.SetActivityPatterns(ctx, db, patterns); err != nil {
			return fmt.Errorf("config: %w", err)
		}
	}
	for _, g := range c.Groups {
		tags := ingest.GroupTags{City: g.City, ProductLine: g.ProductLine, Owner: g.Owner, NamePattern: g.NamePattern}
		if err := ingest.TagGroup(ctx, db, format.Group{Platform: g.Platform, ExternalID: g.ID, Name: g.ID}, tags); err != nil {
			return fmt.Errorf("config: group %s: %w", g.ID, err)
		}
	}
	return nil
}

// Overlay is the config as temporary tables of a read-only connection:
// what Apply would write, seen without writing. Without a config file the
// database's staff and tags stand as they are.
func (c *Config) Overlay() ([]queries.Statement, error) {
	if !c.loaded {
		return nil, nil
	}
	staff, groups := c.staff(), make([]ingest.TaggedGroup, len(c.Groups))
	for i, g := range c.Groups {
		groups[i] = ingest.TaggedGroup{Group: format.Group{Platform: g.Platform, ExternalID: g.ID, Name: g.ID},
			Tags: ingest.GroupTags{City: g.City, ProductLine: g.ProductLine, Owner: g.Owner, NamePattern: g.NamePattern}}
	}
	st, err := ingest.ConfigOverlay(staff, groups)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return st, nil
}

// staff is the configured staff and bots.
func (c *Config) staff() []ingest.Staff {
	var staff []ingest.Staff
	for _, s := range c.Staff {
		staff = append(staff, ingest.Staff{Platform: s.Platform, UID: s.UID, Group: s.Group, Role: orDefault(s.Role, "service")})
	}
	for _, b := range c.Bots {
		staff = append(staff, ingest.Staff{Platform: b.Platform, UID: b.UID, Group: b.Group, Role: "bot"})
	}
	return staff
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Save writes the config as YAML, for a later run to read with --config.
func (c *Config) Save(path string) error {
	b, err := yaml.Marshal(c)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
