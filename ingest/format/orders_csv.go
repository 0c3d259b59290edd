package format

import (
	"context"
	"regexp"
	"strings"
)

// OrdersCSV reads an orders export:
//
//	order_id,customer_key,ordered_at,amount,currency,product,status
//
// customer_key is what a members export or mapping links to a person.
type OrdersCSV struct{}

func (OrdersCSV) Name() string { return "orders-csv" }

var (
	ordersRequired = []string{"order_id", "customer_key", "ordered_at", "amount"}
	ordersOptional = []string{"currency", "product", "status"}
	amountPattern  = regexp.MustCompile(`^-?[0-9]{1,16}(\.[0-9]{1,2})?$`)
)

func (OrdersCSV) Detect(_ string, head []byte) bool {
	return headerHas(head, ordersRequired...)
}

func (f OrdersCSV) Parse(ctx context.Context, in Input, sink Sink) error {
	t, err := openCSV(in, f.Name(), ordersRequired, ordersOptional)
	if err != nil {
		return err
	}
	return t.each(ctx, sink, func(rec []string) (string, error) {
		o, reason := f.row(t, rec, in)
		if reason != "" {
			return reason, nil
		}
		return "", sink.Order(&o)
	})
}

func (OrdersCSV) row(t *csvTable, rec []string, in Input) (Order, string) {
	o := Order{
		ID: t.get(rec, "order_id"), CustomerKey: t.get(rec, "customer_key"),
		Currency: strings.ToUpper(t.get(rec, "currency")), Product: t.get(rec, "product"),
		Status: strings.ToLower(t.get(rec, "status")), Line: t.line,
	}
	if o.ID == "" || o.CustomerKey == "" {
		return o, "empty order_id or customer_key"
	}
	ts, err := parseTime(t.get(rec, "ordered_at"), in.TZ)
	if err != nil {
		return o, "ordered_at: " + err.Error()
	}
	o.Time = ts
	o.Amount = strings.ReplaceAll(t.get(rec, "amount"), ",", "")
	if !amountPattern.MatchString(o.Amount) {
		return o, "amount is not a number with at most 2 decimals: " + t.get(rec, "amount")
	}
	if o.Currency == "" {
		o.Currency = "CNY"
	}
	if o.Status == "" {
		o.Status = "paid"
	}
	return o, ""
}
