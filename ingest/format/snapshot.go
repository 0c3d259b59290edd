package format

// Member-list snapshots: who was in a group at a moment. Each listed member
// is a Presence as of that moment; a join time the list gives is a join
// Event; a role it states (群主, 管理员) is a Role.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// MembersSnapshot reads a member list in ckpi's generic layout:
//
//	platform,group,member_id,name,as_of[,joined_at][,role]
//
// as_of is when the list was taken (a column, or --as-of for a file
// without one); joined_at, when given, is a join. The headers may be
// written as back offices do (群名称, 会员ID, 昵称, 快照时间/导出时间, 入群时间...).
type MembersSnapshot struct {
	Map *TableMapping // from --mapping
}

func (MembersSnapshot) Name() string { return "members-snapshot" }

var snapshotSpec = &tableSpec{
	format: "members-snapshot",
	required: []tableField{
		membersSpec.required[0], // group
		membersSpec.required[1], // member_id
	},
	optional: []tableField{
		{"as_of", []string{"快照时间", "导出时间", "统计时间", "snapshot_at", "snapshot_time", "exported_at"}},
		membersSpec.optional[0], // platform
		membersSpec.optional[1], // name
		membersSpec.required[2], // joined_at
		{"role", []string{"群职务", "角色", "身份", "职务"}},
	},
}

func (MembersSnapshot) Detect(_ string, head []byte) bool {
	return snapshotSpec.detect(head, "member_id", "as_of")
}

func (f MembersSnapshot) Parse(ctx context.Context, in Input, sink Sink) error {
	t, err := openTable(in, snapshotSpec, f.Map)
	if err != nil {
		return err
	}
	if !t.has("as_of") && in.AsOf.IsZero() {
		return &ParseError{Format: snapshotSpec.format, Path: in.Path, Line: 1, Msg: "a member list needs the moment it was taken: an as_of column (also 快照时间/导出时间), or --as-of 'YYYY-MM-DD HH:MM'"}
	}
	return t.each(ctx, sink, func(rec []string) (string, error) {
		platform := strings.ToLower(t.get(rec, "platform"))
		if platform == "" {
			platform = f.Map.platform()
		}
		group := t.get(rec, "group")
		g := Group{Platform: platform, ExternalID: group, Name: group}
		asOf := in.AsOf
		if s := t.get(rec, "as_of"); s != "" {
			if asOf, err = f.Map.time(s, in.Location(g)); err != nil {
				return "as_of: " + err.Error(), nil
			}
		}
		return listed(sink, f.Map, t, rec, g, asOf, Person{UID: t.id(rec, "member_id"), Name: t.get(rec, "name")}, in)
	})
}

// listed emits one member of a list, or says why the row is rejected.
func listed(sink Sink, m *TableMapping, t *boTable, rec []string, g Group, asOf time.Time, p Person, in Input) (string, error) {
	if g.ExternalID == "" || p.UID == "" {
		return "empty group or member id", nil
	}
	if asOf.IsZero() {
		return "empty as_of: when the list was taken (or pass --as-of)", nil
	}
	var joined time.Time
	if s := t.get(rec, "joined_at"); s != "" && !zeroTime(s) {
		var err error
		if joined, err = m.time(s, in.Location(g)); err != nil {
			if serial, ok := excelSerial(s); ok {
				joined = excelTime(serial, in.Location(g))
			} else {
				return "joined_at: " + err.Error(), nil
			}
		}
		if joined.After(asOf) {
			return fmt.Sprintf("joined_at %s is after the list was taken (%s)", joined.Format(time.RFC3339), asOf.Format(time.RFC3339)), nil
		}
	}
	if err := sink.Presence(&Presence{Group: g, Member: p, AsOf: asOf, Line: t.line}); err != nil {
		return "", err
	}
	if !joined.IsZero() {
		if err := sink.Event(&Event{Group: g, Member: p, Time: joined, Kind: EventJoin, Source: SourceUnknown, Line: t.line}); err != nil {
			return "", err
		}
	}
	if role := listRole(t.get(rec, "role")); role != "" {
		return "", sink.Role(&Role{Group: g, Person: p, Role: role, Time: asOf, Line: t.line})
	}
	return "", nil
}

