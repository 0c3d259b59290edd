package synth

import (
	"bufio"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
)

// First-order probability by the channel of a person's first join:
// referred members convert best, and the official account's followers,
// who come for its offers, buy soonest (the funnel follower -> member ->
// buyer of the demo).
var conversion = map[string]float64{
	"referral": 0.30, "qr": 0.22, "offline": 0.25, "website": 0.18, "official_account": 0.40,
	"weibo": 0.10, "sms": 0.12, "link": 0.12, "import": 0.15,
}

// planOrders gives people with a customer key a first order some days after
// they join and, for some, repeat orders weeks later.
func (w *world) planOrders() {
	r, f := w.r, &w.f
	for _, p := range w.persons {
		if p.key == "" || p.staff || p.spam || !p.joined || p.firstJoin >= f.end {
			continue
		}
		if r.Float64() >= conversion[p.firstChannel] {
			continue
		}
		var t int64
		if p.firstJoin < f.start {
			t = f.start + r.Int64N(f.end-f.start)
		} else {
			median := 5.0
			if p.firstChannel == "official_account" {
				median = 2
			}
			t = p.firstJoin + int64(math.Exp(math.Log(median)+r.NormFloat64())*day)
		}
		again := 0.38
		if p.firstChannel == "referral" {
			again = 0.45
		}
		for n := 0; ; n++ {
			t = t - mod(t, day) + w.rhythmSecond(false)
			if t <= p.firstJoin {
				t = p.firstJoin + 600 + r.Int64N(3*3600)
			}
			if t >= f.end {
				break
			}
			w.orders = append(w.orders, w.newOrder(t, p.key, n > 0))
			if r.Float64() >= again {
				break
			}
			again = []float64{0.45, 0.3, 0.2, 0.2}[min(n, 3)]
			t += int64(14+r.IntN(35)) * day
		}
	}
	slices.SortStableFunc(w.orders, func(a, b order) int {
		if c := cmpInt(a.t, b.t); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	// Ids: O + date + a sequence within the date.
	var date []byte
	seq := 0
	for i := range w.orders {
		o := &w.orders[i]
		d := f.appendTime(nil, o.t)[:10]
		if string(d) != string(date) {
			date, seq = d, 0
		}
		seq++
		id := make([]byte, 0, 16)
		id = append(id, 'O')
		for _, c := range d {
			if c != '-' {
				id = append(id, c)
			}
		}
		s := strconv.Itoa(seq)
		for range 5 - len(s) {
			id = append(id, '0')
		}
		o.id = string(append(id, s...))
	}
}

func (w *world) newOrder(t int64, key string, repeat bool) order {
	r := w.r
	var total float64
	for _, p := range products {
		total += pick(p.first, p.again, repeat)
	}
	u := r.Float64() * total
	k := 0
	for i, p := range products {
		if u -= pick(p.first, p.again, repeat); u < 0 {
			k = i
			break
		}
	}
	cents := products[k].cents
	switch u := r.Float64(); {
	case u < 0.15:
		cents = cents * 9 / 10
	case u < 0.25:
		cents = cents * 8 / 10
	case u < 0.32:
		cents -= 1000 // a 10-yuan coupon
	}
	status := "paid"
	if r.Float64() < 0.03 {
		status = "refunded"
	}
	return order{t: t, key: key, product: products[k].name, cents: cents, status: status}
}

func pick(a, b float64, second bool) float64 {
	if second {
		return b
	}
	return a
}

func (w *world) writeOrders(bw *bufio.Writer) error {
	cw := csv.NewWriter(bw)
	if err := cw.Write([]string{"order_id", "customer_key", "ordered_at", "amount", "currency", "product", "status"}); err != nil {
		return err
	}
	for _, o := range w.orders {
		amount := strconv.FormatInt(o.cents/100, 10) + "." + pad2(int(o.cents%100))
		if err := cw.Write([]string{o.id, o.key, w.f.timeString(o.t), amount, "CNY", o.product, o.status}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeMembers writes one row per join, group by group, in join order;
// founding members and staff have channel "import".
func (w *world) writeMembers(bw *bufio.Writer) error {
	cw := csv.NewWriter(bw)
	if err := cw.Write([]string{"platform", "group", "member_id", "name", "joined_at", "channel", "inviter_id", "customer_key"}); err != nil {
		return err
	}
	for _, g := range w.groups {
		for _, m := range g.members {
			p := w.persons[m.p]
			inviter := ""
			if m.inviter >= 0 {
				inviter = w.persons[m.inviter].uid
			}
			if err := cw.Write([]string{"qq", g.name, p.uid, p.nick, w.f.timeString(m.join), m.channel, inviter, p.key}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
