package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ckpi/ckpi/queries"
)

func TestLimitMemory(t *testing.T) {
	db, err := queries.Open(context.Background(), filepath.Join(t.TempDir(), "m.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		size, want string // want: DuckDB's reading of the setting; empty: refused
	}{
		{"256MB", "244.1 MiB"},
		{"2GiB", "2.0 GiB"},
		{"1.5GB", "1.3 GiB"},
		{"256", ""},
		{"lots", ""},
		{"1GB'; DROP TABLE messages; --", ""},
	}
	for _, tt := range tests {
		err := limitMemory(context.Background(), db, tt.size)
		if tt.want == "" {
			if err == nil || !strings.Contains(err.Error(), "--memory") {
				t.Errorf("%q: error %v, want a --memory error", tt.size, err)
			}
			continue
		}
		var got string
		if err == nil {
			err = db.QueryRow(`SELECT current_setting('memory_limit')`).Scan(&got)
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: memory_limit %q (%v), want %q", tt.size, got, err, tt.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int{"4MB": 4 << 20, "64MiB": 64 << 20, "512KB": 512 << 10, "1.5GB": 3 << 29} {
		if got, err := parseSize("--max-message", in); err != nil || got != want {
			t.Errorf("%s: %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"4", "4XB", "-1MB", "0KB", "1MB; DROP"} {
		if _, err := parseSize("--max-message", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
