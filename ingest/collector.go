package ingest

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ckpi/ckpi/ingest/format"
)

// maxKeptRejects bounds the rejects held in memory for one file; the count
// goes on past it so the summary stays true.
const maxKeptRejects = 10000

// collector is the loader's Sink for the files of one load: it gives every
// row its stable id and file, and batches rows by column. Message batches go
// to the message stream; other rows go to the staging appender, or, once the
// message stream has begun (it holds the connection), wait in memory until
// it ends. Chat files have few non-message rows, so the wait stays small.
// People and groups are summed up over all the files, so each is staged
// once. Files may be parsed at the same time: the loader hands the
// collector one file's rows at a time, after use.
type collector struct {
	ctx      context.Context
	msgOut   chan *messageColumns
	otherOut chan *batch
	progress func(file *fileTally, rows int64)

	msgs                                                     *messageColumns
	events, orders, activities, roles, presences, statistics *batch
	follows, content                                         *batch
	accounts                                                 map[int64]accountSeen
	rolesSeen                                                map[roleKey]bool
	pending                                                  []*packedBatch
	streaming                                                bool
	groups                                                   map[int64]groupSeen
	// times of events and presences per group: with the files' message
	// spans, the stretch of time the data covers for each group
	eventExtent map[int64]*span
	people      *people
	detector    *activityDetector // nil: no patterns
	files       []*fileTally
	file        *fileTally // whose rows are being delivered
	rows        int64      // of all files so far
	// rows of each kind, so the loader merges only what the files had
	nEvents, nOrders, nActivities, nRoles, nPresences, nStatistics int64
	nCarrier                                                       int64 // follows and content rows
	lastGroup                                                      struct {
		format.Group
		id        int64
		keyPrefix []byte // of its messages' ids
		span      *span  // in the current file; nil until the group has a message
	}
}

// groupSeen is a group as the last file of the load that has it names it,
// as if the files were loaded one after another.
type groupSeen struct {
	format.Group
	file int64
}

// fileTally is what the collector noted about one file.
type fileTally struct {
	id             int64 // file_id
	index          int   // in the load
	rows, rejected int64
	rejects        []format.Reject
	// system notices the parser could not read: kept like rejects, but
	// they do not count against --max-rejects (nothing a member said is lost)
	unknownNotices int64
	notices        []format.Reject
	spans          map[int64]*span // of each group with messages
	// what the file became, for the coverage report
	cov       Coverage
	lineSpans spans
	people    int64                    // distinct people it names
	persons   map[*personSeen]struct{} // of them, those an earlier file named
	groups    map[int64]format.Group   // the groups it names
	// identical messages in one second of one group, told apart by rank
	dupSecond, dupGroup int64
	dupSeen             map[int64]int
	// mayRepeat: the file may give one message_id to several of its
	// messages (platform ids, or a second of a group met again after
	// others, whose identical messages the rank cannot tell apart)
	mayRepeat bool
}

func newCollector(ctx context.Context, progress func(file *fileTally, rows int64), detector *activityDetector) *collector {
	return &collector{
		ctx: ctx,
		// A deep queue rides out DuckDB's pauses (a row group being
		// compressed) without stopping the parser: ~1.3 s of 15 on 10M rows.
		msgOut:      make(chan *messageColumns, 16),
		otherOut:    make(chan *batch, 2),
		progress:    progress,
		detector:    detector,
		msgs:        newMessageColumns(),
		events:      newBatch("stage_events", 10),
		roles:       newBatch("stage_roles", 6),
		presences:   newBatch("stage_presences", 5),
		statistics:  newBatch("stage_statistics", 15),
		rolesSeen:   map[roleKey]bool{},
		orders:      newBatch("stage_orders", 9),
		activities:  newBatch("stage_activities", 7),
		follows:     newBatch("stage_follows", 8),
		content:     newBatch("stage_content", 16),
		accounts:    map[int64]accountSeen{},
		groups:      map[int64]groupSeen{},
		eventExtent: map[int64]*span{},
		people:      newPeople(),
	}
}

