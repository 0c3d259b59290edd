package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// The plan is everything except the chat messages: people, groups,
// memberships with their join/leave times, scheduled posts (activities,
// spam), per-day message volumes, and orders. It is small (proportional to
// the number of members) and made sequentially from one random stream.

const never = math.MaxInt64

type groupKind uint8

const (
	kindSmall  groupKind = iota // the 15–20 member sweet spot
	kindMedium                  // 30–80
	kindLarge                   // 150+
	kindDying                   // nearly empty, fading out
)

type span struct {
	g        int32
	from, to int64
}

type person struct {
	uid     string // QQ number or e-mail
	email   bool
	nick    string // display name, also the group card
	name    string // the Name part, used in self-introductions
	city    string
	job     string
	key     string // customer key; empty for people who never gave a phone
	english bool
	staff   bool
	spam    bool
	spans   []span

	joined       bool
	firstJoin    int64
	firstChannel string
}

// Roles of a member inside one group.
const (
	roleMember uint8 = iota
	roleAdmin
	roleOwner
)

type member struct {
	p       int32 // person
	join    int64
	leave   int64 // never if the member stays
	removed bool
	channel string
	inviter int32 // person, -1 if none
	w       float64
	fadeAt  int64 // the member stops talking from here on
	role    uint8
}

// Timeline event kinds, in the order they sort within one second.
const (
	evJoin uint8 = iota
	evLeave
	evRemove
	evActivity
	evSpam
)

type tlEvent struct {
	t    int64
	kind uint8
	m    int32
}

type groupPlan struct {
	idx      int
	name     string
	file     string
	kind     groupKind
	english  bool
	checkin  bool // members post #打卡 in the mornings
	members  []member
	timeline []tlEvent
	staff    []int32 // member indexes, owner first
	lambda   []float64
	s1, s2   uint64  // the group's random stream
	slow     float64 // staff reply delays are multiplied by this
	leavers  []int32
}

type order struct {
	t       int64
	key     string
	product string
	cents   int64
	status  string
	id      string
}

type world struct {
	cfg      Config
	f        frame
	r        *rand.Rand
	persons  []*person
	uids     map[string]struct{}
	groups   []*groupPlan
	orders   []order
	rostered int64
	staffCN  []int32
	staffEN  []int32
	tg       *tgPeople // set when the Telegram export is written
	wc       *wcWorld  // set when the WeCom export is written
}

func plan(cfg Config) *world {
	w := &world{
		cfg:  cfg,
		f:    newFrame(cfg.End, cfg.Weeks),
		r:    rand.New(rand.NewPCG(uint64(cfg.Seed), 0x9e3779b97f4a7c15)),
		uids: map[string]struct{}{"10000": {}},
	}
	w.planGroups()
	for _, g := range w.groups {
		w.planMembers(g)
		w.planTimeline(g)
		w.planVolume(g)
	}
	w.scaleVolume()
	w.planOrders()
	for _, p := range w.persons {
		if len(p.spans) > 0 {
			w.rostered++
		}
	}
	return w
}

