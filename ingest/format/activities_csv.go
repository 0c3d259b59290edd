package format

import (
	"context"
	"fmt"
	"strings"
)

// ActivitiesCSV reads an activity schedule:
//
//	platform,group,time,type,title
//
// type is checkin, sharing, vote, event, talent_show, discussion or other.
// Activities held in chat are also found from message patterns at load time.
type ActivitiesCSV struct{}

func (ActivitiesCSV) Name() string { return "activities-csv" }

var (
	activitiesRequired = []string{"group", "time", "type"}
	activitiesOptional = []string{"platform", "title"}
)

func (ActivitiesCSV) Detect(_ string, head []byte) bool {
	return headerHas(head, activitiesRequired...)
}

func (f ActivitiesCSV) Parse(ctx context.Context, in Input, sink Sink) error {
	t, err := openCSV(in, f.Name(), activitiesRequired, activitiesOptional)
	if err != nil {
		return err
	}
	return t.each(ctx, sink, func(rec []string) (string, error) {
		a, reason := f.row(t, rec, in)
		if reason != "" {
			return reason, nil
		}
		return "", sink.Activity(&a)
	})
}

func (ActivitiesCSV) row(t *csvTable, rec []string, in Input) (Activity, string) {
	platform := strings.ToLower(t.get(rec, "platform"))
	if platform == "" {
		platform = "qq"
	}
	group := t.get(rec, "group")
	if group == "" {
		return Activity{}, "empty group"
	}
	ts, err := parseTime(t.get(rec, "time"), in.TZ)
	if err != nil {
		return Activity{}, "time: " + err.Error()
	}
	typ := strings.ToLower(t.get(rec, "type"))
	if !ActivityTypes[typ] {
		return Activity{}, fmt.Sprintf("unknown activity type %q", typ)
	}
	return Activity{
		Group: Group{Platform: platform, ExternalID: group, Name: group},
		Time:  ts, Type: typ, Title: t.get(rec, "title"), Line: t.line,
	}, ""
}