// addFile notes a file of the load, in load order.
func (c *collector) addFile(fileID int64) *fileTally {
	f := &fileTally{id: fileID, index: len(c.files), spans: map[int64]*span{}, dupSeen: map[int64]int{},
		persons: map[*personSeen]struct{}{}, groups: map[int64]format.Group{}}
	c.files = append(c.files, f)
	return f
}

// use makes the rows that follow the file's.
func (c *collector) use(f *fileTally) {
	if c.file != f {
		c.file, c.lastGroup.span = f, nil
	}
}

func (c *collector) group(g format.Group) int64 {
	// Exports come group by group: most rows are of the group before.
	if c.lastGroup.id != 0 && g == c.lastGroup.Group {
		return c.lastGroup.id
	}
	id := groupID(g)
	c.file.groups[id] = g
	// The last file of the load that names the group names it; a file that
	// does not (a WeCom archive knows only the room id) names it only if
	// nothing else does.
	if seen, ok := c.groups[id]; !ok || g.Name != "" && (seen.Name == "" || seen.file < c.file.id) {
		c.groups[id] = groupSeen{g, c.file.id}
	}
	c.lastGroup.Group, c.lastGroup.id, c.lastGroup.span = g, id, nil
	c.lastGroup.keyPrefix = messageKeyPrefix(id)
	return id
}

// person returns the id of a platform identity and notes where and when it
// was seen; 0 for no one (system messages).
func (c *collector) person(platform string, p format.Person, group int64, t time.Time) int64 {
	if p.UID == "" {
		return 0
	}
	s := c.people.see(platform, p, group, c.file.id, t.UTC())
	c.file.saw(s)
	return s.id
}

// saw counts a person the file names, once. Most people appear in one
// file: only those a second file names go through its set.
func (f *fileTally) saw(s *personSeen) {
	switch {
	case s.lastFile == f:
		return
	case s.firstFile == nil:
		s.firstFile = f
		f.people++
	case s.firstFile != f:
		if _, ok := f.persons[s]; !ok {
			f.persons[s] = struct{}{}
			f.people++
		}
	}
	s.lastFile = f
}

// coverage is what the file became; lines is its text's line count (0:
// not known).
func (f *fileTally) coverage(lines int64) Coverage {
	c := f.cov
	c.UnknownNotices, c.Rejected, c.People = f.unknownNotices, f.rejected, f.people
	f.lineSpans.close(lines, &c)
	return c
}

// named keys a person a notice names only by display name by that name,
// until the loader resolves it to someone seen under it in the group.
func named(p format.Person) format.Person {
	if p.UID == "" && p.Name != "" {
		p.UID = "name:" + p.Name
	}
	return p
}

func (c *collector) Message(m *format.Message) error {
	gid := c.group(m.Group)
	seenIn := gid // where the sender's name counts as a sighting
	if m.Sender.UID == "" && m.Sender.Name != "" {
		// A sender named only (a WeChat recall notice names who recalled):
		// keyed by the name like the people notices name. It is no
		// sighting: the person was seen under their own id when they sent
		// what they recalled, and a sighting would make the name a member.
		byName := *m
		byName.Sender = named(m.Sender)
		m, seenIn = &byName, 0
	}
	var replyTo int64
	if m.ReplyTo != "" {
		replyTo = externalMessageIDAfter(c.lastGroup.keyPrefix, m.ReplyTo)
	}
	if c.lastGroup.span == nil {
		c.lastGroup.span = c.spanOf(gid)
	}
	if !c.file.mayRepeat {
		c.file.mayRepeat = m.ExternalID != "" || c.revisits(gid, m.Time)
	}
	c.lastGroup.span.cover(m.Time)
	id, sender := c.messageID(gid, m), c.person(m.Group.Platform, m.Sender, seenIn, m.Time)
	c.msgs.add(id, gid, sender, m.Time.UnixMicro(), replyTo, m.Line, c.file.id, m.Kind, m.Text, m.Mentions)
	if m.Kind == format.KindSystem {
		c.file.cov.System++
		c.file.lineSpans.at(m.Line, lineNotice)
	} else {
		c.file.cov.Messages++
		c.file.lineSpans.at(m.Line, lineMessage)
	}
	if c.detector != nil && sender != 0 {
		c.detector.see(id, gid, c.file.id, m)
	}
	c.rows++
	c.file.rows++
	if !c.msgs.full() {
		return nil
	}
	return c.sendMessages()
}

