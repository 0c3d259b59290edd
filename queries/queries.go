// Package queries holds ckpi's SQL: the canonical schema, the statements the
// loader runs, and one file per metric. Everything is embedded so the binary
// carries its own definitions.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed macros.sql schema/*.sql ingest/*.sql metrics/*.sql templates/*.sql risk/*.sql reports/*.sql
var files embed.FS

// Metrics is the folder of built-in metric definitions.
func Metrics() fs.FS {
	sub, err := fs.Sub(files, "metrics")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}

// Ingest returns a statement the loader runs, by file name without ".sql".
func Ingest(name string) string {
	b, err := files.ReadFile("ingest/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("queries: no ingest statement %q", name))
	}
	return string(b)
}

// Risk returns a statement of the risk scan (metrics/risk), by file name
// without ".sql".
func Risk(name string) string {
	b, err := files.ReadFile("risk/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("queries: no risk statement %q", name))
	}
	return string(b)
}

// Report returns a query of the weekly report that is not a KPI (the hour x
// weekday heatmap, group details), by file name without ".sql".
func Report(name string) string {
	b, err := files.ReadFile("reports/" + name + ".sql")
	if err != nil {
		panic(fmt.Sprintf("queries: no report query %q", name))
	}
	return string(b)
}

// MetricTemplate is the commented starting point of a new metric file, with
// {{name}} and {{title}} to fill in.
func MetricTemplate() string {
	b, err := files.ReadFile("templates/metric.sql")
	if err != nil {
		panic(err) // embedded at build time
	}
	return string(b)
}