// zeroTime tells the placeholders exporters write for "no time": OneBot's
// 0000-00-00 00:00:00, a Unix 0 shown in a local zone (1970-01-01 08:00).
func zeroTime(s string) bool {
	return strings.HasPrefix(s, "0000") || strings.HasPrefix(s, "1970-01-01") || strings.HasPrefix(s, "1970/01/01") || s == "0"
}

// listRole maps the roles member lists state: qun.qq.com's 群主/管理员/群员
// (bmqy/qq-group-manager getRoleText), OneBot's owner/admin/member.
func listRole(s string) string {
	switch headerKey(s) {
	case "群主", "owner", "创建者":
		return RoleOwner
	case "管理员", "admin", "administrator":
		return RoleAdmin
	}
	return ""
}

// QQMembers reads a QQ group's member list as the tools that export it
// write it, as .xlsx, .csv or tab-separated text (a table copied from
// qun.qq.com/member.html):
//
//   - bmqy/qq-group-manager (src/app.vue, the qun.qq.com search_group_members
//     list): QQ群成员列表-<群名>.xlsx, one sheet, header the API's names of the
//     fields chosen (uin, role, nick, card, g, qage, join_time, lv,
//     last_speak_time), roles 群主/管理员/群员, times "YYYY-mm-dd HH:MM" in the
//     exporting browser's zone;
//   - Futureppo/astrbot_plugin_group_information (main.py, OneBot
//     get_group_member_list through pandas/openpyxl): 群聊<群号>的<n>名成员的数据.xlsx,
//     a sheet Group_<群号> (or one sheet G<群号> per group), columns group_id,
//     user_id, nickname, card, sex, age, join_time, last_sent_time, level,
//     role (owner/admin/member), title; times "%Y-%m-%d %H:%M:%S", a missing
//     one "0000-00-00 00:00:00"; openpyxl stamps the workbook with the
//     moment it was written (docProps/core.xml dcterms:created);
//   - the member page's own column titles: 成员, 群名片/群昵称, QQ号, 性别, Q龄,
//     入群时间, 等级(积分), 最后发言.
//
// The group is the file's group column (群号, group_id, 群名), else the name
// in the file name or sheet name; the list was taken at the file's as_of
// column, else the workbook's creation time, else --as-of. A member's name
// is the group card (what QQ shows in chat) or, without one, the nickname.
type QQMembers struct {
	Map *TableMapping // from --mapping
}

func (QQMembers) Name() string { return "qq-members" }

var qqMembersSpec = &tableSpec{
	format: "qq-members",
	required: []tableField{
		{"member_id", []string{"QQ号", "QQ", "uin", "user_id", "QQ号码", "账号"}},
	},
	optional: []tableField{
		{"group", []string{"group_id", "群号", "群号码", "群名", "群名称", "group_name", "group"}},
		{"card", []string{"群名片", "群昵称", "card", "group_card"}},
		{"name", []string{"昵称", "nick", "nickname", "成员", "用户昵称", "QQ昵称"}},
		{"role", []string{"群职务", "角色", "身份", "role"}},
		{"joined_at", []string{"入群时间", "加群时间", "join_time", "加入时间"}},
		{"last_spoke", []string{"最后发言", "最后发言时间", "last_speak_time", "last_sent_time"}},
		{"qage", []string{"Q龄", "qage"}},
		{"level", []string{"等级(积分)", "等级", "lv", "level"}},
		{"gender", []string{"性别", "g", "sex"}},
		{"as_of", snapshotSpec.optional[0].aliases},
	},
}

// qqListColumns are the columns only a QQ member list has: one of them
// tells it from a roster.
var qqListColumns = []string{"card", "last_spoke", "qage", "level"}

