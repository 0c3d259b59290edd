package format

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"
)

// orderRows writes n orders under ckpi's own header, as the loader's hot
// path for shop exports sees them.
func orderRows(n int) []byte {
	var b bytes.Buffer
	b.WriteString("order_id,customer_key,ordered_at,amount,currency,product,status\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "O%d,c%d,2026-10-%02d %02d:%02d:%02d,%d.%02d,CNY,星河会员年卡,paid\n", i, i%5000, 1+i%28, i%24, i%60, (i*7)%60, 10+i%900, i%100)
	}
	return b.Bytes()
}

type orderCounter struct {
	Discard
	n int
}

func (c *orderCounter) Order(*Order) error { c.n++; return nil }

func BenchmarkOrdersParse(b *testing.B) {
	const n = 200000
	data := orderRows(n)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &orderCounter{}
		if err := (OrdersCSV{}).Parse(context.Background(), Input{Path: "o.csv", R: bytes.NewReader(data), TZ: time.UTC}, c); err != nil || c.n != n {
			b.Fatalf("%v %d", err, c.n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
