package risk_test

import (
	"context"
	"os"
	"testing"

	"github.com/ckpi/ckpi/metrics/risk"
	"github.com/ckpi/ckpi/queries"
)

func TestZZProf(t *testing.T) {
	ctx := context.Background()
	path := os.Getenv("P")
	if path == "" {
		t.Skip()
	}
	db, err := queries.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < 2; i++ {
		res, err := risk.Scan(ctx, db, risk.Default(), risk.ScanOptions{TZ: shanghai})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rules {
			t.Logf("%-16s %6d %v", r.Rule, r.Found, r.Took)
		}
		t.Logf("%v %v", res.Took, res.Steps)
	}
}