func (QQMembers) Detect(name string, head []byte) bool {
	if isZip(head) {
		if !strings.EqualFold(filepath.Ext(name), ".xlsx") {
			return false
		}
		header, err := xlsxHeader(name)
		return err == nil && qqMembersHeader(header)
	}
	header := firstRecord(head)
	return header != nil && qqMembersHeader(header)
}

func qqMembersHeader(header []string) bool {
	cols := qqMembersSpec.matchHeader(header)
	if len(cols["member_id"]) == 0 {
		return false
	}
	for _, c := range qqListColumns {
		if len(cols[c]) > 0 {
			return true
		}
	}
	return false
}

func isZip(head []byte) bool { return len(head) >= 4 && string(head[:4]) == "PK\x03\x04" }

// maxXLSX bounds a member-list workbook: the largest QQ group holds 3,000
// members, a few hundred KiB.
const maxXLSX = 64 << 20

func openXLSX(path string) (*excelize.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxXLSX {
		return nil, fmt.Errorf("a workbook of %d MB: too large for a member list", st.Size()>>20)
	}
	return excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 16 * maxXLSX, UnzipXMLSizeLimit: 4 * maxXLSX, RawCellValue: true})
}

// xlsxHeader is the first row of the first sheet.
func xlsxHeader(path string) ([]string, error) {
	f, err := openXLSX(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, io.EOF
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, io.EOF
	}
	return rows.Columns()
}

var (
	// QQ群成员列表-星河产品交流群.xlsx, also "... (1).xlsx" as browsers rename.
	qqListFileName = regexp.MustCompile(`^QQ群成员列表-(.+?)(?: ?\(\d+\))?$`)
	// 群聊123456的87名成员的数据.xlsx
	astrbotFileName = regexp.MustCompile(`^群聊(\d+)的\d+名成员的数据`)
	// Group_123456, G123456
	groupSheetName = regexp.MustCompile(`^(?:Group_|G)(\d+)$`)
)

// groupFromName finds a group in a file or sheet name.
func groupFromName(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	for _, re := range []*regexp.Regexp{qqListFileName, astrbotFileName, groupSheetName} {
		if m := re.FindStringSubmatch(base); m != nil {
			return strings.TrimSpace(m[1])
		}
	}
	return ""
}

func (f QQMembers) Parse(ctx context.Context, in Input, sink Sink) error {
	if in.R == nil {
		return f.parseXLSX(ctx, in, sink)
	}
	br := bufferedInput(in.R)
	if head, _ := br.Peek(4); isZip(head) {
		return f.parseXLSX(ctx, in, sink)
	}
	in.R = br
	t, err := openTable(in, qqMembersSpec, f.Map)
	if err != nil {
		return err
	}
	l := qqList{f: f, in: in, sink: sink, t: t, fileGroup: groupFromName(in.Path)}
	if err := l.check(1); err != nil {
		return err
	}
	return t.each(ctx, sink, l.row)
}

// qqList reads the rows of one list (a CSV, or a sheet).
type qqList struct {
	f         QQMembers
	in        Input
	sink      Sink
	t         *boTable
	fileGroup string    // from the file or sheet name
	created   time.Time // the workbook's own time
}

// check refuses a list whose group or moment cannot be known.
func (l *qqList) check(line int64) error {
	if !l.t.has("group") && l.fileGroup == "" {
		return &ParseError{Format: qqMembersSpec.format, Path: l.in.Path, Line: line,
			Msg: "the list names no group: add a 群号 or 群名 column, or name the file QQ群成员列表-<群名>.xlsx"}
	}
	if !l.t.has("as_of") && l.created.IsZero() && l.in.AsOf.IsZero() {
		return &ParseError{Format: qqMembersSpec.format, Path: l.in.Path, Line: line,
			Msg: "the list states no time it was taken: pass --as-of 'YYYY-MM-DD HH:MM'"}
	}
	return nil
}

