package format

// Sink receives what a parser reads. The loader's sink batches rows and
// hands full batches to the database while the parser goes on.
type Sink interface {
	Message(m *Message) error
	Event(e *Event) error
	Member(m *Member) error
	Order(o *Order) error
	Activity(a *Activity) error
	// Role records what the export itself states a person is in a group
	// (a QQ 【管理员】 title, Slack is_admin, Discord isBot...): staff and
	// bots are not members in any KPI.
	Role(r *Role) error
	// Presence records a person listed in a group's member list at a
	// moment (a member-list snapshot, Slack channels.json members).
	Presence(p *Presence) error
	// Statistic records counts the platform itself keeps for a set of
	// groups over a day (WeCom's 群聊数据统计): for groups whose messages
	// were not exported, they are all there is.
	Statistic(s *Statistic) error
	// Reject keeps a row the parser could not read, with why, so nothing
	// the user exported is silently dropped.
	Reject(line int64, reason, raw string) error
	// UnknownNotice keeps a line the layout marks as a system notice (iOS
	// WhatsApp's U+200E, QQ's system sender, a Telegram service entry)
	// whose words no locale table knows: never a member's message, kept
	// with its line so the load can say how many it did not understand.
	UnknownNotice(line int64, raw string) error
	// Follows records one day of a carrier that is not a group (a WeChat
	// official account): its new, lost and cumulative followers, for all
	// follow sources together or for one.
	Follows(f *Follows) error
	// Content records one day of one article's reach on such a carrier.
	Content(c *Content) error
}

// Reject is a row that did not load.
type Reject struct {
	Line   int64
	Reason string
	Raw    string
}

// Discard is a Sink that keeps nothing: embed it in a sink that wants only
// some kinds of rows.
type Discard struct{}

func (Discard) Message(*Message) error             { return nil }
func (Discard) Event(*Event) error                 { return nil }
func (Discard) Member(*Member) error               { return nil }
func (Discard) Order(*Order) error                 { return nil }
func (Discard) Activity(*Activity) error           { return nil }
func (Discard) Role(*Role) error                   { return nil }
func (Discard) Presence(*Presence) error           { return nil }
func (Discard) Statistic(*Statistic) error         { return nil }
func (Discard) Reject(int64, string, string) error { return nil }
func (Discard) UnknownNotice(int64, string) error  { return nil }
func (Discard) Follows(*Follows) error             { return nil }
func (Discard) Content(*Content) error             { return nil }
