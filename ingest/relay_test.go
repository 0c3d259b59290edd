package ingest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ckpi/ckpi/ingest/format"
)

// orderLog is a Sink that writes down what reaches it, in order.
type orderLog struct {
	format.Discard
	got []string
}

func (r *orderLog) Message(m *format.Message) error {
	r.got = append(r.got, fmt.Sprintf("m%d%v", m.Line, m.Mentions))
	return nil
}
func (r *orderLog) Event(e *format.Event) error {
	r.got = append(r.got, fmt.Sprintf("e%d", e.Line))
	return nil
}
func (r *orderLog) Member(*format.Member) error       { r.got = append(r.got, "member"); return nil }
func (r *orderLog) Order(o *format.Order) error       { r.got = append(r.got, "o"+o.ID); return nil }
func (r *orderLog) Activity(a *format.Activity) error { r.got = append(r.got, "a"+a.Title); return nil }
func (r *orderLog) Reject(line int64, _, _ string) error {
	r.got = append(r.got, fmt.Sprintf("r%d", line))
	return nil
}

func TestRelayKeepsOrderAndCopies(t *testing.T) {
	var want []string
	parse := func(ctx context.Context, s format.Sink) error {
		m := &format.Message{} // reused, as parsers do
		for i := int64(1); i <= 3000; i++ {
			var err error
			switch {
			case i%500 == 0:
				err, want = s.Event(&format.Event{Line: i}), append(want, fmt.Sprintf("e%d", i))
			case i%777 == 0:
				err, want = s.Reject(i, "bad", "raw"), append(want, fmt.Sprintf("r%d", i))
			default:
				m.Line, m.Mentions = i, append(m.Mentions[:0], fmt.Sprint(i%3))
				err, want = s.Message(m), append(want, fmt.Sprintf("m%d[%d]", i, i%3))
			}
			if err != nil {
				return err
			}
		}
		want = append(want, "o1", "ax", "member")
		return errors.Join(s.Order(&format.Order{ID: "1"}), s.Activity(&format.Activity{Title: "x"}), s.Member(&format.Member{}))
	}
	rec := &orderLog{}
	if err := relayTo(context.Background(), func(rows []relayed) error { return deliverTo(rec, rows) }, parse); err != nil {
		t.Fatal(err)
	}
	if len(rec.got) != len(want) {
		t.Fatalf("delivered %d rows, want %d", len(rec.got), len(want))
	}
	for i := range want {
		if rec.got[i] != want[i] {
			t.Fatalf("row %d: %s, want %s", i, rec.got[i], want[i])
		}
	}
}

func TestRelayStopsTheParserOnASinkError(t *testing.T) {
	stop := errors.New("disk full")
	parsed := 0
	err := relayTo(context.Background(), func([]relayed) error { return stop }, func(ctx context.Context, s format.Sink) error {
		for {
			parsed++
			if err := s.Message(&format.Message{}); err != nil {
				return err
			}
			if parsed > 1_000_000 {
				return errors.New("the parser was never stopped")
			}
		}
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the sink's", err)
	}
}
