package ingest

import (
	"context"
	"errors"

	"github.com/ckpi/ckpi/ingest/format"
)

// relayBatch is how many rows cross from the parser to the collector at a
// time: large enough that the hand-over costs nothing per row.
const relayBatch = 1024

// relayed is one row in the order the parser gave it: a message, or one of
// the rarer kinds in other.
type relayed struct {
	msg   format.Message
	other any // format.Event, Member, Order, Activity, Role, Presence, Statistic, Follows, Content, Reject or unknownNotice
}

// unknownNotice is a relayed UnknownNotice call.
type unknownNotice struct {
	line int64
	raw  string
}

// relay is a Sink that hands the parser's rows to another goroutine, in
// order, so that reading the export and the collector's bookkeeping (ids,
// hashes, people) run on both cores instead of taking turns on one.
type relay struct {
	ctx  context.Context
	out  chan []relayed
	free chan []relayed
	cur  []relayed
}

// relayTo runs parse with a Sink whose rows, in batches, reach deliver on
// another goroutine, and returns the first error of either side.
func relayTo(ctx context.Context, deliver func([]relayed) error, parse func(ctx context.Context, s format.Sink) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r := &relay{ctx: ctx, out: make(chan []relayed, 4), free: make(chan []relayed, 6)}
	r.cur = r.batch()
	delivered := make(chan error, 1)
	go func() {
		var err error
		for rows := range r.out {
			if err == nil {
				if err = deliver(rows); err != nil {
					cancel(err) // stop the parser; keep draining so it never blocks
				}
			}
			select {
			case r.free <- rows[:0]:
			default:
			}
		}
		delivered <- err
	}()
	err := parse(ctx, r)
	if err == nil {
		err = r.flush()
	}
	close(r.out)
	if sinkErr := <-delivered; sinkErr != nil && (err == nil || errors.Is(err, context.Canceled)) {
		return sinkErr
	}
	return err
}

// deliverTo hands relayed rows to a sink, in order.
func deliverTo(sink format.Sink, rows []relayed) error {
	for i := range rows {
		var err error
		switch o := rows[i].other.(type) {
		case nil:
			err = sink.Message(&rows[i].msg)
		case format.Event:
			err = sink.Event(&o)
		case format.Member:
			err = sink.Member(&o)
		case format.Order:
			err = sink.Order(&o)
		case format.Activity:
			err = sink.Activity(&o)
		case format.Role:
			err = sink.Role(&o)
		case format.Presence:
			err = sink.Presence(&o)
		case format.Statistic:
			err = sink.Statistic(&o)
		case format.Follows:
			err = sink.Follows(&o)
		case format.Content:
			err = sink.Content(&o)
		case format.Reject:
			err = sink.Reject(o.Line, o.Reason, o.Raw)
		case unknownNotice:
			err = sink.UnknownNotice(o.line, o.raw)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *relay) batch() []relayed {
	select {
	case b := <-r.free:
		return b
	default:
		return make([]relayed, 0, relayBatch)
	}
}

// Parsers may reuse a message's Mentions; the relay keeps its own copy.
func (r *relay) Message(m *format.Message) error {
	r.cur = append(r.cur, relayed{msg: *m})
	if len(m.Mentions) > 0 {
		r.cur[len(r.cur)-1].msg.Mentions = append([]string(nil), m.Mentions...)
	}
	return r.next()
}

func (r *relay) Event(e *format.Event) error       { return r.add(*e) }
func (r *relay) Member(m *format.Member) error     { return r.add(*m) }
func (r *relay) Order(o *format.Order) error       { return r.add(*o) }
func (r *relay) Activity(a *format.Activity) error { return r.add(*a) }
func (r *relay) Role(o *format.Role) error         { return r.add(*o) }
func (r *relay) Presence(p *format.Presence) error { return r.add(*p) }
func (r *relay) Follows(f *format.Follows) error   { return r.add(*f) }
func (r *relay) Content(c *format.Content) error   { return r.add(*c) }

// Parsers may reuse a statistic's Owners; the relay keeps its own copy.
func (r *relay) Statistic(s *format.Statistic) error {
	c := *s
	c.Owners = append([]format.Person(nil), s.Owners...)
	return r.add(c)
}
func (r *relay) Reject(line int64, reason, raw string) error {
	return r.add(format.Reject{Line: line, Reason: reason, Raw: raw})
}
func (r *relay) UnknownNotice(line int64, raw string) error {
	return r.add(unknownNotice{line, raw})
}

func (r *relay) add(other any) error {
	r.cur = append(r.cur, relayed{other: other})
	return r.next()
}

func (r *relay) next() error {
	if len(r.cur) < relayBatch {
		return nil
	}
	return r.flush()
}

func (r *relay) flush() error {
	if len(r.cur) == 0 {
		return nil
	}
	select {
	case r.out <- r.cur:
		r.cur = r.batch()
		return nil
	case <-r.ctx.Done():
		return context.Cause(r.ctx)
	}
}
