package reports

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/metrics/risk"
)

// RiskSummary is the risk section of the weekly report: what `ckpi risk
// scan` found, as of the report week.
type RiskSummary struct {
	Scanned  bool      // false: no scan has run on this database; the rest is empty
	LastScan time.Time // when the last scan finished (UTC)

	Violations      int64 // in the week, all groups
	PendingRemovals int64 // at the week's end
	Alerts          int64 // blacklisted people seen in the week

	// Tables: violations by type and group, members on each ladder step,
	// pending actions for staff, blacklist alerts. Their keys start with
	// "risk".
	Tables []Table
}

// riskMetrics are the catalogue's risk metrics the section shows, in order.
var riskMetrics = []string{"risk_violations", "risk_ladder", "risk_blacklist"}

// buildRisk runs the risk metrics for the report week and lists the actions
// staff owe at its end.
func buildRisk(ctx context.Context, db *sql.DB, opt BuildOptions) (*RiskSummary, error) {
	last, ok, err := risk.LastScan(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("reports: risk: %w", err)
	}
	if !ok {
		return &RiskSummary{}, nil
	}
	s := &RiskSummary{Scanned: true, LastScan: last}
	zh := opt.Lang == "zh"
	for _, name := range riskMetrics {
		def, err := opt.Catalog.Get(name)
		if err != nil {
			return nil, err
		}
		res, err := metrics.Run(ctx, db, def, metrics.Params{Period: opt.Week})
		if err != nil {
			return nil, err
		}
		if total := res.Total(); total != nil {
			switch name {
			case "risk_violations":
				s.Violations = toInt(total["violations"])
			case "risk_ladder":
				s.PendingRemovals = toInt(total["pending_removals"])
			case "risk_blacklist":
				s.Alerts = toInt(total["hits"])
			}
		}
		s.Tables = append(s.Tables, onlyNonZero(detailTable(res, opt.Lang)))
	}

	acts, err := risk.Pending(ctx, db, opt.Week.End, nil)
	if err != nil {
		return nil, err
	}
	loc := opt.Week.Start.Location()
	pending := Table{Key: "risk_pending", Title: pick(zh, "Pending actions for staff", "待处理：应移出仍在群内的成员"),
		Columns: []Column{
			{Key: "offence", Title: pick(zh, "Offence", "违规时间"), Format: Text},
			{Key: "group", Title: pick(zh, "Group", "群组"), Format: Text},
			{Key: "member", Title: pick(zh, "Member", "成员"), Format: Text},
			{Key: "uid", Title: "ID", Format: Text},
			{Key: "strike", Title: pick(zh, "Strike", "违规次数"), Format: Int},
			{Key: "action", Title: pick(zh, "Action", "处理"), Format: Text},
			{Key: "rule", Title: pick(zh, "Rule", "规则"), Format: Text},
			{Key: "evidence", Title: pick(zh, "Evidence", "证据"), Format: Text},
		}}
	for _, a := range acts {
		pending.Rows = append(pending.Rows, []any{a.Time.In(loc), a.Group, a.Member, a.UID, a.Strike, stepTitle(a.Step, zh), a.Rule, a.Evidence})
	}
	s.Tables = append(s.Tables, pending)

	hits, err := risk.Hits(ctx, db, opt.Week.Start, opt.Week.End, nil)
	if err != nil {
		return nil, err
	}
	alerts := Table{Key: "risk_alerts", Title: pick(zh, "Blacklisted people seen this week", "本周出现的黑名单人员"),
		Columns: []Column{
			{Key: "time", Title: pick(zh, "Time", "时间"), Format: Text},
			{Key: "group", Title: pick(zh, "Group", "群组"), Format: Text},
			{Key: "member", Title: pick(zh, "Member", "成员"), Format: Text},
			{Key: "entry", Title: pick(zh, "Blacklist entry", "黑名单条目"), Format: Text},
			{Key: "how", Title: pick(zh, "Seen", "出现方式"), Format: Text},
			{Key: "reason", Title: pick(zh, "Reason", "原因"), Format: Text},
		}}
	for _, h := range hits {
		alerts.Rows = append(alerts.Rows, []any{h.Time.In(loc), h.Group, h.Member, h.Entry, h.How, h.Reason})
	}
	s.Tables = append(s.Tables, alerts)
	return s, nil
}

// onlyNonZero keeps the all-groups row (the first) and the groups with a
// number other than zero: with hundreds of groups, the few with violations.
func onlyNonZero(t Table) Table {
	rows := t.Rows[:0:0]
	for i, row := range t.Rows {
		keep := i == 0
		for _, v := range row {
			if f, ok := cellNumber(v); ok && f != 0 {
				keep = true
			}
		}
		if keep {
			rows = append(rows, row)
		}
	}
	t.Rows = rows
	return t
}

func stepTitle(step string, zh bool) string {
	en, cn := map[string]string{
		"warning": "private warning", "public_notice": "public notice", "mute": "mute",
		"public_notice_mute": "public notice and mute", "removal": "remove from the group",
	}, map[string]string{
		"warning": "私下提醒", "public_notice": "群内公示", "mute": "禁言",
		"public_notice_mute": "群内公示并禁言", "removal": "移出群聊",
	}
	if zh {
		if s, ok := cn[step]; ok {
			return s
		}
	} else if s, ok := en[step]; ok {
		return s
	}
	return step
}

// riskView is the risk section as the page shows it.
type riskView struct {
	Title   string
	Note    string // the week's headline numbers, or how to run a scan
	Scanned bool
	Tables  []tableView
}

func buildRiskView(s *RiskSummary, lang string) *riskView {
	if s == nil {
		return nil
	}
	zh := lang == "zh"
	v := &riskView{Title: pick(zh, "Risk monitoring", "风险监控"), Scanned: s.Scanned}
	if !s.Scanned {
		v.Note = pick(zh, "No risk scan yet: run `ckpi risk scan` to find violations, then write the report again.",
			"尚未进行风险扫描：请先运行 `ckpi risk scan`，再重新生成报告。")
		return v
	}
	v.Note = fmt.Sprintf(pick(zh, "This week: %d violations, %d removals pending, %d blacklist alerts. Last scan %s.",
		"本周：违规 %d 条，待移出 %d 人，黑名单预警 %d 次。最近扫描于 %s。"),
		s.Violations, s.PendingRemovals, s.Alerts, s.LastScan.UTC().Format("2006-01-02 15:04 UTC"))
	v.Tables = buildTables(s.Tables, lang)
	for i := range v.Tables {
		v.Tables[i].ID = fmt.Sprintf("ckpi_risk_%d", i+1)
	}
	return v
}

// sheetTables are the tables the workbook gives a sheet each: the detail
// tables, then the risk section's.
func sheetTables(r *Weekly) []Table {
	if r.Risk == nil || len(r.Risk.Tables) == 0 {
		return r.Tables
	}
	return append(append([]Table(nil), r.Tables...), r.Risk.Tables...)
}