func (l *qqList) row(rec []string) (string, error) {
	t := l.t
	group := t.get(rec, "group")
	if group == "" {
		group = l.fileGroup
	}
	g := Group{Platform: l.f.Map.platform(), ExternalID: group, Name: group}
	asOf := l.created
	if asOf.IsZero() {
		asOf = l.in.AsOf
	}
	if s := t.get(rec, "as_of"); s != "" {
		var err error
		if asOf, err = l.f.Map.time(s, l.in.Location(g)); err != nil {
			serial, ok := excelSerial(s)
			if !ok {
				return "as_of: " + err.Error(), nil
			}
			asOf = excelTime(serial, l.in.Location(g))
		}
	}
	name := t.get(rec, "card")
	if name == "" {
		name = t.get(rec, "name")
	}
	return listed(l.sink, l.f.Map, t, rec, g, asOf, Person{UID: t.id(rec, "member_id"), Name: name}, l.in)
}

func (f QQMembers) parseXLSX(ctx context.Context, in Input, sink Sink) error {
	fail := func(line int64, format string, args ...any) error {
		return &ParseError{Format: qqMembersSpec.format, Path: in.Path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	x, err := openXLSX(in.Path)
	if err != nil {
		return fail(1, "not a readable .xlsx workbook: %v", err)
	}
	defer x.Close()
	var created time.Time
	if props, err := x.GetDocProps(); err == nil && props.Created != "" {
		created, _ = time.Parse(time.RFC3339, props.Created)
		if created.Before(templateStamp) {
			// 2006-09-16, 1899...: a template's stamp, not when it was written
			created = time.Time{}
		}
	}
	for _, sheet := range x.GetSheetList() {
		rows, err := x.Rows(sheet)
		if err != nil {
			return fail(1, "sheet %s: %v", sheet, err)
		}
		if err := f.parseSheet(ctx, in, sink, rows, sheet, created); err != nil {
			rows.Close()
			return err
		}
		if err := rows.Close(); err != nil {
			return fail(1, "sheet %s: %v", sheet, err)
		}
	}
	return nil
}

func (f QQMembers) parseSheet(ctx context.Context, in Input, sink Sink, rows *excelize.Rows, sheet string, created time.Time) error {
	if !rows.Next() {
		return nil // an empty sheet
	}
	header, err := rows.Columns()
	if err != nil {
		return &ParseError{Format: qqMembersSpec.format, Path: in.Path, Line: 1, Msg: fmt.Sprintf("sheet %s: %v", sheet, err)}
	}
	t, err := newTable(qqMembersSpec, f.Map, in.Path, header)
	if err != nil {
		return err
	}
	group := groupFromName(sheet)
	if group == "" {
		group = groupFromName(in.Path)
	}
	l := qqList{f: f, in: in, sink: sink, t: t, fileGroup: group, created: created}
	if err := l.check(1); err != nil {
		return err
	}
	for line := int64(2); rows.Next(); line++ {
		if line%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		rec, err := rows.Columns()
		if err != nil {
			return &ParseError{Format: qqMembersSpec.format, Path: in.Path, Line: line, Msg: fmt.Sprintf("sheet %s: %v", sheet, err)}
		}
		if blankRow(rec) {
			continue
		}
		t.line = line
		reason, err := l.row(rec)
		if err != nil {
			return err
		}
		if reason != "" {
			sink.Reject(line, reason, t.raw(rec)) //nolint:errcheck // the loader's sink does not fail on rejects
		}
	}
	return nil
}

// templateStamp: workbook libraries copy a template's creation time
// (excelize's is 2006-09-16); none of those is when a list was exported.
var templateStamp = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)

func blankRow(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// excelSerial reads a date cell's raw value: days since 1899-12-30.
func excelSerial(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && v > 1 && v < 200000
}

// excelTime turns a serial day number into a wall-clock time in loc: Excel
// stores what the sheet shows, without a zone.
func excelTime(serial float64, loc *time.Location) time.Time {
	t, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		return time.Time{}
	}
	t = t.Round(time.Second)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
}