// revisits tells whether a message comes back to a second of its group
// that the file already left: in a file in time order it never does.
func (c *collector) revisits(gid int64, t time.Time) bool {
	f, s, unix := c.file, c.lastGroup.span, t.Unix()
	if s.first.IsZero() || (unix == f.dupSecond && gid == f.dupGroup) {
		return false
	}
	return unix >= s.first.Unix() && unix <= s.last.Unix()
}

// messageID keys a message by the platform's id when there is one, else by
// its content; identical messages in the same second are told apart by rank.
func (c *collector) messageID(gid int64, m *format.Message) int64 {
	if m.ExternalID != "" {
		return externalMessageIDAfter(c.lastGroup.keyPrefix, m.ExternalID)
	}
	f, unix := c.file, m.Time.Unix()
	if unix != f.dupSecond || gid != f.dupGroup {
		clear(f.dupSeen)
		f.dupSecond, f.dupGroup = unix, gid
	}
	base := messageID(gid, m.Sender.UID, unix, m.Text, 0)
	dup := f.dupSeen[base]
	f.dupSeen[base] = dup + 1
	if dup == 0 {
		return base
	}
	return messageID(gid, m.Sender.UID, unix, m.Text, dup)
}

func (c *collector) Event(e *format.Event) error {
	gid := c.group(e.Group)
	platform := e.Group.Platform
	member := named(e.Member)
	mid := c.person(platform, member, 0, e.Time)
	id := hashID(strconv.FormatInt(gid, 10), member.UID, e.Kind, strconv.FormatInt(e.Time.Unix(), 10))
	source := any(nil)
	if e.Kind == format.EventJoin {
		source = e.Source
		if e.Source == "" {
			source = format.SourceUnknown
		}
	}
	c.extend(gid, e.Time)
	c.nEvents++
	c.file.cov.Events++
	c.file.lineSpans.at(e.Line, lineNotice)
	c.events.add(id, gid, mid, e.Time.UTC(), e.Kind, source,
		nullID(c.person(platform, named(e.Inviter), 0, e.Time)),
		nullID(c.person(platform, named(e.Actor), 0, e.Time)), c.file.id, e.Line)
	return c.maybeSend(&c.events)
}

func (c *collector) Member(m *format.Member) error {
	if m.Person.UID != "" {
		// The last roster of the load wins, as if loaded one after another.
		s := c.people.see(m.Platform, m.Person, 0, c.file.id, m.Seen.UTC())
		if m.CustomerKey != "" && c.file.id >= s.customerKeyFile {
			s.customerKey, s.customerKeyFile = m.CustomerKey, c.file.id
		}
		c.file.saw(s)
	}
	c.file.record(0) // its line is the join's, which follows
	c.rows++
	c.file.rows++
	return nil
}

func (c *collector) Order(o *format.Order) error {
	c.nOrders++
	c.file.record(o.Line)
	c.orders.add(o.ID, o.CustomerKey, o.Time.UTC(), o.Amount, o.Currency,
		nullString(o.Product), o.Status, c.file.id, o.Line)
	return c.maybeSend(&c.orders)
}

func (c *collector) Activity(a *format.Activity) error {
	gid := c.group(a.Group)
	id := hashID(strconv.FormatInt(gid, 10), "activity", a.Type, strconv.FormatInt(a.Time.Unix(), 10), a.Title)
	c.nActivities++
	c.file.record(a.Line)
	c.activities.add(id, gid, a.Time.UTC(), a.Type, nullString(a.Title), c.file.id, a.Line)
	return c.maybeSend(&c.activities)
}

// accountSeen is an account as the last file of the load that has it
// names it.
type accountSeen struct {
	format.Account
	file int64
}

// account is the id of a carrier that is not a group.
func (c *collector) account(a format.Account) int64 {
	id := hashID(a.Platform, a.ExternalID)
	if seen, ok := c.accounts[id]; !ok || seen.file <= c.file.id {
		c.accounts[id] = accountSeen{a, c.file.id}
	}
	return id
}

