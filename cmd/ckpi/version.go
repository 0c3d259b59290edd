package main

import (
	"database/sql"
	"runtime"
	"runtime/debug"
	"strings"
)

// buildVersion names the build from what Go recorded in the binary: the
// module version (a tag with `go install ...@v1.2.3`, "(devel)" from a
// checkout), the VCS revision and time, whether the tree had changes, the
// Go release and the DuckDB driver's module version.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown build), " + runtime.Version()
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	parts := []string{version}
	var rev, at, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		commit := "commit " + rev
		if at != "" {
			commit += " (" + at
			if modified == "true" {
				commit += ", modified"
			}
			commit += ")"
		}
		parts = append(parts, commit)
	}
	parts = append(parts, runtime.Version())
	for _, dep := range info.Deps {
		if dep.Path == "github.com/duckdb/duckdb-go/v2" {
			parts = append(parts, "duckdb-go "+dep.Version)
		}
	}
	return strings.Join(parts, ", ")
}

// duckdbVersion is the version of the DuckDB library linked in, asked of
// a private in-memory database: only `ckpi --version` pays for it.
func duckdbVersion() string {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	defer db.Close()
	var v, source string
	if err := db.QueryRow(`SELECT library_version, source_id FROM pragma_version()`).Scan(&v, &source); err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return v + " (" + source + ")"
}
