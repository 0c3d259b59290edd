package synth

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

type groupStats struct {
	joins, leaves, removals, messages, recalls int64
	qqBytes, tgBytes, wcBytes                  int64
	wcLines                                    int64   // lines of the WeCom archive
	days                                       []wcDay // what WeCom counts per day; nil when not written
}

// Follow-ups a message causes, written later in time order.
const (
	dReply   uint8 = iota // staff answer a question
	dIntro                // a newcomer introduces themselves
	dWelcome              // staff welcome a newcomer
	dRecall               // a member recalls a message
)

type derived struct {
	t    int64
	seq  uint32
	kind uint8
	m    int32  // the speaker (recall: the member who recalls)
	aux  int32  // the member replied to or welcomed
	ref  uint32 // reply: the message id of the question
}

// Media a message carries instead of text: QQ writes a placeholder
// ([图片]...), Telegram the file's fields.
const (
	mediaNone uint8 = iota
	mediaPhoto
	mediaSticker
	mediaVoice
	mediaVideo
	mediaFile
)

// Notices: membership changes and recalls, QQ's 系统消息 lines and
// Telegram's service messages.
const (
	noteInvite uint8 = iota // by invited m
	noteQR                  // m scanned the QR code of by
	noteJoin                // m joined (link, channel)
	noteLeave
	noteRemove
	noteRecall
)

// mention is "@nick" at body[start:end], naming person p.
type mention struct{ start, end, p int32 }

// msg is the message being written, in no format yet: a sender, a time and
// a text whose lines are joined by "\n", with what Telegram needs besides.
type msg struct {
	t       int64
	m       int32 // the sender (member)
	id      uint32
	media   uint8
	replyTo uint32 // the message id answered, or 0
	body    []byte
	ments   []mention
}

// groupWriter writes one group's exports, day by day: the QQ export when
// qq is set, the Telegram chat when tg is.
type groupWriter struct {
	w  *world
	g  *groupPlan
	f  *frame
	r  *rand.Rand
	qq *bufio.Writer
	tg *tgWriter
	wc *wcWriter
	st *groupStats
	nl string

	days  []wcDay // st.days
	spoke []int32 // per member: 1 + the last day they sent a message

	buf     []byte // a QQ message being written
	cur     msg
	lastID  uint32   // the id of the latest message (ids count from 1)
	sender  [][]byte // per member: "【管理员】nick(uid)" as on a sender line
	ident   [][]byte // per member: "nick(uid)" or "nick<mail>" as in system lines
	present []int32  // members in the group now
	pos     []int32  // member -> index in present, -1 if absent
	cum     []float64
	dirty   bool
	pending []derived // sorted by (t, seq)
	seq     uint32
	times   []int64

	dayIdx   int
	dayStart int64
}

const (
	qqBanner    = "消息记录（此消息记录为文本格式，不支持重新导入）"
	qqSeparator = "================================================================"
	systemLine  = "系统消息(10000)"
)