func (c *collector) Follows(f *format.Follows) error {
	id := c.account(f.Account)
	c.nCarrier++
	c.file.record(f.Line)
	c.follows.add(id, f.Day.UTC(), f.Source, nullCount(f.New), nullCount(f.Cancel), nullCount(f.Cumulate), c.file.id, f.Line)
	return c.maybeSend(&c.follows)
}

func (c *collector) Content(a *format.Content) error {
	id := c.account(a.Account)
	c.nCarrier++
	c.file.record(a.Line)
	c.content.add(id, a.ArticleID, a.Title, nullTime(a.Published.UTC()), a.Day.UTC(), a.Channel,
		nullCount(a.ReadUsers), nullCount(a.Reads), nullCount(a.OriginalReadUsers), nullCount(a.OriginalReads),
		nullCount(a.ShareUsers), nullCount(a.Shares), nullCount(a.FavUsers), nullCount(a.Favs), c.file.id, a.Line)
	return c.maybeSend(&c.content)
}

// roleKey is one role of one person in one group: exports repeat a title on
// every message, the staff table needs it once.
type roleKey struct {
	group, member int64
	role          string
}

func (c *collector) Role(r *format.Role) error {
	var gid int64 // 0: every group of the platform (a workspace admin)
	if r.Group.ExternalID != "" {
		gid = c.group(r.Group)
	}
	mid := c.person(r.Group.Platform, named(r.Person), 0, r.Time)
	if mid == 0 {
		return nil
	}
	c.file.record(r.Line)
	k := roleKey{gid, mid, r.Role}
	if c.rolesSeen[k] {
		return nil
	}
	c.rolesSeen[k] = true
	c.nRoles++
	c.roles.add(nullID(gid), mid, r.Role, nullTime(r.Time.UTC()), c.file.id, r.Line)
	return c.maybeSend(&c.roles)
}

func (c *collector) Presence(p *format.Presence) error {
	gid := c.group(p.Group)
	// A member list shows the name a person has in that group (a WeCom
	// group nickname): the nickname rules read it like a sender's. A
	// person the list names only is no sighting of that name (see Message).
	seenIn := gid
	if p.Member.UID == "" {
		seenIn = 0
	}
	mid := c.person(p.Group.Platform, named(p.Member), seenIn, p.AsOf)
	if mid == 0 {
		return nil
	}
	c.extend(gid, p.AsOf)
	c.nPresences++
	c.file.record(p.Line)
	c.presences.add(gid, mid, p.AsOf.UTC(), c.file.id, p.Line)
	return c.maybeSend(&c.presences)
}

// Statistic stages a platform's own counts; a later file's counts of the
// same owners and days replace an earlier one's.
func (c *collector) Statistic(s *format.Statistic) error {
	owners := make([]string, 0, len(s.Owners))
	for _, o := range s.Owners {
		if id := c.person(s.Platform, o, 0, s.Day); id != 0 {
			owners = append(owners, strconv.FormatInt(id, 10))
		}
	}
	slices.Sort(owners)
	ids := strings.Join(owners, ",")
	day := s.Day.Format(time.DateOnly)
	id := hashID(s.Platform, "statistic", ids, day, strconv.Itoa(s.Days))
	c.nStatistics++
	c.file.record(s.Line)
	c.statistics.add(id, s.Platform, ids, day, s.Day.UTC(), int64(s.Days),
		nullCount(s.NewGroups), nullCount(s.Groups), nullCount(s.GroupsWithMessages),
		nullCount(s.NewMembers), nullCount(s.Members), nullCount(s.MembersWithMessages), nullCount(s.Messages),
		c.file.id, s.Line)
	return c.maybeSend(&c.statistics)
}

// nullCount is a count, or NULL for one the export did not give (-1).
func nullCount(n int64) any {
	if n < 0 {
		return nil
	}
	return n
}

// record counts a roster, member-list, order, activity, role or statistic
// row.
func (f *fileTally) record(line int64) {
	f.cov.Records++
	f.lineSpans.at(line, lineRecord)
}

