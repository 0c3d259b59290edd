package risk_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ckpi/ckpi/queries"
)

func TestZZExplain(t *testing.T) {
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
	db.Exec(queries.Risk("scan_begin"))
	src := queries.Risk(os.Getenv("Q"))
	src = strings.Replace(src, "INSERT INTO risk_hits", "", 1)
	args := []any{sql.Named("rule", "x"), sql.Named("since", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)), sql.Named("count", int64(8)), sql.Named("within", int64(60)), sql.Named("exempt_staff", true), sql.Named("min_length", int64(4))}
	if strings.Contains(src, "$pattern") {
		args = append(args, sql.Named("pattern", "x"))
	}
	var k, v string
	rows, err := db.Query("EXPLAIN ANALYZE "+src, args...)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		rows.Scan(&k, &v)
		t.Log(v)
	}
}
