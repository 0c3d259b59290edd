package metrics

import (
	"context"
	"database/sql"
	"sync"
)

// RunAll runs several metrics with the same parameters, two at a time:
// many of a metric's steps run on one core, so a pair keeps both busy. The
// results come back in the order of defs.
func RunAll(ctx context.Context, db *sql.DB, defs []*Definition, p Params) ([]*Result, error) {
	results := make([]*Result, len(defs))
	errs := make([]error, len(defs))
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, d := range defs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i], errs[i] = Run(ctx, db, d, p)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}
