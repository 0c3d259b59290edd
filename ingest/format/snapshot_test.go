package format

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const rosters = "../../testdata/rosters"

// writeXLSXFixtures writes the two QQ member-list workbooks, following the
// layouts of the tools that export them (see QQMembers); run with -update.
func writeXLSXFixtures(t *testing.T) {
	t.Helper()
	write := func(name, sheet string, created string, rows [][]any) {
		f := excelize.NewFile()
		defer f.Close()
		if sheet != "Sheet1" {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				t.Fatal(err)
			}
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		if created != "" {
			if err := f.SetDocProps(&excelize.DocProperties{Created: created, Modified: created, Creator: "openpyxl"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SaveAs(filepath.Join(rosters, name)); err != nil {
			t.Fatal(err)
		}
	}
	// bmqy/qq-group-manager: json_to_sheet of the chosen fields, numbers as
	// numbers, times "YYYY-mm-dd HH:MM"; SheetJS states no creation time.
	write("QQ群成员列表-星河产品交流群.xlsx", "Sheet1", "", [][]any{
		{"uin", "role", "nick", "card", "g", "qage", "join_time", "last_speak_time"},
		{10001, "群主", "小美", "小美|官方客服|上海", "女", 12, "2026-06-01 10:00", "2026-10-25 21:00"},
		{1001, "管理员", "星河张伟", "张伟|星河科技|杭州", "男", 9, "2026-06-02 10:00", "2026-10-24 20:00"},
		{1002, "群员", "王芳", "", "女", 5, "2026-07-15 09:30", "2026-08-01 12:00"},
		{1003, "群员", "李娜", "李娜", "女", 3, "2026-10-20 18:45", "1970-01-01 08:00"},
	})
	// Futureppo/astrbot_plugin_group_information: OneBot's member fields
	// through pandas and openpyxl (which stamps dcterms:created in UTC).
	write("群聊123456789的4名成员的数据.xlsx", "Group_123456789", "2026-10-26T01:30:00Z", [][]any{
		{"group_id", "user_id", "nickname", "card", "sex", "age", "area", "join_time", "last_sent_time", "level", "role", "unfriendly", "title", "title_expire_time", "card_changeable", "shut_up_timestamp"},
		{123456789, 10001, "小美", "小美|官方客服|上海", "female", 0, "", "2026-06-01 10:00:00", "2026-10-25 21:00:00", "100", "owner", false, "", "0000-00-00 00:00:00", false, "0000-00-00 00:00:00"},
		{123456789, 1001, "星河张伟", "张伟|星河科技|杭州", "male", 0, "", "2026-06-02 10:00:00", "2026-10-24 20:00:00", "40", "admin", false, "", "0000-00-00 00:00:00", false, "0000-00-00 00:00:00"},
		{123456789, 1002, "王芳", "", "female", 0, "", "0000-00-00 00:00:00", "2026-08-01 12:00:00", "1", "member", false, "", "0000-00-00 00:00:00", false, "0000-00-00 00:00:00"},
		{123456789, 1003, "李娜", "李娜", "unknown", 0, "", "2026-10-20 18:45:00", "0000-00-00 00:00:00", "1", "member", false, "", "0000-00-00 00:00:00", false, "0000-00-00 00:00:00"},
	})
}

func TestWriteXLSXFixtures(t *testing.T) {
	if !*update {
		t.Skip("writes testdata/rosters/*.xlsx with -update")
	}
	writeXLSXFixtures(t)
}

// parseFile parses a fixture as the loader does: decoded, detected.
func parseDetected(t *testing.T, path string, in Input) (*recorder, Format, error) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	text, _ := Decode(bufio.NewReaderSize(file, HeadSize))
	head, _ := text.Peek(HeadSize)
	f, err := Detect(path, head)
	if err != nil {
		return nil, nil, err
	}
	in.Path, in.R = path, text
	if in.TZ == nil {
		in.TZ = time.UTC
	}
	rec := &recorder{}
	return rec, f, f.Parse(context.Background(), in, rec)
}

func TestQQMemberLists(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	asOf := time.Date(2026, 10, 26, 9, 0, 0, 0, sh)
	for _, c := range []struct {
		file     string
		asOf     time.Time // --as-of
		group    string
		wantAsOf time.Time
		err      string
	}{
		{"QQ群成员列表-星河产品交流群.xlsx", asOf, "星河产品交流群", asOf, ""},
		{"QQ群成员列表-星河产品交流群.xlsx", time.Time{}, "", time.Time{}, "qq-members ../../testdata/rosters/QQ群成员列表-星河产品交流群.xlsx:1: the list states no time it was taken: pass --as-of"},
		// the workbook's own stamp wins over --as-of
		{"群聊123456789的4名成员的数据.xlsx", asOf, "123456789", time.Date(2026, 10, 26, 1, 30, 0, 0, time.UTC), ""},
		{"群聊123456789的4名成员的数据.xlsx", time.Time{}, "123456789", time.Date(2026, 10, 26, 1, 30, 0, 0, time.UTC), ""},
		{"qq_member_page.tsv", time.Time{}, "", time.Time{}, "the list names no group"},
	} {
		t.Run(c.file, func(t *testing.T) {
			rec, f, err := parseDetected(t, filepath.Join(rosters, c.file), Input{TZ: sh, AsOf: c.asOf})
			if f == nil || f.Name() != "qq-members" {
				t.Fatalf("detected %v (%v), want qq-members", f, err)
			}
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rec.presence {
				if p.Group.ExternalID != c.group || !p.AsOf.Equal(c.wantAsOf) {
					t.Errorf("presence %+v, want group %s as of %s", p, c.group, c.wantAsOf)
				}
				got = append(got, fmt.Sprintf("%d:%s=%s", p.Line, p.Member.UID, p.Member.Name))
			}
			// the card when set, else the nickname
			if want := "2:10001=小美|官方客服|上海 3:1001=张伟|星河科技|杭州 4:1002=王芳 5:1003=李娜"; strings.Join(got, " ") != want {
				t.Errorf("presences %v, want %s", got, want)
			}
			var joins []string
			for _, e := range rec.events {
				joins = append(joins, e.Member.UID+"@"+e.Time.UTC().Format(time.RFC3339)+"/"+e.Source)
			}
			want := "10001@2026-06-01T02:00:00Z/unknown 1001@2026-06-02T02:00:00Z/unknown 1002@2026-07-15T01:30:00Z/unknown 1003@2026-10-20T10:45:00Z/unknown"
			if strings.HasPrefix(c.file, "群聊") {
				want = "10001@2026-06-01T02:00:00Z/unknown 1001@2026-06-02T02:00:00Z/unknown 1003@2026-10-20T10:45:00Z/unknown" // 1002: 0000-00-00
			}
			if strings.Join(joins, " ") != want {
				t.Errorf("joins %v\nwant %s", joins, want)
			}
			var roles []string
			for _, r := range rec.roles {
				roles = append(roles, r.Person.UID+"="+r.Role)
			}
			if strings.Join(roles, " ") != "10001=owner 1001=admin" {
				t.Errorf("roles %v", roles)
			}
			if len(rec.rejects) != 0 {
				t.Errorf("rejects %v", rec.rejects)
			}
		})
	}
	// The page copied as text, with the moment given.
	rec, _, err := parseDetected(t, filepath.Join(rosters, "qq_member_page.tsv"), Input{TZ: sh, AsOf: asOf})
	if err == nil || !strings.Contains(err.Error(), "add a 群号 or 群名 column, or name the file QQ群成员列表-<群名>.xlsx") {
		t.Fatalf("err = %v", err)
	}
	_ = rec
	page, err := os.ReadFile(filepath.Join(rosters, "qq_member_page.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	named := filepath.Join(t.TempDir(), "QQ群成员列表-星河产品交流群.tsv")
	if err := os.WriteFile(named, page, 0o644); err != nil {
		t.Fatal(err)
	}
	rec, _, err = parseDetected(t, named, Input{TZ: sh, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.presence) != 3 || rec.presence[1].Member != (Person{UID: "1001", Name: "张伟|星河科技|杭州"}) || rec.presence[2].Member.Name != "王芳" {
		t.Errorf("page presences %+v", rec.presence)
	}
	if len(rec.events) != 3 || !rec.events[2].Time.Equal(time.Date(2026, 7, 15, 0, 0, 0, 0, sh)) {
		t.Errorf("page joins %+v", rec.events)
	}
}

func TestMembersSnapshot(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	rec, f, err := parseDetected(t, filepath.Join(rosters, "members_snapshot.csv"), Input{TZ: sh})
	if err != nil || f.Name() != "members-snapshot" {
		t.Fatalf("%v %v", f, err)
	}
	asOf := time.Date(2026, 10, 26, 9, 0, 0, 0, sh)
	if len(rec.presence) != 3 {
		t.Fatalf("presences %+v", rec.presence)
	}
	for i, uid := range []string{"10001", "1001", "1002"} {
		if p := rec.presence[i]; p.Member.UID != uid || !p.AsOf.Equal(asOf) || p.Group.ExternalID != "星河产品交流群" || p.Line != int64(i+2) {
			t.Errorf("presence %d = %+v", i, p)
		}
	}
	if len(rec.events) != 2 || rec.events[1].Member.UID != "1001" || !rec.events[1].Time.Equal(time.Date(2026, 6, 2, 10, 0, 0, 0, sh)) {
		t.Errorf("joins %+v", rec.events)
	}
	if len(rec.roles) != 2 || rec.roles[0].Role != RoleOwner || rec.roles[1].Role != RoleAdmin {
		t.Errorf("roles %+v", rec.roles)
	}
	if len(rec.rejects) != 1 || rec.rejects[0].Line != 5 || !strings.Contains(rec.rejects[0].Reason, "joined_at 2026-10-27T10:00:00+08:00 is after the list was taken (2026-10-26T09:00:00+08:00)") {
		t.Errorf("rejects %+v", rec.rejects)
	}
	// Without an as_of column the moment comes from --as-of, else an error.
	text := "group,member_id,name\nG,1,A\n"
	if _, err := parseString(t, MembersSnapshot{}, text); err == nil || !strings.Contains(err.Error(), "--as-of") {
		t.Errorf("err = %v", err)
	}
	r := &recorder{}
	err = MembersSnapshot{}.Parse(context.Background(), Input{Path: "s.csv", R: strings.NewReader(text), TZ: time.UTC, AsOf: asOf}, r)
	if err != nil || len(r.presence) != 1 || !r.presence[0].AsOf.Equal(asOf) || r.presence[0].Group.Platform != "qq" {
		t.Errorf("%v %+v", err, r.presence)
	}
}
