package ingest

import (
	"time"

	"github.com/ckpi/ckpi/ingest/format"
)

// people sums up everyone a file mentions, so the staged rows of messages
// and events carry only ids. It grows with the number of people in the
// export, not with its size.
type people struct {
	byKey map[personKey]*personSeen
	names map[nameKey]time.Time
}

type personKey struct{ platform, uid string }

type personSeen struct {
	id                               int64
	platform, uid, name, customerKey string
	nameFile, customerKeyFile        int64 // the files that gave them
	first, last                      time.Time
	// The last (group, name) recorded in names and its first sighting:
	// people mostly keep a name, so most sightings skip that map. The time
	// is kept because files parsed side by side interleave their batches,
	// so a repeat of the same name may be an earlier sighting.
	namedGroup int64
	namedAs    string
	namedFirst time.Time
}

type nameKey struct {
	member, group int64
	name          string
}

func newPeople() *people {
	return &people{byKey: map[personKey]*personSeen{}, names: map[nameKey]time.Time{}}
}

// see records that a person was seen at t, under a name in a group when the
// group is known (group 0: seen in a roster, not in a chat).
// Of two names at the same time, the later file's wins, as if the files
// were loaded one after another.
func (ps *people) see(platform string, p format.Person, group, file int64, t time.Time) *personSeen {
	key := personKey{platform, p.UID}
	s, ok := ps.byKey[key]
	if !ok {
		s = &personSeen{id: hashID(platform, p.UID), platform: platform, uid: p.UID, first: t, last: t}
		ps.byKey[key] = s
	}
	if p.Name != "" && (s.name == "" || t.After(s.last) || t.Equal(s.last) && file >= s.nameFile) {
		s.name, s.nameFile = p.Name, file
	}
	if !t.IsZero() && (s.first.IsZero() || t.Before(s.first)) {
		s.first = t
	}
	if t.After(s.last) {
		s.last = t
	}
	if group != 0 && p.Name != "" && (group != s.namedGroup || p.Name != s.namedAs || t.Before(s.namedFirst)) {
		k := nameKey{s.id, group, p.Name}
		first, ok := ps.names[k]
		if !ok || t.Before(first) {
			ps.names[k], first = t, t
		}
		s.namedGroup, s.namedAs, s.namedFirst = group, p.Name, first
	}
	return s
}

// batches turns the summary into staging rows.
func (ps *people) batches() (*batch, *batch) {
	pb := newBatch("stage_people", 7)
	for _, s := range ps.byKey {
		pb.add(s.id, s.platform, s.uid, nullString(s.name), nullString(s.customerKey), nullTime(s.first), nullTime(s.last))
	}
	nb := newBatch("stage_member_names", 4)
	for k, t := range ps.names {
		nb.add(k.member, k.group, k.name, t.UTC())
	}
	return pb, nb
}
