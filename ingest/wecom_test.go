package ingest_test

import (
	"context"
	"testing"

	"github.com/ckpi/ckpi/ingest"
)

// A WeCom archive knows its groups by id only; the details name them. In
// whichever order the two load, together or one after the other, a group
// keeps the name the details gave.
func TestWeComGroupNames(t *testing.T) {
	const archive, details = "../testdata/wecom/archive.jsonl", "../testdata/wecom/groupchat.json"
	for _, c := range []struct {
		name     string
		files    []string
		together bool
	}{
		{"archive then details, together", []string{archive, details}, true},
		{"details then archive, together", []string{details, archive}, true},
		{"archive then details", []string{archive, details}, false},
		{"details then archive", []string{details, archive}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := openDB(t)
			ctx := context.Background()
			opt := ingest.Options{MaxRejects: 1}
			if c.together {
				ingest.LoadFiles(ctx, db, c.files, opt, func(r ingest.Result) {
					if r.Err != nil {
						t.Fatal(r.Err)
					}
				})
			} else {
				for _, f := range c.files {
					if r := ingest.LoadFile(ctx, db, f, opt); r.Err != nil {
						t.Fatal(r.Err)
					}
				}
			}
			var names string
			if err := db.QueryRow(`SELECT string_agg(name, ',' ORDER BY name) FROM groups`).Scan(&names); err != nil {
				t.Fatal(err)
			}
			if names != "星河产品交流群01,星河用户杭州站" {
				t.Errorf("groups %q", names)
			}
		})
	}
}
