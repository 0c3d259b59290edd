package format

import (
	"context"
	"regexp"
	"strings"
)

// OrdersCSV reads an orders export under ckpi's column names
//
//	order_id,customer_key,ordered_at,amount,currency,product,status
//
// or as shop back offices export it, whatever the case, spacing and
// punctuation of the header (see ordersSpec for every name). The layouts
// followed:
//   - Taobao/Tmall 订单报表 (ExportOrderList): 订单编号, 买家会员名, 联系手机,
//     买家应付货款, 总金额, 买家实际支付金额, 订单状态, 订单创建时间, 订单付款时间,
//     宝贝标题 — as wmj998/Data-analysis reads a real report
//     (pandas进阶/code/日期数据处理code/47/demo.py) and shop systems that
//     write the same header reproduce it; statuses 交易成功, 买家已付款，等待卖家发货,
//     卖家已发货，等待买家确认, 交易关闭, 等待买家付款; ids protected as ="123";
//   - Shopify's orders export (help.shopify.com/manual/fulfillment/
//     managing-orders/exporting-orders): Name (#1001), Email, Financial
//     Status, Paid at, Currency, Total, Created at ("2026-05-01 10:00:00
//     +0200"), Lineitem name; the extra line items of an order follow on rows
//     of the same Name with the order's fields empty;
//   - WooCommerce as "Advanced Order Export For WooCommerce" writes it:
//     "Order Number","Order Status","Order Date",...,"Email (Billing)",
//     "Phone (Billing)",...,"Order Total Amount" (one row per line item);
//   - Youzan/Weidian-style Chinese order lists: 订单号, 下单时间/创建时间/付款时间,
//     实付金额/订单金额/应付金额, 买家手机号/收货人手机, 商品名称, 订单状态, 币种. No
//     public sample of those two was found; their names are the common
//     Chinese back-office ones above.
//
// customer_key is what a roster links to a person (a phone, an e-mail, a
// member id): of several such columns each row takes the first not empty.
// Statuses map to paid, refunded, partially_refunded, cancelled or pending
// (see orderStatuses); others are kept as written. Amounts may carry a
// currency sign and thousands separators where they are unambiguous
// (¥1,299.00, 1 299,00 €); an amount that could be read two ways is
// rejected with its line. Rows of the order just read (further line items)
// add nothing.
type OrdersCSV struct {
	Map *TableMapping // from --mapping: names columns the aliases do not know
}

func (OrdersCSV) Name() string { return "orders-csv" }

var (
	ordersSpec = &tableSpec{
		format: "orders-csv",
		required: []tableField{
			{"order_id", []string{"订单号", "订单编号", "主订单编号", "订单ID", "order_no", "order_number", "Order Number", "Order ID"}},
			{"customer_key", []string{"customer_id", "会员ID", "客户ID", "客户编号", "买家ID", "买家手机号", "手机号", "联系手机", "收货人手机号", "收货人手机", "收货人电话", "手机", "联系电话", "phone", "mobile", "Phone (Billing)", "Billing Phone", "email", "Email (Billing)", "邮箱", "买家会员名", "买家昵称", "customer"}},
			{"ordered_at", []string{"下单时间", "创建时间", "订单创建时间", "Created at", "Order Date", "order_date", "付款时间", "订单付款时间", "买家付款时间", "支付时间", "成交时间", "Paid at", "paid_at"}},
			{"amount", []string{"实付金额", "订单实付金额", "买家实际支付金额", "实收金额", "支付金额", "付款金额", "订单金额", "应付金额", "订单应付金额", "金额", "总金额", "订单总额", "total", "Order Total Amount", "order_total", "total_price"}},
		},
		optional: []tableField{
			{"currency", []string{"币种", "货币", "币别"}},
			{"product", []string{"商品", "商品名称", "宝贝标题", "商品标题", "商品信息", "Lineitem name", "item_name"}},
			{"status", []string{"状态", "订单状态", "交易状态", "Financial Status", "financial_status", "Order Status"}},
		},
	}
	amountPattern = regexp.MustCompile(`^-?[0-9]{1,16}(\.[0-9]{1,2})?$`)
)

func init() {
	// Shopify names the order number "Name": only beside its Financial Status.
	ordersSpec.fallback = func(header []string, cols map[string][]int) {
		if len(cols["order_id"]) > 0 || !shopifyHeader(header) {
			return
		}
		for i, h := range header {
			if headerKey(h) == "name" {
				cols["order_id"] = []int{i}
				return
			}
		}
	}
}

func (OrdersCSV) Detect(_ string, head []byte) bool {
	return ordersSpec.detect(head, "order_id", "amount")
}

// shopifyHeader tells Shopify's orders export, whose order number column is
// "Name".
func shopifyHeader(header []string) bool {
	var name, financial bool
	for _, h := range header {
		switch headerKey(h) {
		case "name":
			name = true
		case "financialstatus":
			financial = true
		}
	}
	return name && financial
}

func (f OrdersCSV) Parse(ctx context.Context, in Input, sink Sink) error {
	t, err := openTable(in, ordersSpec, f.Map)
	if err != nil {
		return err
	}
	var last string // the order of the row before
	return t.each(ctx, sink, func(rec []string) (string, error) {
		id := t.id(rec, "order_id")
		if id != "" && id == last {
			return "", nil // another line item of the same order
		}
		last = id
		o, reason := f.row(t, rec, in)
		if reason != "" {
			return reason, nil
		}
		return "", sink.Order(&o)
	})
}

func (f OrdersCSV) row(t *boTable, rec []string, in Input) (Order, string) {
	o := Order{
		ID: t.id(rec, "order_id"), CustomerKey: t.id(rec, "customer_key"),
		Currency: strings.ToUpper(t.get(rec, "currency")), Product: t.get(rec, "product"),
		Status: orderStatus(t.get(rec, "status"), f.Map.values("status")), Line: t.line,
	}
	if o.ID == "" || o.CustomerKey == "" {
		return o, "empty order_id or customer_key"
	}
	ts, err := f.Map.time(t.get(rec, "ordered_at"), in.Location(Group{}))
	if err != nil {
		return o, "ordered_at: " + err.Error()
	}
	o.Time = ts
	amount, cur, reason := parseAmount(t.get(rec, "amount"), o.Currency, f.Map.currency())
	if reason != "" {
		return o, reason
	}
	o.Amount, o.Currency = amount, cur
	return o, ""
}
