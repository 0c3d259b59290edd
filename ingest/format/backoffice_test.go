package format

import (
	"strings"
	"testing"
	"time"
)

func TestParseFlexTime(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, c := range []struct {
		in   string
		want string // RFC 3339 in UTC, or "" for an error
	}{
		{"2026-10-08 20:15:00+08:00", "2026-10-08T12:15:00Z"}, // issue 12: RFC 3339 with a space
		{"2026-10-08T20:15:00Z", "2026-10-08T20:15:00Z"},
		{"2026-10-08T20:15:00.250Z", "2026-10-08T20:15:00.25Z"},
		{"2026-05-01 10:00:00 +0200", "2026-05-01T08:00:00Z"}, // Shopify
		{"2026-05-01 10:00:00 -05:00", "2026-05-01T15:00:00Z"},
		{"2026-10-08 20:15:00 UTC", "2026-10-08T20:15:00Z"},
		{"2026-10-08 20:15:00", "2026-10-08T12:15:00Z"}, // local: Asia/Shanghai
		{"2026-10-08 20:15", "2026-10-08T12:15:00Z"},
		{"2026/10/08 20:15", "2026-10-08T12:15:00Z"},
		{"2026/10/8 20:15:09", "2026-10-08T12:15:09Z"},
		{"2026.10.08 20:15", "2026-10-08T12:15:00Z"},
		{"2026-10-08T20:15:00", "2026-10-08T12:15:00Z"},
		{"2026年10月8日 20:15", "2026-10-08T12:15:00Z"},
		{"2026年10月8日20:15:30", "2026-10-08T12:15:30Z"},
		{"2026年10月8日", "2026-10-07T16:00:00Z"},
		{"2026-10-08", "2026-10-07T16:00:00Z"},
		{" 2026-10-08 8:05 ", "2026-10-08T00:05:00Z"},
		{"1791461700", "2026-10-08T12:15:00Z"},    // Unix seconds
		{"1791461700000", "2026-10-08T12:15:00Z"}, // Unix milliseconds
		{"08/10/2026 20:15", ""},                  // day or month first: unknowable
		{"2026-13-01 10:00", ""},
		{"2026-02-30", ""},
		{"2026-10-08 25:00", ""},
		{"2026-10-08 20:15 PM", ""},
		{"2026-10-08 20:15:00+8", ""},
		{"2026-10-08x", ""},
		{"20261008", ""},
		{"0000-10-01 00:00Z", ""}, // a placeholder, found by FuzzBackOfficeValues
		{"", ""},
	} {
		got, err := parseFlexTime(c.in, sh)
		if c.want == "" {
			if err == nil {
				t.Errorf("%q: got %v, want an error", c.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if s := got.UTC().Format(time.RFC3339Nano); s != c.want {
			t.Errorf("%q = %s, want %s", c.in, s, c.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		raw, currency, def string
		want, wantCur      string // want "" expects a reject
		reason             string // part of the reason
	}{
		{"199.00", "", "CNY", "199.00", "CNY", ""},
		{"¥1,299.00", "", "CNY", "1299.00", "CNY", ""}, // issue 12
		{"￥1,299", "", "CNY", "1299", "CNY", ""},
		{"1,299,000.5", "CNY", "CNY", "1299000.5", "CNY", ""},
		{"1299元", "", "CNY", "1299", "CNY", ""},
		{"RMB 88", "", "CNY", "88", "CNY", ""},
		{"1 299,00 €", "", "CNY", "1299.00", "EUR", ""},
		{"1.299,00 €", "", "CNY", "1299.00", "EUR", ""},
		{"12,50", "EUR", "CNY", "12.50", "EUR", ""},
		{"€1.299", "", "CNY", "", "", "ambiguous"}, // a thousand in Germany, 1.299 in Ireland
		{"US$12.5", "", "CNY", "12.5", "USD", ""},
		{"$12.50", "USD", "CNY", "12.50", "USD", ""},
		{"1'299.00", "CHF", "CNY", "1299.00", "CHF", ""},
		{"-30.00", "", "CNY", "-30.00", "CNY", ""},
		{"¥-30", "", "CNY", "-30", "CNY", ""},
		{"$12.50", "", "CNY", "", "", "the sign may mean USD"}, // a dollar of which country?
		{"¥100", "USD", "CNY", "", "", "not in the row's currency USD"},
		{"1,299", "EUR", "CNY", "", "", "ambiguous"},
		{"1.299", "", "CNY", "", "", "ambiguous"},
		{"1,2990", "", "CNY", "", "", "not a number"},
		{"12.345", "CNY", "CNY", "", "", "ambiguous"},
		{"1 299.001", "", "CNY", "", "", "not a number"},
		{"ninety", "", "CNY", "", "", "not a number"},
		{"1.2.3", "", "CNY", "", "", "not a number"},
		{"", "", "CNY", "", "", "empty"},
	} {
		got, cur, reason := parseAmount(c.raw, c.currency, c.def)
		if c.want == "" {
			if reason == "" || !strings.Contains(reason, c.reason) {
				t.Errorf("%q (%s): got %q %q reason %q, want a reason with %q", c.raw, c.currency, got, cur, reason, c.reason)
			}
			continue
		}
		if reason != "" || got != c.want || cur != c.wantCur {
			t.Errorf("%q (%s) = %q %q (%s), want %q %q", c.raw, c.currency, got, cur, reason, c.want, c.wantCur)
		}
	}
}

func TestHeaderAliases(t *testing.T) {
	for _, c := range []struct {
		spec   *tableSpec
		header string
		want   map[string]string // field -> header cell it was found in (first)
	}{
		{ordersSpec, "\ufeff订单号,下单时间,实付金额,买家手机号,商品名称,订单状态,币种",
			map[string]string{"order_id": "\ufeff订单号", "ordered_at": "下单时间", "amount": "实付金额", "customer_key": "买家手机号", "product": "商品名称", "status": "订单状态", "currency": "币种"}},
		{ordersSpec, " ORDER ID , Customer_Key,Ordered At,AMOUNT",
			map[string]string{"order_id": " ORDER ID ", "customer_key": " Customer_Key", "ordered_at": "Ordered At", "amount": "AMOUNT"}},
		// Taobao: the paid amount before the total, the creation before the payment
		{ordersSpec, "订单编号,买家会员名,买家应付货款,总金额,买家实际支付金额,订单状态,联系手机,订单创建时间,订单付款时间,宝贝标题",
			map[string]string{"order_id": "订单编号", "customer_key": "联系手机", "amount": "买家实际支付金额", "ordered_at": "订单创建时间", "status": "订单状态", "product": "宝贝标题"}},
		// Shopify: Name is the order beside Financial Status
		{ordersSpec, "Name,Email,Financial Status,Paid at,Currency,Total,Created at,Lineitem name",
			map[string]string{"order_id": "Name", "customer_key": "Email", "status": "Financial Status", "ordered_at": "Created at", "amount": "Total", "currency": "Currency", "product": "Lineitem name"}},
		// the names issue 12 lists
		{ordersSpec, "订单号,下单时间,金额,手机号,商品,状态,币种",
			map[string]string{"order_id": "订单号", "ordered_at": "下单时间", "amount": "金额", "customer_key": "手机号", "product": "商品", "status": "状态", "currency": "币种"}},
		{ordersSpec, "订单编号,创建时间,订单金额,收货人手机,商品名称,订单状态", map[string]string{"order_id": "订单编号", "ordered_at": "创建时间", "amount": "订单金额", "customer_key": "收货人手机", "product": "商品名称", "status": "订单状态"}},
		{ordersSpec, "订单号,付款时间,应付金额,买家手机号", map[string]string{"ordered_at": "付款时间", "amount": "应付金额", "customer_key": "买家手机号"}},
		{membersSpec, "会员ID,入群时间,群名,昵称,来源,邀请人", map[string]string{"member_id": "会员ID", "joined_at": "入群时间", "group": "群名", "name": "昵称", "channel": "来源", "inviter_id": "邀请人"}},
		{membersSpec, "群名称,会员ID,群昵称,入群时间：,渠道,邀请人,手机号",
			map[string]string{"group": "群名称", "member_id": "会员ID", "name": "群昵称", "joined_at": "入群时间：", "channel": "渠道", "inviter_id": "邀请人", "customer_key": "手机号"}},
	} {
		header := strings.Split(c.header, ",")
		cols := c.spec.matchHeader(header)
		for f, want := range c.want {
			if len(cols[f]) == 0 || header[cols[f][0]] != want {
				t.Errorf("%s %q: %s at %v, want %q", c.spec.format, c.header, f, cols[f], want)
			}
		}
	}
}

func TestUnknownHeaderIsOneLine(t *testing.T) {
	_, err := parseString(t, OrdersCSV{}, "单号,金额,时间\nA1,1.00,2026-10-08\n")
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	for _, want := range []string{
		"orders-csv test.txt:1: header has no column for order_id, customer_key, ordered_at",
		"expects order_id, customer_key, ordered_at, amount; optional currency, product, status",
		"order_id also as 订单号/订单编号/",
		"ordered_at also as 下单时间/创建时间/",
		"--mapping",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "amount also as") {
		t.Errorf("amount was found (金额), yet listed as missing:\n%s", msg)
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error spans lines:\n%s", msg)
	}
}

func TestOrderStatusAndChannel(t *testing.T) {
	for in, want := range map[string]string{
		"交易成功": "paid", "已完成": "paid", "已付款": "paid", "买家已付款，等待卖家发货": "paid",
		"已退款": "refunded", "退款成功": "refunded", "Refunded": "refunded",
		"已关闭": "cancelled", "已取消": "cancelled", "交易关闭": "cancelled", "voided": "cancelled",
		"partially_refunded": "partially_refunded", "Pending payment": "pending", "等待买家付款": "pending",
		"Completed": "paid", "": "paid", "待成团": "待成团", "On Backorder": "on backorder",
	} {
		if got := orderStatus(in, nil); got != want {
			t.Errorf("orderStatus(%q) = %q, want %q", in, got, want)
		}
	}
	if got := orderStatus("已发货", map[string]string{headerKey("已发货"): "pending"}); got != "pending" {
		t.Errorf("a mapped status_values entry lost to the table: %q", got)
	}
	for in, want := range map[string]string{
		"由群成员邀请入群（直接邀请入群）": "referral", "由群成员邀请入群（通过邀请链接入群）": "link",
		"通过扫描群二维码入群": "qr", "扫码": "qr", "公众号": "official_account", "QR": "qr", "": "import",
	} {
		if got, ok := joinChannel(in, nil); !ok || got != want {
			t.Errorf("joinChannel(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := joinChannel("朋友圈", nil); ok {
		t.Error("an unknown channel was accepted")
	}
}

// Amounts and times come from any spreadsheet: no input panics, and what
// is accepted is a decimal with at most two places and a valid time.
func FuzzBackOfficeValues(f *testing.F) {
	for _, s := range []string{"¥1,299.00", "1 299,00 €", "1.299", "$12", "-3.5", "2026-10-08 20:15:00+08:00", "2026年10月8日 20:15", "1791461700", "", "1,2,3", "US$", "2026-10-08 20:15 +0800"} {
		f.Add(s)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	f.Fuzz(func(t *testing.T, s string) {
		for _, cur := range []string{"", "EUR", "CNY"} {
			amount, code, reason := parseAmount(s, cur, "CNY")
			if reason == "" && (!amountPattern.MatchString(amount) || code == "") {
				t.Fatalf("%q (%s) accepted as %q %q", s, cur, amount, code)
			}
		}
		if tm, err := parseFlexTime(s, sh); err == nil && (tm.Year() < 1900 || tm.Year() > 9999) && !digitsOnly(strings.TrimSpace(s)) {
			t.Fatalf("%q read as %v", s, tm)
		}
		orderStatus(s, nil)
		joinChannel(s, nil)
	})
}
