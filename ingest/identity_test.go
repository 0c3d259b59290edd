package ingest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ckpi/ckpi/ingest"
)

// WeChat notices name people by nickname while their messages carry a
// wxid: a notice's name resolves to the person seen under it in the group
// at that time; when two people bore the name, the nearer in time is
// chosen and the case recorded; a name nobody spoke under stays a person
// of its own.
func TestNoticeNamesResolveToPeople(t *testing.T) {
	csv := `time,sender,content,group,sender_id
2026-11-16 08:00:00,系统消息,"""王芳""邀请""老张""加入了群聊",星河群,
2026-11-16 09:00:00,小王,早,星河群,wxid_a
2026-11-16 10:00:00,小王,加我微信 看广告,星河群,wxid_a
2026-11-16 10:05:00,系统消息,"""王芳""将""小王""移出了群聊",星河群,
2026-11-16 11:00:00,小李,我先走了,星河群,wxid_c
2026-11-16 12:00:00,系统消息,"""小李""退出了群聊",星河群,
2026-11-16 15:00:00,小王,大家好,星河群,wxid_b
2026-11-16 16:00:00,小王,有人吗?,星河群,wxid_b
2026-11-16 17:00:00,王芳,欢迎,星河群,wxid_f
`
	path := filepath.Join(t.TempDir(), "chat.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	db := openDB(t)
	if r := load(t, db, path, ingest.Options{Format: "wechat-plain-csv"}); r.Err != nil {
		t.Fatal(r.Err)
	}
	events := map[string]string{} // kind -> member uid / actor or inviter uid
	rows, err := db.Query(`SELECT e.kind, m.platform_uid, coalesce(a.platform_uid, i.platform_uid, '')
		FROM membership_events e JOIN members m ON m.member_id = e.member_id
		LEFT JOIN members a ON a.member_id = e.actor_id LEFT JOIN members i ON i.member_id = e.inviter_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var kind, member, by string
		if err := rows.Scan(&kind, &member, &by); err != nil {
			t.Fatal(err)
		}
		events[kind] = member + " by " + by
	}
	rows.Close()
	want := map[string]string{
		"join":    "name:老张 by wxid_f", // nobody spoke as 老张; 王芳 did
		"removed": "wxid_a by wxid_f",  // 小王 of 10:00, not 小王 of 15:00
		"leave":   "wxid_c by ",        // the only 小李
	}
	for kind, w := range want {
		if events[kind] != w {
			t.Errorf("%s: %q, want %q", kind, events[kind], w)
		}
	}
	// The removal's name had two candidates: recorded, with the choice.
	if n := count(t, db, `SELECT count(*) FROM identity_ambiguities a JOIN members c ON c.member_id = a.chosen
		WHERE a.name = '小王' AND a.role = 'member' AND len(a.candidates) = 2 AND c.platform_uid = 'wxid_a'`); n != 1 {
		t.Errorf("ambiguities recorded = %d, want 1", n)
	}
	// wxid_a's membership ends at the removal; wxid_c's at the leave; the
	// two who only spoke have been members since before the data.
	if n := count(t, db, `SELECT count(*) FROM memberships s JOIN members m USING (member_id)
		WHERE (m.platform_uid = 'wxid_a' AND s.end_kind = 'removed' AND s.start_ts IS NULL)
		   OR (m.platform_uid = 'wxid_c' AND s.end_kind = 'leave')
		   OR (m.platform_uid IN ('wxid_b', 'wxid_f') AND s.end_ts IS NULL AND s.start_ts IS NULL)`); n != 4 {
		t.Errorf("memberships as expected: %d of 4", n)
	}
}

// Membership stretches from the evidence a chat export gives: a member who
// speaks with no join recorded has been one since before the data; a
// leave closes the stretch; speaking again with no join announced is a
// rejoin from that message on; a join opens a stretch with its source.
func TestMembershipStretches(t *testing.T) {
	qq := `消息记录（此消息记录为文本格式，不支持重新导入）

================================================================
消息分组:我的QQ群
================================================================
消息对象:测试群
================================================================

2026-11-02 10:00:00 甲(2001)
早

2026-11-03 10:00:00 系统消息(10000)
甲(2001)退出本群

2026-11-05 10:00:00 甲(2001)
我又回来了

2026-11-05 11:00:00 系统消息(10000)
甲(2001)邀请乙(2002)加入本群

2026-11-05 11:05:00 乙(2002)
谢谢

2026-11-06 09:00:00 系统消息(10000)
乙(2002)退出本群

2026-11-06 09:00:00 系统消息(10000)
丙(2003)退出本群
`
	path := filepath.Join(t.TempDir(), "qq.txt")
	if err := os.WriteFile(path, []byte(qq), 0o644); err != nil {
		t.Fatal(err)
	}
	db := openDB(t)
	if r := load(t, db, path, ingest.Options{}); r.Err != nil {
		t.Fatal(r.Err)
	}
	rows, err := db.Query(`SELECT m.platform_uid, coalesce(strftime(s.start_ts, '%m-%d %H:%M'), 'before'),
			coalesce(s.source, ''), coalesce(strftime(s.end_ts, '%m-%d %H:%M'), 'now'), coalesce(s.end_kind, '')
		FROM memberships s JOIN members m USING (member_id) ORDER BY 1, s.start_ts NULLS FIRST`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var uid, start, source, end, kind string
		if err := rows.Scan(&uid, &start, &source, &end, &kind); err != nil {
			t.Fatal(err)
		}
		got = append(got, uid+" "+start+" "+source+" "+end+" "+kind)
	}
	rows.Close()
	// Times are UTC: Shanghai minus 8 hours.
	want := []string{
		"2001 before  11-03 02:00 leave",              // spoke first, then left
		"2001 11-05 02:00 inferred now ",              // back without a join notice
		"2002 11-05 03:00 referral 11-06 01:00 leave", // invited by 甲, left
		"2003 before  11-06 01:00 leave",              // never seen before leaving
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stretches:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
