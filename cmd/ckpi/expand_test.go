package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A path that exists is taken as it is, even with glob characters in its
// name: DiscordChatExporter's default names end in "[channel id]".
func TestExpandPathsLiteralFirst(t *testing.T) {
	dir := t.TempDir()
	dce := filepath.Join(dir, "星河社区 - 社区 - general [910000000000000001].json")
	star := filepath.Join(dir, "a*b?.txt")
	other := filepath.Join(dir, "ab.txt")
	for _, p := range []string{dce, star, other} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{dce}, []string{dce}},
		{[]string{star}, []string{star}}, // not also ab.txt
		{[]string{filepath.Join(dir, "*.json")}, []string{dce}},
		{[]string{filepath.Join(dir, "a*.txt")}, []string{star, other}},
	}
	for _, c := range cases {
		got, err := expandPaths(c.args)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("expandPaths(%q) = %q, %v; want %q", c.args, got, err, c.want)
		}
	}
	if _, err := expandPaths([]string{filepath.Join(dir, "missing [1].json")}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

func TestCLIIngestDiscordDefaultName(t *testing.T) {
	const name = "星河社区 - 社区 - general [910000000000000001].json"
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("../../testdata/discord", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := ckpi(t, "--db", filepath.Join(dir, "ckpi.duckdb"), "ingest", path)
	if err != nil || !strings.Contains(out, "loaded  "+path+" (discord-json, ") {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
}
