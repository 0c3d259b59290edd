package format

import "time"

// Message kinds, as stored in messages.kind.
const (
	KindText    = "text"
	KindImage   = "image"
	KindSticker = "sticker"
	KindVoice   = "voice"
	KindVideo   = "video"
	KindFile    = "file"
	KindLink    = "link"
	KindSystem  = "system"
	KindRecall  = "recall"
)

// Membership event kinds and join sources.
const (
	EventJoin    = "join"
	EventLeave   = "leave"
	EventRemoved = "removed"

	SourceReferral = "referral"
	SourceQR       = "qr"
	SourceLink     = "link"
	SourceImport   = "import"
	SourceUnknown  = "unknown"
)

// Channels a members export may name as a join source.
var Channels = map[string]bool{
	SourceReferral: true, SourceQR: true, SourceLink: true, SourceImport: true,
	"website": true, "official_account": true, "weibo": true, "offline": true, "sms": true,
}

// Group identifies a chat group inside one platform.
type Group struct {
	Platform   string
	ExternalID string // the platform's id, or the group name when the export has none
	Name       string
}

// Person is a platform identity as an export shows it. A notice that names
// someone only by display name (WeChat's "X"邀请"Y", a Telegram service
// entry's members) gives a Person with an empty UID: the loader resolves
// the name to whoever was seen under it in that group.
type Person struct {
	UID  string // platform user id: QQ number, e-mail, phone...
	Name string // display name at that moment
}

// Message is one chat message. The sink copies what it keeps, so parsers
// may reuse the value between calls.
type Message struct {
	Group    Group
	Sender   Person // empty UID for system messages
	Time     time.Time
	Kind     string
	Text     string
	Mentions []string
	// ExternalID is the platform's own message id when the export has one
	// (Telegram, Discord, Slack); it then keys the message. ReplyTo is the
	// platform id of the message this one answers.
	ExternalID string
	ReplyTo    string
	// Actor is who did it when the export says and it is not the sender:
	// the admin who deleted a member's message (WhatsApp's "This message
	// was deleted by admin X").
	Actor Person
	Line  int64
}

// Event is a join, leave or removal.
type Event struct {
	Group   Group
	Member  Person
	Time    time.Time
	Kind    string
	Source  string
	Inviter Person // set for referral and QR joins
	Actor   Person // who did it when the export says: the admin who removed someone
	Line    int64
}

// Roles an export can state; "service" comes only from the config.
const (
	RoleOwner = "owner"
	RoleAdmin = "admin"
	RoleBot   = "bot"
)

// Role is what an export states a person is in a group; a Group with only
// its Platform set means every group (a workspace's admin).
type Role struct {
	Group  Group
	Person Person
	Role   string    // RoleOwner, RoleAdmin or RoleBot
	Time   time.Time // when the export shows it; zero when undated
	Line   int64
}

// Presence is a person listed in a group's member list taken at AsOf. A
// join time the list gives is an Event of its own.
type Presence struct {
	Group  Group
	Member Person
	AsOf   time.Time
	Line   int64
}

// Statistic is what a platform counted itself for a set of groups over a
// span of days: WeCom's 群聊数据统计 counts per group owner (the groups
// that owner leads), or for every group the account sees, never per group.
// A count the export does not give is -1.
type Statistic struct {
	Platform string
	// Owners lead the groups counted; none: every group of the account.
	Owners []Person
	Day    time.Time // the first day counted: its local midnight
	Days   int       // how many days the counts cover, from Day
	// Groups: new in the span, at its end, with a message in it.
	NewGroups, Groups, GroupsWithMessages int64
	// Members: new in the span, at its end, who sent a message in it;
	// messages sent in it.
	NewMembers, Members, MembersWithMessages, Messages int64
	Line                                               int64
}

// Member is what a members export says about a person beyond events.
type Member struct {
	Platform    string
	Person      Person
	CustomerKey string
	Seen        time.Time
}

// Activity is a scheduled or held community activity.
type Activity struct {
	Group Group
	Time  time.Time
	Type  string // checkin | sharing | vote | event | talent_show | discussion | other
	Title string
	Line  int64
}

// ActivityTypes are the kinds of activity the KPIs count.
var ActivityTypes = map[string]bool{
	"checkin": true, "sharing": true, "vote": true, "event": true,
	"talent_show": true, "discussion": true, "other": true,
}

// Order is one row of an orders export.
type Order struct {
	ID          string
	CustomerKey string
	Time        time.Time
	Amount      string // decimal text, validated by the parser
	Currency    string
	Product     string
	Status      string
	Line        int64
}
