package ingest

import (
	"context"
	"strconv"
	"time"
)

// maxKeptRejects bounds the rejects held in memory for one file; the count
// goes on past it so the summary stays true.
const maxKeptRejects = 10000

// collector is the loader's Sink: it gives every row its stable id, batches
// rows per staging table and sends full batches to the appender goroutine.
type collector struct {
	ctx  context.Context
	out  chan<- *batch
	free chan *batch

	messages, events, orders *batch

	groups   map[int64]Group
	people   *people
	rejects  []Reject
	rejected int64
	rows     int64

	// Identical messages in the same second are told apart by their rank.
	dupSecond int64
	dupGroup  int64
	dupSeen   map[int64]int
}

func newCollector(ctx context.Context, out chan<- *batch) *collector {
	return &collector{
		ctx:      ctx,
		out:      out,
		free:     make(chan *batch, 4),
		messages: newBatch("stage_messages", 9),
		events:   newBatch("stage_events", 8),
		orders:   newBatch("stage_orders", 8),
		groups:   map[int64]Group{},
		people:   newPeople(),
		dupSeen:  map[int64]int{},
	}
}

func (c *collector) group(g Group) int64 {
	id := g.ID()
	if _, ok := c.groups[id]; !ok {
		c.groups[id] = g
	}
	return id
}

// person returns the id of a platform identity and notes where and when it
// was seen; 0 for no one (system messages).
func (c *collector) person(platform string, p Person, group int64, t time.Time) int64 {
	if p.UID == "" {
		return 0
	}
	id := hashID(platform, p.UID)
	c.people.see(id, platform, p, group, t.UTC())
	return id
}

func (c *collector) Message(m *Message) error {
	gid := c.group(m.Group)
	var mentions any
	if len(m.Mentions) > 0 {
		mentions = append([]string(nil), m.Mentions...)
	}
	var replyTo any
	if m.ReplyTo != "" {
		replyTo = externalMessageID(gid, m.ReplyTo)
	}
	c.messages.add(c.messageID(gid, m), gid, nullID(c.person(m.Group.Platform, m.Sender, gid, m.Time)),
		m.Time.UTC(), m.Kind, m.Text, mentions, replyTo, m.Line)
	return c.maybeSend(&c.messages)
}

// messageID keys a message by the platform's id when there is one, else by
// its content; identical messages in the same second are told apart by rank.
func (c *collector) messageID(gid int64, m *Message) int64 {
	if m.ExternalID != "" {
		return externalMessageID(gid, m.ExternalID)
	}
	unix := m.Time.Unix()
	if unix != c.dupSecond || gid != c.dupGroup {
		clear(c.dupSeen)
		c.dupSecond, c.dupGroup = unix, gid
	}
	base := messageID(gid, m.Sender.UID, unix, m.Text, 0)
	dup := c.dupSeen[base]
	c.dupSeen[base] = dup + 1
	if dup == 0 {
		return base
	}
	return messageID(gid, m.Sender.UID, unix, m.Text, dup)
}

func (c *collector) Event(e *Event) error {
	gid := c.group(e.Group)
	platform := e.Group.Platform
	mid := c.person(platform, e.Member, 0, e.Time)
	id := hashID(strconv.FormatInt(gid, 10), e.Member.UID, e.Kind, strconv.FormatInt(e.Time.Unix(), 10))
	source := any(nil)
	if e.Kind == EventJoin {
		source = e.Source
		if e.Source == "" {
			source = SourceUnknown
		}
	}
	c.events.add(id, gid, mid, e.Time.UTC(), e.Kind, source,
		nullID(c.person(platform, e.Inviter, 0, e.Time)), e.Line)
	return c.maybeSend(&c.events)
}

func (c *collector) Member(m *Member) error {
	if id := c.person(m.Platform, m.Person, 0, m.Seen); id != 0 && m.CustomerKey != "" {
		c.people.byID[id].customerKey = m.CustomerKey
	}
	c.rows++
	return nil
}

func (c *collector) Order(o *Order) error {
	c.orders.add(o.ID, o.CustomerKey, o.Time.UTC(), o.Amount, o.Currency,
		nullString(o.Product), o.Status, o.Line)
	return c.maybeSend(&c.orders)
}

func (c *collector) Reject(line int64, reason, raw string) error {
	c.rejected++
	if len(c.rejects) < maxKeptRejects {
		c.rejects = append(c.rejects, Reject{Line: line, Reason: reason, Raw: raw})
	}
	return nil
}

func (c *collector) maybeSend(b **batch) error {
	c.rows++
	if !(*b).full() {
		return nil
	}
	return c.send(b)
}

// send hands a batch to the appender and takes a recycled one in its place.
func (c *collector) send(b **batch) error {
	full := *b
	select {
	case c.out <- full:
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
	select {
	case next := <-c.free:
		next.table, next.width = full.table, full.width
		*b = next
	default:
		*b = newBatch(full.table, full.width)
	}
	return nil
}

// flush sends what is left, then the groups and people seen.
func (c *collector) flush() error {
	pb, nb := c.people.batches()
	for _, b := range []**batch{&c.messages, &c.events, &c.orders, &pb, &nb} {
		if (*b).rows() > 0 {
			if err := c.send(b); err != nil {
				return err
			}
		}
	}
	g := newBatch("stage_groups", 4)
	for id, grp := range c.groups {
		g.add(id, grp.Platform, grp.ExternalID, grp.Name)
	}
	if g.rows() == 0 {
		return nil
	}
	return c.send(&g)
}

// recycle returns a batch the appender is done with.
func (c *collector) recycle(b *batch) {
	b.reset()
	select {
	case c.free <- b:
	default:
	}
}
