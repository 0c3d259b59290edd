package ingest_test

import (
	"os"
	"path/filepath"
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
		"removed": "wxid_a by ",        // 小王 of 10:00, not 小王 of 15:00
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
