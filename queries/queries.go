// Package queries holds ckpi's SQL: the canonical schema, the statements the
// loader runs, and one file per metric. Everything is embedded so the binary
// carries its own definitions.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed schema/*.sql ingest/*.sql metrics/*.sql templates/*.sql
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

// MetricTemplate is the commented starting point of a new metric file, with
// {{name}} and {{title}} to fill in.
func MetricTemplate() string {
	b, err := files.ReadFile("templates/metric.sql")
	if err != nil {
		panic(err) // embedded at build time
	}
	return string(b)
}
