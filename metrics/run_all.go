package metrics

import (
	"context"
	"database/sql"

	"golang.org/x/sync/errgroup"
)

// RunAll runs several metrics with the same parameters, two at a time:
// many of a metric's steps run on one core, so a pair keeps both busy. The
// results come back in the order of defs; the first error stops the rest.
func RunAll(ctx context.Context, db *sql.DB, defs []*Definition, p Params) ([]*Result, error) {
	results := make([]*Result, len(defs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for i, d := range defs {
		g.Go(func() (err error) {
			results[i], err = Run(gctx, db, d, p)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