// planGroups names the groups, gives them a kind and a staff.
func (w *world) planGroups() {
	r := w.r
	n := w.cfg.Groups
	kinds := make([]groupKind, n)
	i := 0
	put := func(k groupKind, c int) {
		for ; c > 0 && i < n; c-- {
			kinds[i] = k
			i++
		}
	}
	if n >= 3 {
		put(kindDying, max(1, n/50))
	}
	if n >= 2 {
		put(kindLarge, max(1, int(math.Round(float64(n)*0.2))))
	}
	put(kindSmall, int(math.Round(float64(n)*0.35)))
	put(kindMedium, n)
	r.Shuffle(n, func(a, b int) { kinds[a], kinds[b] = kinds[b], kinds[a] })

	// Name families: numbered exchange groups, city stations, English
	// groups, a few others. The first group is always 星河产品交流群01.
	const (
		famNumbered = iota
		famStation
		famEnglish
		famOther
	)
	fams := make([]int, n)
	i = 0
	putF := func(f, c int) {
		for ; c > 0 && i < n; c-- {
			fams[i] = f
			i++
		}
	}
	if n >= 4 {
		putF(famEnglish, max(1, n/10))
	}
	putF(famStation, n/4)
	putF(famOther, min(len(otherGroups), n/20+b2i(n >= 8)))
	putF(famNumbered, n)
	r.Shuffle(n, func(a, b int) { fams[a], fams[b] = fams[b], fams[a] })
	if j := slices.Index(fams, famNumbered); j > 0 {
		fams[0], fams[j] = fams[j], fams[0]
	}
	var numbered, station, english, other int
	for gi := range n {
		g := &groupPlan{idx: gi, kind: kinds[gi]}
		switch fams[gi] {
		case famStation:
			c := stationCities[station%len(stationCities)]
			if k := station / len(stationCities); k > 0 {
				g.name = "星河用户" + c + strconv.Itoa(k+1) + "站"
			} else {
				g.name = "星河用户" + c + "站"
			}
			station++
		case famEnglish:
			c := englishRegions[english%len(englishRegions)]
			g.name = "Nova Users " + c
			if k := english / len(englishRegions); k > 0 {
				g.name += " " + strconv.Itoa(k+1)
			}
			g.english = true
			english++
		case famOther:
			g.name = otherGroups[other]
			other++
		default:
			numbered++
			g.name = "星河产品交流群" + pad2(numbered)
		}
		g.file = fileName(gi, n, g.name)
		g.checkin = r.Float64() < 0.4
		g.slow = math.Exp(0.4 * r.NormFloat64())
		if r.Float64() < 0.15 {
			g.slow *= 8 // staff who are rarely there
		}
		g.s1, g.s2 = r.Uint64(), r.Uint64()
		w.groups = append(w.groups, g)
	}

	// Staff pools: the same customer-service people work in many groups.
	nCN := max(3, n/3)
	nEN := max(1, english/2+1)
	for k := range nCN {
		w.staffCN = append(w.staffCN, w.newStaff(staffNames, k))
	}
	if english > 0 {
		for k := range nEN {
			w.staffEN = append(w.staffEN, w.newStaff(englishStaffNames, k))
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func (w *world) newStaff(names [][3]string, k int) int32 {
	s := names[k%len(names)]
	name := s[0]
	if c := k / len(names); c > 0 {
		name += strconv.Itoa(c + 1)
	}
	uid := strconv.Itoa(10001001 + len(w.staffCN) + len(w.staffEN))
	w.uids[uid] = struct{}{}
	p := &person{uid: uid, nick: name + "|" + s[1] + "|" + s[2], name: name, city: s[2], staff: true, english: names[0] == englishStaffNames[0]}
	w.persons = append(w.persons, p)
	return int32(len(w.persons) - 1)
}

// newPerson makes a member with a nickname that follows the
// Name|Company|City rule three times out of four.
func (w *world) newPerson(english bool) int32 {
	r := w.r
	p := &person{english: english}
	var company string
	if english {
		p.name = englishFirst[r.IntN(len(englishFirst))]
		p.city = englishCities[r.IntN(len(englishCities))]
		p.job = englishJobs[r.IntN(len(englishJobs))]
		company = englishCompanies[r.IntN(len(englishCompanies))]
	} else {
		p.name = surnames[r.IntN(len(surnames))] + givenChars[r.IntN(len(givenChars))]
		if r.IntN(3) == 0 {
			p.name += givenChars[r.IntN(len(givenChars))]
		}
		p.city = cities[r.IntN(len(cities))]
		p.job = jobs[r.IntN(len(jobs))]
		company = companies[r.IntN(len(companies))]
	}
	if r.Float64() < 0.75 {
		p.nick = p.name + "|" + company + "|" + p.city
	} else {
		switch r.IntN(7) {
		case 0:
			p.nick = p.name
		case 1:
			if english {
				p.nick = p.name + " " + englishLast[r.IntN(len(englishLast))]
			} else {
				p.nick = "小" + givenChars[r.IntN(len(givenChars))]
			}
		case 2:
			p.nick = p.name + "|" + company
		case 3:
			p.nick = p.name + "-" + p.city
		case 4:
			p.nick = p.name + nickEmoji[r.IntN(len(nickEmoji))]
		case 5:
			// Names a CSV writer has to quote.
			if english {
				p.nick = englishLast[r.IntN(len(englishLast))] + ", " + p.name
			} else {
				p.nick = p.name + ",在" + p.city
			}
		default:
			if english {
				p.nick = p.name + ` "` + strings.ToUpper(p.name[:1]) + `J"`
			} else {
				p.nick = englishFirst[r.IntN(len(englishFirst))]
			}
		}
	}
	for {
		if r.Float64() < 0.01 {
			p.email = true
			p.uid = strings.ToLower(englishFirst[r.IntN(len(englishFirst))]) + "." +
				pinyinSurnames[r.IntN(len(pinyinSurnames))] + strconv.Itoa(r.IntN(1000)) +
				[]string{"@example.com", "@example.org", "@example.net"}[r.IntN(3)]
		} else {
			p.email = false
			var lo, hi int64
			switch u := r.Float64(); {
			case u < 0.05:
				lo, hi = 100000, 999999
			case u < 0.15:
				lo, hi = 1000000, 9999999
			case u < 0.40:
				lo, hi = 10000000, 99999999
			case u < 0.75:
				lo, hi = 100000000, 999999999
			default:
				lo, hi = 1000000000, 3999999999
			}
			p.uid = strconv.FormatInt(lo+r.Int64N(hi-lo+1), 10)
		}
		if _, dup := w.uids[p.uid]; !dup {
			break
		}
	}
	w.uids[p.uid] = struct{}{}
	if r.Float64() < 0.70 {
		p.key = customerKey(p.uid)
	}
	w.persons = append(w.persons, p)
	return int32(len(w.persons) - 1)
}

// customerKey is the first 16 hex digits of sha256("cust"+uid).
func customerKey(uid string) string {
	s := sha256.Sum256([]byte("cust" + uid))
	return hex.EncodeToString(s[:8])
}

type kindParams struct {
	found     [2]int     // founding members (not staff)
	staff     [2]int     // staff count range
	joinWeek  [2]float64 // joins per week, as a share of founding members
	h1, h2    float64    // leave probability in the first week; per week after
	silent    float64    // share of members who never talk
	activity  float64    // messages per member-day factor
	perWeek   int        // activity announcements per week
	removeFor float64    // share of leaves that are removals
}

var kindTable = map[groupKind]kindParams{
	kindSmall:  {found: [2]int{13, 17}, staff: [2]int{1, 2}, joinWeek: [2]float64{0.04, 0.07}, h1: 0.06, h2: 0.01, silent: 0.3, activity: 1.3, perWeek: 1, removeFor: 0.04},
	kindMedium: {found: [2]int{30, 80}, staff: [2]int{2, 2}, joinWeek: [2]float64{0.03, 0.06}, h1: 0.10, h2: 0.018, silent: 0.45, activity: 1, perWeek: 1, removeFor: 0.06},
	kindLarge:  {found: [2]int{140, 200}, staff: [2]int{2, 3}, joinWeek: [2]float64{0.04, 0.07}, h1: 0.14, h2: 0.022, silent: 0.55, activity: 0.8, perWeek: 2, removeFor: 0.08},
	kindDying:  {found: [2]int{6, 9}, staff: [2]int{1, 1}, joinWeek: [2]float64{0.05, 0.05}, h1: 0.2, h2: 0.07, silent: 0.4, activity: 0.6, perWeek: 1, removeFor: 0},
}

func (w *world) uniform(lo, hi int) int { return lo + w.r.IntN(hi-lo+1) }

// chatWeight draws a Pareto weight (power-law speakers), zero for the
// silent share.
func chatWeight(r *rand.Rand, silent float64) float64 {
	if r.Float64() < silent {
		return 0
	}
	return min(400, math.Pow(1-r.Float64(), -1/1.05))
}

func (p *person) busy(g int32, t int64) bool {
	for _, s := range p.spans {
		if s.g == g && s.to > t {
			return true
		}
	}
	return false
}

func (w *world) planMembers(g *groupPlan) {
	r, f := w.r, &w.f
	kp := kindTable[g.kind]
	gi := int32(g.idx)
	add := func(m member) int32 {
		p := w.persons[m.p]
		p.spans = append(p.spans, span{g: gi, from: m.join, to: m.leave})
		if !p.joined || m.join < p.firstJoin {
			p.joined, p.firstJoin, p.firstChannel = true, m.join, m.channel
		}
		g.members = append(g.members, m)
		return int32(len(g.members) - 1)
	}
	// Staff: an owner and admins, in the group long before the history.
	pool := w.staffCN
	if g.english && len(w.staffEN) > 0 {
		pool = w.staffEN
	}
	ns := min(len(pool), w.uniform(kp.staff[0], kp.staff[1]))
	off := r.IntN(len(pool))
	for k := range ns {
		m := member{p: pool[(off+k)%len(pool)], join: f.start - int64(w.uniform(200, 700))*day + w.rhythmSecond(false), leave: never, channel: "import", inviter: -1, w: 1.5, fadeAt: never, role: roleAdmin}
		if k == 0 {
			m.role = roleOwner
		}
		g.staff = append(g.staff, add(m))
	}
	// Founding members.
	nf := w.uniform(kp.found[0], kp.found[1])
	for range nf {
		join := f.start - int64(w.uniform(1, 400))*day + w.rhythmSecond(false)
		p := w.reuse(gi, join, g.english)
		if p < 0 {
			p = w.newPerson(w.isEnglish(g))
		}
		m := member{p: p, join: join, channel: "import", inviter: -1, w: chatWeight(r, kp.silent)}
		m.leave = w.sampleLeave(f.start, kp.h2)
		m.removed = m.leave != never && r.Float64() < kp.removeFor
		m.fadeAt = w.fade(m.w, f.start)
		add(m)
	}
	slices.SortStableFunc(g.members, func(a, b member) int { return cmpInt(a.join, b.join) })
	g.staff = g.staff[:0]
	for i, m := range g.members {
		if m.role != roleMember {
			g.staff = append(g.staff, int32(i))
		}
	}
	slices.SortStableFunc(g.staff, func(a, b int32) int { return int(g.members[b].role) - int(g.members[a].role) })

	// Joins during the history, day by day.
	base := float64(nf) * (kp.joinWeek[0] + r.Float64()*(kp.joinWeek[1]-kp.joinWeek[0]))
	var times []int64
	for d := range f.days {
		progress := float64(d) / float64(f.days)
		lam := base / 7 * joinWeekday[weekday(d)] * (0.8 + 0.5*progress)
		if g.kind == kindDying && d >= 14 {
			lam = 0
		}
		n := poisson(r, lam)
		times = times[:0]
		ds := f.dayStart(d)
		for range n {
			if t := ds + w.rhythmSecond(weekday(d) >= 5); t < f.end {
				times = append(times, t)
			}
		}
		slices.Sort(times)
		for _, t := range times {
			w.join(g, t, kp, add)
		}
	}
}

var joinWeekday = [7]float64{1.1, 1.1, 1.05, 1, 1, 0.9, 0.85}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (w *world) isEnglish(g *groupPlan) bool {
	if g.english {
		return w.r.Float64() < 0.85
	}
	return w.r.Float64() < 0.03
}

// reuse picks an existing person for a join at t, or -1: people are in
// several groups, and some who left come back.
func (w *world) reuse(gi int32, t int64, english bool) int32 {
	r := w.r
	if r.Float64() >= 0.10 || len(w.persons) < 50 {
		return -1
	}
	for range 4 {
		i := int32(r.IntN(len(w.persons)))
		p := w.persons[i]
		if p.staff || p.spam || p.english != english || p.busy(gi, t) {
			continue
		}
		return i
	}
	return -1
}

// fade makes a third of the talkers go quiet some weeks after from.
func (w *world) fade(weight float64, from int64) int64 {
	if weight == 0 || w.r.Float64() >= 0.35 {
		return never
	}
	return from + int64(w.r.ExpFloat64()*25*day)
}

// sampleLeave draws the time a member leaves, given a weekly hazard from
// `from` on, or never.
func (w *world) sampleLeave(from int64, hazard float64) int64 {
	f := &w.f
	for t0 := from; t0 < f.end; t0 += 7 * day {
		if w.r.Float64() < hazard {
			t := t0 - mod(t0, day) + int64(w.r.IntN(7))*day
			t += w.rhythmSecond(false)
			if t <= from {
				t = from + 3600 + w.r.Int64N(3*3600)
			}
			if t < f.end {
				return t
			}
			return never
		}
	}
	return never
}

var channelWeights = []struct {
	name string
	w    float64
}{
	{"referral", 0.25}, {"qr", 0.12}, {"link", 0.03}, {"website", 0.16},
	{"official_account", 0.24}, {"weibo", 0.08}, {"offline", 0.06}, {"sms", 0.06},
}

func (w *world) join(g *groupPlan, t int64, kp kindParams, add func(member) int32) {
	r, f := w.r, &w.f
	gi := int32(g.idx)
	var p int32 = -1
	channel := ""
	// Some who left come back through the invite link.
	if len(g.leavers) > 0 && r.Float64() < 0.04 {
		c := g.members[g.leavers[r.IntN(len(g.leavers))]].p
		if !w.persons[c].busy(gi, t) {
			p, channel = c, "link"
		}
	}
	if p < 0 {
		p = w.reuse(gi, t, g.english)
	}
	spam := false
	if p < 0 {
		p = w.newPerson(w.isEnglish(g))
		if g.kind != kindDying && r.Float64() < 0.02 {
			spam = true
			w.persons[p].spam = true
			channel = "link"
		}
	}
	if channel == "" {
		u := r.Float64()
		for _, c := range channelWeights {
			if u -= c.w; u < 0 {
				channel = c.name
				break
			}
		}
		if channel == "" {
			channel = "link"
		}
	}
	m := member{p: p, join: t, leave: never, channel: channel, inviter: -1, fadeAt: never}
	if channel == "referral" || channel == "qr" {
		m.inviter = w.pickInviter(g, t, channel == "qr")
		if m.inviter < 0 {
			m.channel = "link"
		}
	}
	if spam {
		ad := t + 600 + r.Int64N(6*3600)
		if ad < f.end {
			g.timeline = append(g.timeline, tlEvent{t: ad, kind: evSpam, m: int32(len(g.members))})
			if rm := ad + 120 + r.Int64N(3600); rm < f.end {
				m.leave, m.removed = rm, true
			}
		}
	} else {
		m.w = chatWeight(r, kp.silent)
		m.fadeAt = w.fade(m.w, t)
		if r.Float64() < kp.h1 {
			// Gone within the first week.
			lt := t - mod(t, day) + int64(r.IntN(7))*day + w.rhythmSecond(false)
			if lt <= t+3*3600 {
				lt = t + 3*3600 + r.Int64N(6*3600)
			}
			if lt < f.end {
				m.leave = lt
			}
		} else {
			m.leave = w.sampleLeave(t+7*day, kp.h2)
		}
		m.removed = m.leave != never && r.Float64() < kp.removeFor
	}
	i := add(m)
	if m.leave != never && !m.removed && !spam {
		g.leavers = append(g.leavers, i)
	}
}

// pickInviter chooses a member present at t, weighted towards talkers; staff
// share QR codes more than anyone.
func (w *world) pickInviter(g *groupPlan, t int64, qr bool) int32 {
	var total float64
	weight := func(m *member) float64 {
		if m.join >= t || m.leave <= t || w.persons[m.p].spam {
			return 0
		}
		if m.role != roleMember {
			if qr {
				return 4
			}
			return 0
		}
		return 0.3 + min(m.w, 20)
	}
	for i := range g.members {
		total += weight(&g.members[i])
	}
	if total == 0 {
		return -1
	}
	u := w.r.Float64() * total
	for i := range g.members {
		if u -= weight(&g.members[i]); u < 0 {
			return g.members[i].p
		}
	}
	return -1
}

// planTimeline lists joins, leaves and scheduled posts in time order.
func (w *world) planTimeline(g *groupPlan) {
	r, f := w.r, &w.f
	kp := kindTable[g.kind]
	for i, m := range g.members {
		if m.join >= f.start {
			g.timeline = append(g.timeline, tlEvent{t: m.join, kind: evJoin, m: int32(i)})
		}
		if m.leave != never {
			k := evLeave
			if m.removed {
				k = evRemove
			}
			g.timeline = append(g.timeline, tlEvent{t: m.leave, kind: k, m: int32(i)})
		}
	}
	// Activity announcements on a weekly rhythm; some groups skip 2–3 weeks.
	weeks := (f.days + 6) / 7
	actDay := r.IntN(5)
	actHour := []int64{10, 14, 20}[r.IntN(3)]
	breakFrom, breakTo := -1, -1
	if weeks >= 5 && r.Float64() < 0.35 {
		breakFrom = 1 + r.IntN(weeks-3)
		breakTo = breakFrom + 2 + r.IntN(2)
	}
	for wk := range weeks {
		if wk >= breakFrom && wk < breakTo {
			continue
		}
		if g.kind == kindDying && wk >= 3 {
			break
		}
		for k := range kp.perWeek {
			d := wk*7 + actDay + 2*k
			t := f.dayStart(d) + actHour*3600 + r.Int64N(1800)
			if t >= f.end {
				continue
			}
			s := g.staff[0]
			if r.Float64() < 0.3 {
				s = g.staff[r.IntN(len(g.staff))]
			}
			g.timeline = append(g.timeline, tlEvent{t: t, kind: evActivity, m: s})
		}
	}
	slices.SortFunc(g.timeline, func(a, b tlEvent) int {
		if c := cmpInt(a.t, b.t); c != 0 {
			return c
		}
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		return int(a.m - b.m)
	})
}

var msgWeekday = [7]float64{1, 1.05, 1.05, 1, 0.95, 0.6, 0.55}

// planVolume gives each day of the group an expected number of ordinary
// messages (before scaling to the requested total).
func (w *world) planVolume(g *groupPlan) {
	r, f := w.r, &w.f
	kp := kindTable[g.kind]
	diff := make([]float64, f.days+1)
	for _, m := range g.members {
		if m.role != roleMember || m.w == 0 {
			continue
		}
		from := 0
		if m.join > f.start {
			from = int((m.join - f.start) / day)
		}
		to := f.days
		if m.leave != never {
			to = int((m.leave - f.start) / day)
		}
		if to > from {
			diff[from]++
			diff[to]--
		}
	}
	act := kp.activity * math.Exp(0.5*r.NormFloat64())
	g.lambda = make([]float64, f.days)
	n := 0.0
	for d := range f.days {
		n += diff[d]
		progress := float64(d) / float64(f.days)
		v := math.Pow(n+2, 0.85) * act * msgWeekday[weekday(d)] * (0.85 + 0.3*progress) * math.Exp(0.25*r.NormFloat64())
		if g.kind == kindDying {
			v *= math.Exp(-3.5 * progress)
		}
		if f.dayStart(d)+day > f.end { // a partial last day
			v *= float64(f.end-f.dayStart(d)) / day
		}
		g.lambda[d] = v
	}
}

// scaleVolume scales the daily volumes so that all messages, system lines
// and replies included, come to about cfg.Messages.
func (w *world) scaleVolume() {
	var raw float64
	var fixed float64
	for _, g := range w.groups {
		for _, v := range g.lambda {
			raw += v
		}
		for _, e := range g.timeline {
			fixed++
			if e.kind == evJoin {
				fixed += 0.95 // self-introduction and welcome, on average
			}
		}
	}
	// Staff replies to questions and recalls add about 7% to the
	// ordinary messages.
	budget := (float64(w.cfg.Messages) - fixed) / 1.07
	scale := 0.0
	if raw > 0 && budget > 0 {
		scale = budget / raw
	}
	for _, g := range w.groups {
		for d := range g.lambda {
			g.lambda[d] *= scale
		}
	}
}

// Hours of the day: peaks at 10:00, 14:00 and 21:00, next to nothing
// between 02:00 and 06:00.
var hourWeights = [2][24]float64{
	{0.8, 0.4, 0.1, 0.05, 0.04, 0.07, 0.3, 1.0, 2.2, 3.6, 4.6, 4.0, 2.6, 3.0, 4.4, 4.0, 3.6, 3.0, 2.2, 2.8, 3.8, 4.6, 3.4, 1.8},
	{1.0, 0.5, 0.12, 0.06, 0.04, 0.05, 0.15, 0.4, 0.9, 1.8, 2.8, 3.0, 2.6, 2.4, 2.9, 2.8, 2.6, 2.3, 2.1, 2.6, 3.4, 4.0, 3.3, 2.0},
}

const hourTableSize = 4096

var hourTable = func() (t [2][hourTableSize]uint8) {
	for k := range 2 {
		var total float64
		for _, v := range hourWeights[k] {
			total += v
		}
		h, acc := 0, hourWeights[k][0]/total
		for i := range hourTableSize {
			for float64(i)+0.5 > acc*hourTableSize && h < 23 {
				h++
				acc += hourWeights[k][h] / total
			}
			t[k][i] = uint8(h)
		}
	}
	return t
}()

// rhythmSecond draws a second of the day following the daily rhythm.
func rhythmSecond(r *rand.Rand, weekend bool) int64 {
	x := r.Uint64()
	h := int64(hourTable[b2i(weekend)][x&(hourTableSize-1)])
	return h*3600 + int64((x>>12)%3600)
}

func (w *world) rhythmSecond(weekend bool) int64 { return rhythmSecond(w.r, weekend) }

// poisson draws a Poisson count (normal approximation for large means).
func poisson(r *rand.Rand, lam float64) int {
	if lam <= 0 {
		return 0
	}
	if lam < 30 {
		l := math.Exp(-lam)
		k, p := 0, r.Float64()
		for p > l {
			k++
			p *= r.Float64()
		}
		return k
	}
	return max(0, int(math.Round(lam+math.Sqrt(lam)*r.NormFloat64())))
}