// writeGroup writes group g to qq, tg and wc, any of which may be nil. The
// random stream does not depend on which are written, so all hold the same
// messages. With st.days set it counts what WeCom counts per day.
func (w *world) writeGroup(ctx context.Context, qq *bufio.Writer, tg *tgWriter, wc *wcWriter, g *groupPlan, st *groupStats) error {
	x := &groupWriter{w: w, g: g, f: &w.f, r: rand.New(rand.NewPCG(g.s1, g.s2)), qq: qq, tg: tg, wc: wc, st: st, nl: "\n", days: st.days}
	if x.days != nil {
		x.spoke = make([]int32, len(g.members))
	}
	if w.cfg.CRLF {
		x.nl = "\r\n"
	}
	if qq != nil {
		if w.cfg.BOM {
			qq.WriteString("\uFEFF")
		}
		for _, s := range []string{qqBanner, "", qqSeparator, "消息分组:我的QQ群", qqSeparator, "消息对象:" + g.name, qqSeparator, ""} {
			qq.WriteString(s)
			qq.WriteString(x.nl)
		}
	}
	if tg != nil {
		tg.begin()
	}
	x.sender = make([][]byte, len(g.members))
	x.ident = make([][]byte, len(g.members))
	x.pos = make([]int32, len(g.members))
	for i, m := range g.members {
		p := w.persons[m.p]
		var id []byte
		if p.email {
			id = fmt.Appendf(nil, "%s<%s>", p.nick, p.uid)
		} else {
			id = fmt.Appendf(nil, "%s(%s)", p.nick, p.uid)
		}
		x.ident[i] = id
		switch m.role {
		case roleOwner:
			x.sender[i] = append([]byte("【群主】"), id...)
		case roleAdmin:
			x.sender[i] = append([]byte("【管理员】"), id...)
		default:
			x.sender[i] = id
		}
		x.pos[i] = -1
		if m.join < x.f.start && m.leave > x.f.start {
			x.add(int32(i))
		}
	}
	ti := 0
	tl := g.timeline
	for d := range x.f.days {
		if err := ctx.Err(); err != nil {
			return err
		}
		x.dayIdx, x.dayStart = d, x.f.dayStart(d)
		de := min(x.dayStart+day, x.f.end)
		x.dirty = true // talkers fade day by day
		x.times = x.times[:0]
		weekend := weekday(d) >= 5
		for range poisson(x.r, g.lambda[d]) {
			t := x.dayStart + rhythmSecond(x.r, weekend)
			if t >= de {
				t = x.dayStart + x.r.Int64N(de-x.dayStart)
			}
			x.times = append(x.times, t)
		}
		slices.Sort(x.times)
		bi := 0
		for {
			// The earliest of: timeline event, follow-up, ordinary message.
			// At equal times the timeline goes first, then follow-ups.
			next, src := int64(math.MaxInt64), -1
			if ti < len(tl) && tl[ti].t < de {
				next, src = tl[ti].t, 0
			}
			if len(x.pending) > 0 && x.pending[0].t < de && x.pending[0].t < next {
				next, src = x.pending[0].t, 1
			}
			if bi < len(x.times) && x.times[bi] < next {
				next, src = x.times[bi], 2
			}
			switch src {
			case 0:
				x.timelineEvent(tl[ti])
				ti++
			case 1:
				p := x.pending[0]
				x.pending = x.pending[1:]
				x.followUp(p)
			case 2:
				x.ordinary(next)
				bi++
			}
			if src < 0 {
				break
			}
			if err := x.flushErr(); err != nil {
				return err
			}
		}
		if x.days != nil {
			x.days[d].members = int32(len(x.present))
		}
	}
	if tg != nil {
		tg.end()
	}
	return x.flushErr()
}

func (x *groupWriter) flushErr() error {
	// bufio keeps the first write error; checking it per message is cheap.
	if x.qq != nil && x.qq.Buffered() > 0 {
		if _, err := x.qq.Write(nil); err != nil {
			return err
		}
	}
	if x.tg != nil && x.tg.bw.Buffered() > 0 {
		if _, err := x.tg.bw.Write(nil); err != nil {
			return err
		}
	}
	if x.wc != nil && x.wc.bw.Buffered() > 0 {
		if _, err := x.wc.bw.Write(nil); err != nil {
			return err
		}
	}
	return nil
}

func (x *groupWriter) add(m int32) {
	x.pos[m] = int32(len(x.present))
	x.present = append(x.present, m)
	x.dirty = true
}

func (x *groupWriter) remove(m int32) {
	i := x.pos[m]
	if i < 0 {
		return
	}
	last := x.present[len(x.present)-1]
	x.present[i] = last
	x.pos[last] = i
	x.present = x.present[:len(x.present)-1]
	x.pos[m] = -1
	x.dirty = true
}

// weight is how much member m talks on the current day.
func (x *groupWriter) weight(m int32) float64 {
	mm := &x.g.members[m]
	if mm.fadeAt <= x.dayStart {
		return 0
	}
	return mm.w
}

