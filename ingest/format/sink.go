package format

// Sink receives what a parser reads. The loader's sink batches rows and
// hands full batches to the database while the parser goes on.
type Sink interface {
	Message(m *Message) error
	Event(e *Event) error
	Member(m *Member) error
	Order(o *Order) error
	Activity(a *Activity) error
	// Reject keeps a row the parser could not read, with why, so nothing
	// the user exported is silently dropped.
	Reject(line int64, reason, raw string) error
}

// Reject is a row that did not load.
type Reject struct {
	Line   int64
	Reason string
	Raw    string
}