func (c *collector) UnknownNotice(line int64, raw string) error {
	c.file.unknownNotices++
	c.file.lineSpans.at(line, lineUnknown)
	if len(c.file.notices) < maxKeptRejects {
		c.file.notices = append(c.file.notices, format.Reject{Line: line, Reason: ReasonUnknownNotice, Raw: raw})
	}
	return nil
}

// ReasonUnknownNotice is the reason kept with a notice no table knows.
const ReasonUnknownNotice = "notice not understood"

func (c *collector) Reject(line int64, reason, raw string) error {
	c.file.rejected++
	c.file.lineSpans.at(line, lineRejected)
	if len(c.file.rejects) < maxKeptRejects {
		c.file.rejects = append(c.file.rejects, format.Reject{Line: line, Reason: reason, Raw: raw})
	}
	return nil
}

func (c *collector) maybeSend(b **batch) error {
	c.rows++
	c.file.rows++
	if !(*b).full() {
		return nil
	}
	full := *b
	*b = newBatch(full.table, full.width)
	return c.sendOther(full)
}

func (c *collector) sendMessages() error {
	full := c.msgs
	c.msgs = newMessageColumns()
	c.streaming = true
	c.progress(c.file, c.rows)
	select {
	case c.msgOut <- full:
		return nil
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
}

func (c *collector) sendOther(b *batch) error {
	c.progress(c.file, c.rows)
	if c.streaming {
		c.pending = append(c.pending, b.pack())
		return nil
	}
	select {
	case c.otherOut <- b:
		return nil
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
}

// finish sends what is left and closes both outputs: the message stream
// first, so the rows waiting for it can follow.
func (c *collector) finish(parseErr error) error {
	defer close(c.otherOut)
	err := parseErr
	if err == nil && c.msgs.len() > 0 {
		err = c.sendMessages()
	}
	close(c.msgOut)
	if err != nil {
		return err
	}
	c.streaming = false
	for i, p := range c.pending {
		c.pending[i] = nil
		if err := c.sendOther(p.unpack()); err != nil {
			return err
		}
	}
	pb, nb := c.people.batches()
	g := newBatch("stage_groups", 6)
	for id, grp := range c.groups {
		ext := c.extentOf(id)
		// A group no file named is named by its id until one does
		// (merge_people.sql keeps a name already known).
		g.add(id, grp.Platform, grp.ExternalID, cmp.Or(grp.Name, grp.ExternalID), nullTime(ext.first.UTC()), nullTime(ext.last.UTC()))
	}
	acc := newBatch("stage_accounts", 5)
	for id, a := range c.accounts {
		acc.add(id, a.Platform, a.ExternalID, a.Name, a.file)
	}
	batches := []*batch{c.events, c.orders, c.activities, c.roles, c.presences, c.statistics, c.follows, c.content, acc, pb, nb, g}
	if c.detector != nil {
		batches = append(batches, c.detector.batch())
	}
	for _, b := range batches {
		if b.rows() > 0 {
			if err := c.sendOther(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// span is the first and last message time of one group in a file.
type span struct{ first, last time.Time }

func (s *span) cover(t time.Time) {
	if s.first.IsZero() || t.Before(s.first) {
		s.first = t
	}
	if t.After(s.last) {
		s.last = t
	}
}

// extend notes that the data of group gid reaches t (events and
// presences; messages are noted in each file's spans).
func (c *collector) extend(gid int64, t time.Time) {
	s := c.eventExtent[gid]
	if s == nil {
		s = &span{}
		c.eventExtent[gid] = s
	}
	s.cover(t)
}

// extentOf is the stretch of time the load's rows of group gid cover.
func (c *collector) extentOf(gid int64) span {
	var all span
	if s := c.eventExtent[gid]; s != nil {
		all = *s
	}
	for _, f := range c.files {
		if s := f.spans[gid]; s != nil && !s.first.IsZero() {
			all.cover(s.first)
			all.cover(s.last)
		}
	}
	return all
}

func (c *collector) spanOf(gid int64) *span {
	s, ok := c.file.spans[gid]
	if !ok {
		s = &span{}
		c.file.spans[gid] = s
	}
	return s
}

// nDetected is how many activities the chat held.
func (c *collector) nDetected() int64 {
	if c.detector == nil {
		return 0
	}
	return int64(len(c.detector.found))
}
