//go:build duckdb_arrow

package main

func init() { crashBuildTags = "duckdb_arrow" }
