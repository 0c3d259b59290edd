package format

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// orderLine is an order as the tests compare it.
func orderLine(o Order) string {
	return fmt.Sprintf("%d %s %s %s %s %s %s %q", o.Line, o.ID, o.CustomerKey, o.Time.UTC().Format(time.RFC3339), o.Amount, o.Currency, o.Status, o.Product)
}

func TestOrderExports(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, c := range []struct {
		file    string
		orders  []string
		rejects []string // line: part of the reason
	}{
		{"taobao_orders.csv", []string{ // GB18030, CRLF, ids as ="…", a phone as '…
			`2 3312345678901234567 13800000001 2026-10-08T12:15:00Z 199.00 CNY paid "星河会员年卡"`,
			`3 3312345678901234568 13800000002 2026-10-09T01:00:00Z 109.50 CNY paid "星河入门套装"`,
			`4 3312345678901234569 13800000003 2026-10-10T03:00:00Z 0.00 CNY cancelled "星河入门套装"`,
			// 买家实际支付金额 empty: the total; a slash date
			`5 3312345678901234570 13800000004 2026-10-11T00:00:00Z 1299.00 CNY pending "星河会员三年卡"`,
		}, nil},
		{"shopify_orders.csv", []string{ // row 3 is #1001's second line item
			`2 #1001 anna@example.com 2026-10-08T18:15:00Z 100.90 EUR paid "Matcha 100 g"`,
			`4 #1002 ben@example.com 2026-10-09T07:00:00Z 45.00 EUR refunded "Whisk"`,
			`5 #1003 chen@example.com 2026-10-25T01:30:00Z 1299.00 EUR partially_refunded "Tea set"`,
			`6 #1004 dana@example.com 2026-10-26T09:00:00Z 20.00 EUR cancelled "Sample box"`,
		}, nil},
		{"woocommerce_orders.csv", []string{ // one row per line item, the order repeated; no currency column
			`2 7001 555-0101 2026-10-08T12:15:00Z 75 CNY paid ""`,
			`4 7002 bo@example.com 2026-10-09T00:30:00Z 60 CNY refunded ""`,
			`5 7003 555-0103 2026-10-10T04:00:00Z 6 CNY paid ""`,
		}, nil},
		{"cn_orders.csv", []string{
			`2 Y1 13900000001 2026-10-08T12:15:00Z 1299.00 CNY paid "星河会员年卡"`,
			`3 Y2 13900000002 2026-10-08T12:15:00Z 1299.00 EUR refunded "星河会员年卡"`,
			`4 Y3 13900000003 2026-10-08T12:15:00Z 88 CNY cancelled "星河入门套装"`,
			`5 Y4 13900000004 2026-10-08T20:15:00Z 12.5 CNY refunded "星河徽章"`,
			`6 Y5 13900000005 2026-10-08T16:00:00Z 0.50 CNY 待成团 "星河贴纸"`,
		}, []string{
			`7:amount is ambiguous: 1.299`,
			`8:amount "$12": the sign may mean USD, CAD`,
			`9:ordered_at: unreadable time "08/10/2026 20:15"`,
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			rec, f, err := parseDetected(t, filepath.Join(rosters, c.file), Input{TZ: sh})
			if err != nil {
				t.Fatal(err)
			}
			if f.Name() != "orders-csv" {
				t.Fatalf("detected %s", f.Name())
			}
			var got []string
			for _, o := range rec.orders {
				got = append(got, orderLine(o))
			}
			if strings.Join(got, "\n") != strings.Join(c.orders, "\n") {
				t.Errorf("orders:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.orders, "\n"))
			}
			if len(rec.rejects) != len(c.rejects) {
				t.Fatalf("rejects %+v, want %v", rec.rejects, c.rejects)
			}
			for i, r := range rec.rejects {
				line, reason, _ := strings.Cut(c.rejects[i], ":")
				if fmt.Sprint(r.Line) != line || !strings.Contains(r.Reason, reason) {
					t.Errorf("reject %d: %d %q, want line %s with %q", i, r.Line, r.Reason, line, reason)
				}
			}
		})
	}
}

func TestRosterExports(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, c := range []struct {
		file    string
		joins   []string
		members []string
		rejects []string
	}{
		{"wecom_roster.csv", []string{
			`2 qq/星河VIP客户群 zhangsan=星河|张三|客服 2026-09-01T02:00:00Z referral`,
			`3 qq/星河VIP客户群 wmA1b2C3d4=Lily|杭州 2026-09-02T03:30:00Z qr by zhangsan`,
			`4 qq/星河VIP客户群 wmE5f6G7h8=老王 2026-09-03T13:05:00Z link by zhangsan`,
			`5 qq/星河VIP客户群 wmI9j0K1l2=小周|宁波 2026-09-04T00:00:00Z referral by wmA1b2C3d4`,
		}, []string{"zhangsan:", "wmA1b2C3d4:13700000001", "wmE5f6G7h8:13700000002", "wmI9j0K1l2:13700000003"},
			[]string{`6:unknown channel "朋友圈广告"`}},
		{"members_english.csv", []string{ // BOM, CRLF, spaced English headers
			`2 wechat/Star Product Group wxid_a1=Ann 2026-10-08T12:15:00Z qr by wxid_b2`,
			`3 wechat/Star Product Group wxid_b2=Bob 2026-10-01T01:00:00Z import`,
			`4 wechat/Star Product Group wxid_c3=Cat 2026-10-09T10:00:00Z referral by wxid_b2`,
		}, []string{"wxid_a1:c-100", "wxid_b2:c-101", "wxid_c3:"}, nil},
	} {
		t.Run(c.file, func(t *testing.T) {
			rec, f, err := parseDetected(t, filepath.Join(rosters, c.file), Input{TZ: sh})
			if err != nil {
				t.Fatal(err)
			}
			if f.Name() != "members-csv" {
				t.Fatalf("detected %s", f.Name())
			}
			var joins, members []string
			for _, e := range rec.events {
				s := fmt.Sprintf("%d %s/%s %s=%s %s %s", e.Line, e.Group.Platform, e.Group.ExternalID, e.Member.UID, e.Member.Name, e.Time.UTC().Format(time.RFC3339), e.Source)
				if e.Inviter.UID != "" {
					s += " by " + e.Inviter.UID
				}
				joins = append(joins, s)
			}
			for _, m := range rec.members {
				members = append(members, m.Person.UID+":"+m.CustomerKey)
			}
			if strings.Join(joins, "\n") != strings.Join(c.joins, "\n") {
				t.Errorf("joins:\n%s\nwant:\n%s", strings.Join(joins, "\n"), strings.Join(c.joins, "\n"))
			}
			if strings.Join(members, " ") != strings.Join(c.members, " ") {
				t.Errorf("members %v, want %v", members, c.members)
			}
			if len(rec.rejects) != len(c.rejects) {
				t.Fatalf("rejects %+v, want %v", rec.rejects, c.rejects)
			}
			for i, r := range rec.rejects {
				line, reason, _ := strings.Cut(c.rejects[i], ":")
				if fmt.Sprint(r.Line) != line || !strings.Contains(r.Reason, reason) {
					t.Errorf("reject %d: %d %q, want line %s with %q", i, r.Line, r.Reason, line, reason)
				}
			}
		})
	}
}

func TestTableMapping(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	m, err := LoadTableMapping(write("orders.yaml", "order_id: 单据\ncustomer_key: 会员\nordered_at: 成交\namount: 成交额\ntime_format: \"02.01.2006 15:04\"\ndefault_currency: eur\nstatus_values: {已发货: pending}\n"), "orders-csv")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := parseString(t, OrdersCSV{Map: m}, "单据,会员,成交,成交额,状态\nA1,m1,08.10.2026 20:15,\"1.299,00\",已发货\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.orders) != 1 || orderLine(rec.orders[0]) != `2 A1 m1 2026-10-08T20:15:00Z 1299.00 EUR pending ""` {
		t.Fatalf("orders %+v rejects %+v", rec.orders, rec.rejects)
	}
	// a mapped column the file lacks: named with the mapping's line
	_, err = parseString(t, OrdersCSV{Map: m}, "单据,会员,成交时间,成交额\n")
	if err == nil || !strings.Contains(err.Error(), `no column "成交", which `+m.Path+`:3 maps to ordered_at; the file has: 单据, 会员, 成交时间, 成交额`) {
		t.Fatalf("err = %v", err)
	}
	mm, err := LoadTableMapping(write("members.yaml", "group: 社群\nmember_id: 用户\njoined_at: 时间\ndefault_platform: wecom\nchannel_values: {朋友圈广告: website}\n"), "members-csv")
	if err != nil {
		t.Fatal(err)
	}
	rec, err = parseString(t, MembersCSV{Map: mm}, "社群,用户,时间,来源\nG,u1,2026-10-08 20:15,朋友圈广告\n")
	if err != nil || len(rec.events) != 1 || rec.events[0].Source != "website" || rec.events[0].Group.Platform != "wecom" {
		t.Fatalf("%v %+v %+v", err, rec.events, rec.rejects)
	}
	for _, c := range []struct{ yaml, format, want string }{
		{"order_id: a\nsender: b\n", "orders-csv", `members.yaml:2: unknown key "sender" for orders-csv (known: order_id, customer_key, ordered_at, amount, currency, product, status, time_format, default_platform, default_currency, status_values)`},
		{"status_values: {x: shipped}\n", "orders-csv", `members.yaml:1: status_values: "shipped" is not one of paid, refunded`},
		{"time_format: yesterday\n", "orders-csv", `members.yaml:1: time_format "yesterday"`},
		{"order_id: a\n", "qq-txt", `--mapping serves mapped-csv, mapped-jsonl, mapped-parquet, members-csv, members-snapshot, qq-members, orders-csv; not "qq-txt"`},
	} {
		_, err := LoadTableMapping(write("members.yaml", c.yaml), c.format)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.yaml, err, c.want)
		}
	}
}