// pick draws a speaker among the members present, by chat weight; if
// nobody talks, a staff member does.
func (x *groupWriter) pick() int32 {
	if x.dirty {
		x.cum = x.cum[:0]
		total := 0.0
		for _, m := range x.present {
			total += x.weight(m)
			x.cum = append(x.cum, total)
		}
		x.dirty = false
	}
	if len(x.cum) == 0 || x.cum[len(x.cum)-1] <= 0 {
		return x.staff()
	}
	u := x.r.Float64() * x.cum[len(x.cum)-1]
	lo, hi := 0, len(x.cum)-1
	for lo < hi { // the first index with cum > u
		mid := (lo + hi) / 2
		if x.cum[mid] > u {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return x.present[lo]
}

func (x *groupWriter) staff() int32 {
	s := x.g.staff
	return s[x.r.IntN(len(s))]
}

func (x *groupWriter) defer_(t int64, kind uint8, m, aux int32, ref uint32) {
	if t >= x.f.end {
		return
	}
	x.seq++
	d := derived{t: t, seq: x.seq, kind: kind, m: m, aux: aux, ref: ref}
	i, _ := slices.BinarySearchFunc(x.pending, d, func(a, b derived) int {
		if c := cmpInt(a.t, b.t); c != 0 {
			return c
		}
		return int(a.seq) - int(b.seq)
	})
	x.pending = slices.Insert(x.pending, i, d)
}

// head starts a message of member m at t; its text goes to x.cur.body.
func (x *groupWriter) head(t int64, m int32) {
	c := &x.cur
	c.t, c.m, c.media, c.replyTo = t, m, mediaNone, 0
	c.body, c.ments = c.body[:0], c.ments[:0]
}

// text appends to the body.
func (x *groupWriter) text(s string) { x.cur.body = append(x.cur.body, s...) }

// newline starts another line of the body.
func (x *groupWriter) newline() { x.cur.body = append(x.cur.body, '\n') }

// mention appends "@nick" of person p.
func (x *groupWriter) mention(p int32) {
	c := &x.cur
	start := int32(len(c.body))
	c.body = append(c.body, '@')
	c.body = append(c.body, x.w.persons[p].nick...)
	c.ments = append(c.ments, mention{start: start, end: int32(len(c.body)), p: p})
}

// mentionTmpl appends tmpl with its "@%s" filled by a mention of p.
func (x *groupWriter) mentionTmpl(tmpl string, p int32) {
	before, after, ok := strings.Cut(tmpl, "@%s")
	if !ok {
		x.cur.body = appendTmpl(x.cur.body, tmpl, x.w.persons[p].nick)
		return
	}
	x.text(before)
	x.mention(p)
	x.text(after)
}

// end writes the message started by head: the QQ sender line, the body and
// the empty line; the Telegram message object.
func (x *groupWriter) end() {
	c := &x.cur
	x.st.messages++
	x.lastID++
	c.id = x.lastID
	if x.qq != nil {
		b := x.f.appendTime(x.buf[:0], c.t)
		b = append(b, ' ')
		b = append(b, x.sender[c.m]...)
		b = append(b, x.nl...)
		if x.nl == "\n" {
			b = append(b, c.body...)
		} else {
			for _, ch := range c.body {
				if ch == '\n' {
					b = append(b, x.nl...)
				} else {
					b = append(b, ch)
				}
			}
		}
		b = append(b, x.nl...)
		b = append(b, x.nl...)
		x.buf = b
		x.qq.Write(b)
	}
	if x.tg != nil {
		x.tg.message(c)
	}
	if x.wc != nil {
		x.wc.message(c, x.present)
		x.st.wcLines++
	}
	if x.days != nil {
		d := &x.days[x.dayIdx]
		d.messages++
		if x.spoke[c.m] != int32(x.dayIdx)+1 {
			x.spoke[c.m] = int32(x.dayIdx) + 1
			d.speakers++
		}
	}
}

// notice writes a membership change or a recall of member m; by is the
// inviter or the owner of the QR code (a person), or -1.
func (x *groupWriter) notice(t int64, kind uint8, m int32, by int32) {
	x.st.messages++
	if x.qq != nil {
		b := x.f.appendTime(x.buf[:0], t)
		b = append(b, ' ')
		b = append(b, systemLine...)
		b = append(b, x.nl...)
		switch kind {
		case noteInvite:
			b = append(b, x.inviterIdent(by)...)
			b = append(b, "邀请"...)
			b = append(b, x.ident[m]...)
			b = append(b, "加入本群"...)
		case noteQR:
			b = append(b, x.ident[m]...)
			b = append(b, "通过扫描"...)
			b = append(b, x.inviterIdent(by)...)
			b = append(b, "分享的二维码加入本群"...)
		case noteJoin:
			b = append(b, x.ident[m]...)
			b = append(b, "加入本群"...)
		case noteLeave:
			b = append(b, x.ident[m]...)
			b = append(b, "退出本群"...)
		case noteRemove:
			b = append(b, x.ident[m]...)
			b = append(b, "被管理员移出本群"...)
		case noteRecall:
			b = append(b, x.ident[m]...)
			b = append(b, "撤回了一条消息"...)
		}
		b = append(b, x.nl...)
		b = append(b, x.nl...)
		x.buf = b
		x.qq.Write(b)
	}
	if kind == noteRecall {
		// Telegram exports nothing of a deleted message; WeCom's archive
		// a revoke.
		x.st.recalls++
		if x.wc != nil {
			x.wc.recall(t, m, x.present)
			x.st.wcLines++
		}
		return
	}
	x.lastID++
	if x.tg != nil {
		x.tg.service(x.lastID, t, kind, m, by)
	}
}

func (x *groupWriter) timelineEvent(e tlEvent) {
	m := &x.g.members[e.m]
	switch e.kind {
	case evJoin:
		if m.inviter >= 0 && m.channel == "referral" {
			x.notice(e.t, noteInvite, e.m, m.inviter)
		} else if m.inviter >= 0 && m.channel == "qr" {
			x.notice(e.t, noteQR, e.m, m.inviter)
		} else {
			x.notice(e.t, noteJoin, e.m, -1)
		}
		x.st.joins++
		x.add(e.m)
		if x.days != nil {
			x.days[x.dayIdx].joins++
		}
		p := x.w.persons[m.p]
		if p.spam {
			return
		}
		hour := (e.t - x.dayStart) / 3600
		if hour >= 8 && hour < 23 && x.r.Float64() < 0.5 {
			x.defer_(e.t+20+x.r.Int64N(15*60), dWelcome, x.staff(), e.m, 0)
		}
		introP := 0.35
		if m.w > 0 {
			introP = 0.6
		}
		if x.r.Float64() < introP {
			x.defer_(e.t+30+int64(math.Exp(math.Log(480)+x.r.NormFloat64())), dIntro, e.m, -1, 0)
		}
	case evLeave:
		x.notice(e.t, noteLeave, e.m, -1)
		x.st.leaves++
		x.remove(e.m)
	case evRemove:
		x.notice(e.t, noteRemove, e.m, -1)
		x.st.removals++
		x.remove(e.m)
	case evActivity:
		x.head(e.t, e.m)
		topic := topics[x.r.IntN(len(topics))]
		if x.g.english {
			x.cur.body = appendTmpl(x.cur.body, oneOf(x.r, enActivities), enTopics[x.r.IntN(len(enTopics))])
		} else {
			x.cur.body = appendTmpl(x.cur.body, oneOf(x.r, cnActivities), topic)
		}
		if x.r.Float64() < 0.3 {
			x.newline()
			if x.g.english {
				x.text("Details in the group notice")
			} else {
				x.text("详情见群公告，有问题@我")
			}
		}
		x.end()
	case evSpam:
		if x.pos[e.m] < 0 {
			return
		}
		x.head(e.t, e.m)
		x.text(oneOf(x.r, cnSpam))
		x.end()
	}
}

// inviterIdent finds the inviter's system-line identity in this group.
func (x *groupWriter) inviterIdent(p int32) []byte {
	for i := range x.g.members {
		if x.g.members[i].p == p && x.pos[i] >= 0 {
			return x.ident[i]
		}
	}
	q := x.w.persons[p]
	return fmt.Appendf(nil, "%s(%s)", q.nick, q.uid)
}

func oneOf[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// appendTmpl appends tmpl with each "%s" replaced by the next argument;
// templates may use fewer placeholders than arguments.
func appendTmpl(b []byte, tmpl string, args ...string) []byte {
	for _, a := range args {
		i := strings.Index(tmpl, "%s")
		if i < 0 {
			break
		}
		b = append(b, tmpl[:i]...)
		b = append(b, a...)
		tmpl = tmpl[i+2:]
	}
	return append(b, tmpl...)
}

func (x *groupWriter) followUp(d derived) {
	switch d.kind {
	case dReply:
		x.head(d.t, d.m)
		x.cur.replyTo = d.ref
		x.mention(x.g.members[d.aux].p)
		x.text(" ")
		if x.g.english {
			x.text(oneOf(x.r, enAnswers))
		} else {
			x.text(oneOf(x.r, cnAnswers))
		}
		x.end()
	case dWelcome:
		x.head(d.t, d.m)
		p := x.g.members[d.aux].p
		if x.g.english {
			x.mentionTmpl(oneOf(x.r, enWelcome), p)
		} else {
			x.mentionTmpl(oneOf(x.r, cnWelcome), p)
		}
		x.end()
	case dIntro:
		if x.pos[d.m] < 0 {
			return
		}
		p := x.w.persons[x.g.members[d.m].p]
		x.head(d.t, d.m)
		if p.english {
			x.cur.body = appendTmpl(x.cur.body, oneOf(x.r, enIntro), p.name, p.city, p.job)
		} else {
			x.cur.body = appendTmpl(x.cur.body, oneOf(x.r, cnIntro), p.name, p.city, p.job, oneOf(x.r, hobbies))
		}
		x.end()
	case dRecall:
		if x.pos[d.m] < 0 {
			return
		}
		x.notice(d.t, noteRecall, d.m, -1)
	}
}

// ordinary writes a message from a speaker drawn by chat weight.
func (x *groupWriter) ordinary(t int64) {
	m := x.pick()
	x.head(t, m)
	mm := &x.g.members[m]
	p := x.w.persons[mm.p]
	r := x.r
	english := x.g.english && r.Float64() < 0.85 || !x.g.english && r.Float64() < 0.05 || p.english && r.Float64() < 0.6
	if mm.role != roleMember {
		if english {
			x.text(oneOf(r, enStaffChat))
		} else {
			x.text(oneOf(r, cnStaffChat))
		}
		x.end()
		return
	}
	hour := (t - x.dayStart) / 3600
	u := r.Float64()
	if x.g.checkin && hour >= 6 && hour < 10 && u < 0.2 || u < 0.005 {
		x.text("#打卡 第")
		x.cur.body = appendInt(x.cur.body, 1+r.IntN(60))
		x.text("天 ")
		x.text(oneOf(r, cnCheckin))
		x.end()
		return
	}
	switch u = r.Float64(); {
	case u < 0.10: // a question
		if r.Float64() < 0.35 {
			x.mention(x.g.members[x.staff()].p)
			x.text(" ")
		}
		if english {
			x.text(oneOf(r, enQuestions))
			x.text("?")
		} else {
			x.text(oneOf(r, cnQuestions))
			switch v := r.IntN(10); {
			case v < 7:
				x.text("？")
			case v < 9:
				x.text("?")
			default:
				x.text("？？")
			}
		}
		x.end()
		x.answer(t, m)
		return
	case u < 0.18:
		x.placeholder("[图片]", mediaPhoto)
	case u < 0.25:
		x.placeholder("[表情]", mediaSticker)
	case u < 0.27:
		x.placeholder("[语音]", mediaVoice)
	case u < 0.28:
		x.placeholder("[视频]", mediaVideo)
	case u < 0.29:
		x.placeholder("[文件]", mediaFile)
	case u < 0.32:
		// Text around a placeholder stays text in both formats.
		x.text(oneOf(r, mixedPlaceholders))
	case u < 0.35:
		if english {
			x.text("Worth a read: ")
		} else {
			x.text(oneOf(r, linkTexts))
		}
		x.text(oneOf(r, links))
	case u < 0.39 && len(x.present) > 1:
		o := x.present[r.IntN(len(x.present))]
		if o == m {
			o = x.present[0]
		}
		x.mention(x.g.members[o].p)
		x.text(" ")
		x.chat(english)
	case u < 0.42 && !english:
		x.text(oneOf(r, cnMultiHead))
		for range 1 + r.IntN(3) {
			x.newline()
			x.text(oneOf(r, cnMultiLines))
		}
	default:
		x.chat(english)
	}
	x.end()
	if r.Float64() < 0.004 {
		x.defer_(t+2+r.Int64N(118), dRecall, m, -1, 0)
	}
}

// placeholder is a media message: QQ shows the placeholder.
func (x *groupWriter) placeholder(s string, media uint8) {
	x.text(s)
	x.cur.media = media
}

func (x *groupWriter) chat(english bool) {
	if english {
		x.text(oneOf(x.r, enChat))
		return
	}
	x.text(oneOf(x.r, cnChat))
	x.text(oneOf(x.r, cnTails))
}

// answer schedules a staff reply to a question at t: within minutes in work
// hours, slower in the evening, next morning at night; some stay unanswered.
func (x *groupWriter) answer(t int64, asker int32) {
	r, slow := x.r, x.g.slow
	hour := (t - x.dayStart) / 3600
	var delay int64 = -1
	switch {
	case weekday(x.dayIdx) < 5 && hour >= 9 && hour < 18:
		if r.Float64() < 0.9/math.Sqrt(max(1, slow)) {
			delay = 20 + min(4*3600, int64(slow*math.Exp(math.Log(150)+0.9*r.NormFloat64())))
		}
	case hour >= 7 && hour < 23:
		if r.Float64() < 0.55/math.Sqrt(max(1, slow)) {
			delay = 60 + min(8*3600, int64(slow*math.Exp(math.Log(1500)+0.8*r.NormFloat64())))
		}
	default:
		if r.Float64() < 0.6 {
			next := x.dayStart + 9*3600
			if hour >= 9 {
				next += day
			}
			delay = next + r.Int64N(40*60) - t
		}
	}
	if delay > 0 {
		x.defer_(t+delay, dReply, x.staff(), asker, x.lastID)
	}
}

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}
