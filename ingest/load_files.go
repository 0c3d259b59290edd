package ingest

import (
	"context"
	"database/sql"
	"os"
)

// Files under smallFile load together, up to groupBytes and groupFiles to
// a transaction.
const (
	smallFile  = 32 << 20
	groupBytes = 128 << 20
	groupFiles = 256
)

// LoadFiles loads exports in order and hands each file's result to done.
// Small files load several to a transaction, read into one message stream
// and merged once: a transaction of its own costs a file tens of
// milliseconds, most of the time a folder of small exports took. When such a
// group fails, its files are loaded again one by one, so a bad file holds
// back no other and each is still loaded whole or not at all.
func LoadFiles(ctx context.Context, db *sql.DB, paths []string, opt Options, done func(Result)) {
	for _, group := range groupSmallFiles(paths) {
		if ctx.Err() != nil {
			return
		}
		results, err := loadTogether(ctx, db, group, opt)
		if err != nil && len(group) > 1 && ctx.Err() == nil {
			for i, path := range group {
				results[i] = LoadFile(ctx, db, path, opt)
			}
		}
		for _, r := range results {
			done(r)
		}
	}
}

// groupSmallFiles cuts the list into loads: runs of small files, and every
// large file or folder on its own.
func groupSmallFiles(paths []string) [][]string {
	var groups [][]string
	var run []string
	var runBytes int64
	flush := func() {
		if len(run) > 0 {
			groups = append(groups, run)
			run, runBytes = nil, 0
		}
	}
	for _, path := range paths {
		st, err := os.Stat(path)
		if err != nil || st.IsDir() || st.Size() >= smallFile {
			flush()
			groups = append(groups, []string{path})
			continue
		}
		if len(run) == groupFiles || runBytes+st.Size() > groupBytes {
			flush()
		}
		run = append(run, path)
		runBytes += st.Size()
	}
	flush()
	return groups
}