// Whatever a spreadsheet holds, the table parsers neither panic nor emit a
// row without its line.
func FuzzTableParsers(f *testing.F) {
	for _, name := range []string{"cn_orders.csv", "wecom_roster.csv", "members_snapshot.csv", "qq_member_page.tsv", "shopify_orders.csv"} {
		b, err := os.ReadFile(filepath.Join(rosters, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	asOf := time.Date(2026, 10, 26, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		for _, p := range []Format{OrdersCSV{}, MembersCSV{}, MembersSnapshot{}, QQMembers{}} {
			rec := &recorder{}
			err := p.Parse(context.Background(), Input{Path: "QQ群成员列表-G.csv", R: strings.NewReader(text), TZ: time.UTC, AsOf: asOf}, rec)
			if err != nil {
				continue
			}
			for _, o := range rec.orders {
				if o.Line < 2 || !amountPattern.MatchString(o.Amount) {
					t.Fatalf("%s: order %+v", p.Name(), o)
				}
			}
			for _, e := range rec.events {
				if e.Line < 2 || e.Member.UID == "" {
					t.Fatalf("%s: event %+v", p.Name(), e)
				}
			}
			for _, r := range rec.rejects {
				if r.Line < 2 {
					t.Fatalf("%s: reject %+v", p.Name(), r)
				}
			}
		}
	})
}
