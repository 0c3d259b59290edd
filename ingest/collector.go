package ingest

import (
	"context"
	"strconv"
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

	messages, events, members, orders *batch

	groups   map[int64]Group
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
		messages: newBatch("stage_messages", 10),
		events:   newBatch("stage_events", 12),
		members:  newBatch("stage_members", 6),
		orders:   newBatch("stage_orders", 8),
		groups:   map[int64]Group{},
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

func (c *collector) personID(platform string, p Person) int64 {
	if p.UID == "" {
		return 0
	}
	return hashID(platform, p.UID)
}

func (c *collector) Message(m *Message) error {
	gid := c.group(m.Group)
	unix := m.Time.Unix()
	if unix != c.dupSecond || gid != c.dupGroup {
		clear(c.dupSeen)
		c.dupSecond, c.dupGroup = unix, gid
	}
	base := messageID(gid, m.Sender.UID, unix, m.Text, 0)
	dup := c.dupSeen[base]
	c.dupSeen[base] = dup + 1
	id := base
	if dup > 0 {
		id = messageID(gid, m.Sender.UID, unix, m.Text, dup)
	}
	var mentions any
	if len(m.Mentions) > 0 {
		mentions = append([]string(nil), m.Mentions...)
	}
	c.messages.add(id, gid, nullID(c.personID(m.Group.Platform, m.Sender)),
		nullString(m.Sender.UID), nullString(m.Sender.Name), m.Time.UTC(),
		m.Kind, m.Text, mentions, m.Line)
	return c.maybeSend(&c.messages)
}

func (c *collector) Event(e *Event) error {
	gid := c.group(e.Group)
	platform := e.Group.Platform
	mid := c.personID(platform, e.Member)
	id := hashID(strconv.FormatInt(gid, 10), e.Member.UID, e.Kind, strconv.FormatInt(e.Time.Unix(), 10))
	source := any(nil)
	if e.Kind == EventJoin {
		source = e.Source
		if e.Source == "" {
			source = SourceUnknown
		}
	}
	c.events.add(id, gid, mid, e.Member.UID, nullString(e.Member.Name), e.Time.UTC(),
		e.Kind, source, nullID(c.personID(platform, e.Inviter)),
		nullString(e.Inviter.UID), nullString(e.Inviter.Name), e.Line)
	return c.maybeSend(&c.events)
}

func (c *collector) Member(m *Member) error {
	c.members.add(c.personID(m.Platform, m.Person), m.Platform, m.Person.UID,
		nullString(m.Person.Name), nullString(m.CustomerKey), nullTime(m.Seen))
	return c.maybeSend(&c.members)
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

// flush sends what is left, then the groups seen.
func (c *collector) flush() error {
	for _, b := range []**batch{&c.messages, &c.events, &c.members, &c.orders} {
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
