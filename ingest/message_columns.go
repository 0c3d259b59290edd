package ingest

import "strings"

// mentionSep joins a message's mentions into one staged string; the insert
// statement splits it back into a list. Unit separator: never in a name.
const mentionSep = "\x1f"

// messageColumns is a batch of messages by column: the one shape both load
// paths (Arrow, chunk table function) read. Zero member or reply ids mean
// NULL; timestamps are UTC microseconds.
type messageColumns struct {
	id, group, member, tsMicros, replyTo, line, file []int64
	kind, text, mentions                             []string
}

func newMessageColumns() *messageColumns {
	return &messageColumns{
		id: make([]int64, 0, batchRows), group: make([]int64, 0, batchRows),
		member: make([]int64, 0, batchRows), tsMicros: make([]int64, 0, batchRows),
		replyTo: make([]int64, 0, batchRows), line: make([]int64, 0, batchRows), file: make([]int64, 0, batchRows),
		kind: make([]string, 0, batchRows), text: make([]string, 0, batchRows),
		mentions: make([]string, 0, batchRows),
	}
}

func (c *messageColumns) add(id, group, member, tsMicros, replyTo, line, file int64, kind, text string, mentions []string) {
	c.id = append(c.id, id)
	c.group = append(c.group, group)
	c.member = append(c.member, member)
	c.tsMicros = append(c.tsMicros, tsMicros)
	c.replyTo = append(c.replyTo, replyTo)
	c.line = append(c.line, line)
	c.file = append(c.file, file)
	c.kind = append(c.kind, kind)
	c.text = append(c.text, text)
	c.mentions = append(c.mentions, strings.Join(mentions, mentionSep))
}

func (c *messageColumns) len() int   { return len(c.id) }
func (c *messageColumns) full() bool { return len(c.id) >= batchRows }

// messageColumnNames are the columns of the stream, in order: the first
// intColumns are BIGINT, the rest VARCHAR.
var messageColumnNames = []string{"message_id", "group_id", "member_id", "ts_us", "reply_to", "line", "file_id", "kind", "text", "mentions"}

const intColumns = 7

// intCols and textCols are the batch's columns in the order of messageColumnNames.
func (c *messageColumns) intCols() [][]int64 {
	return [][]int64{c.id, c.group, c.member, c.tsMicros, c.replyTo, c.line, c.file}
}

func (c *messageColumns) textCols() [][]string { return [][]string{c.kind, c.text, c.mentions} }
