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
	names map[nameKey]*nameSeen
}

type personKey struct{ platform, uid string }

type personSeen struct {
	id                               int64
	platform, uid, name, customerKey string
	nameFile, customerKeyFile        int64 // the files that gave them
	first, last                      time.Time
	// The (group, name) the person was last seen under and its entry in
	// names: people mostly keep a name in a group, so most sightings
	// update it without a map lookup.
	namedGroup int64
	namedAs    string
	named      *nameSeen
	// the files that counted this person for their coverage: the first,
	// and the last (most rows follow the same file's)
	firstFile, lastFile *fileTally
}

type nameKey struct {
	member, group int64
	name          string
}

// nameSeen is when a person was first and last seen under a name in a
// group: the loader resolves a notice that names someone to the person
// seen under that name nearest its time.
type nameSeen struct{ first, last time.Time }

func newPeople() *people {
	return &people{byKey: map[personKey]*personSeen{}, names: map[nameKey]*nameSeen{}}
}

// see records that a person was seen at t, under a name in a group when the
// group is known (group 0: seen in a roster or a notice, not in a chat).
// Of two names at the same time, the later file's wins, as if the files
// were loaded one after another. Files parsed side by side interleave their
// batches, so a sighting may be earlier than one already recorded.
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
	if group != 0 && p.Name != "" {
		if group != s.namedGroup || p.Name != s.namedAs {
			k := nameKey{s.id, group, p.Name}
			n := ps.names[k]
			if n == nil {
				n = &nameSeen{first: t, last: t}
				ps.names[k] = n
			}
			s.named, s.namedGroup, s.namedAs = n, group, p.Name
		}
		if t.Before(s.named.first) {
			s.named.first = t
		}
		if t.After(s.named.last) {
			s.named.last = t
		}
	}
	return s
}

// batches turns the summary into staging rows.
func (ps *people) batches() (*batch, *batch) {
	pb := newBatch("stage_people", 7)
	for _, s := range ps.byKey {
		pb.add(s.id, s.platform, s.uid, nullString(s.name), nullString(s.customerKey), nullTime(s.first), nullTime(s.last))
	}
	nb := newBatch("stage_member_names", 5)
	for k, n := range ps.names {
		nb.add(k.member, k.group, k.name, n.first.UTC(), n.last.UTC())
	}
	return pb, nb
}
