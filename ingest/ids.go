package ingest

import (
	"encoding/binary"
	"strconv"

	"github.com/ckpi/ckpi/ingest/format"
	"github.com/zeebo/xxh3"
)

// hashID turns a natural key into a positive 63-bit id: positive because
// database/sql refuses uint64 values with the high bit set. The chance of any
// collision among 10^8 keys is about 5e-4; the same key always gives the same id.
func hashID(parts ...string) int64 {
	var key [128]byte // keys are short: no allocation on the per-message path
	b := key[:0]
	for _, p := range parts {
		b = append(b, p...)
		b = append(b, 0)
	}
	return int64(xxh3.Hash(b) >> 1)
}

// groupID is a group's stable key in the database.
func groupID(g format.Group) int64 { return hashID(g.Platform, g.ExternalID) }

// messageID keys a message by where, who, when and what it said, plus its
// rank among identical messages in the same second, so a later export that
// overlaps an earlier one yields the same ids for the shared part.
func messageID(groupID int64, senderUID string, unix int64, text string, dup int) int64 {
	var buf [24]byte
	binary.LittleEndian.PutUint64(buf[0:], uint64(groupID))
	binary.LittleEndian.PutUint64(buf[8:], uint64(unix))
	binary.LittleEndian.PutUint64(buf[16:], uint64(dup))
	h := xxh3.New()
	h.Write(buf[:])
	h.WriteString(senderUID)
	h.Write([]byte{0})
	h.WriteString(text)
	return int64(h.Sum64() >> 1)
}

// messageKeyPrefix is the start of the keys of a group's messages, which
// the collector keeps for the group it is in rather than format the group
// id again for every message.
func messageKeyPrefix(groupID int64) []byte {
	return append(strconv.AppendInt(nil, groupID, 10), "\x00msg\x00"...)
}

// externalMessageIDAfter keys a message by the id its platform gave it,
// after its group's messageKeyPrefix: hashID(strconv.FormatInt(groupID, 10),
// "msg", id) without allocating, for every Telegram, Discord and Slack
// message.
func externalMessageIDAfter(prefix []byte, id string) int64 {
	var key [128]byte
	b := append(append(append(key[:0], prefix...), id...), 0)
	return int64(xxh3.Hash(b) >> 1)
}
