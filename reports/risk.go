package reports

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/ckpi/ckpi/metrics"
	"github.com/ckpi/ckpi/metrics/risk"
)

// RiskSummary is the risk section of the weekly report: what `ckpi risk
// scan` found, as of the report week.
type RiskSummary struct {
	Scanned  bool      // false: no scan has run on this database; the rest is empty
	LastScan time.Time // when the last scan finished (UTC)

	// Headlines are the week's headline number of each risk metric, all
	// groups: messages with violations, pending removals, blacklist alerts.
	Headlines []Headline

	// Tables: the risk metrics' tables (violations by type and group,
	// members on each ladder step, blacklist alerts), then pending actions
	// for staff and the blacklisted people seen.
	Tables []Table
}

// Headline is one number of the risk section's summary line.
type Headline struct {
	Key   string // metric.column
	Title string
	Value *float64
}

// Headline is the value of the headline keyed key, or 0.
func (s *RiskSummary) Headline(key string) int64 {
	for _, h := range s.Headlines {
		if h.Key == key && isNumber(h.Value) {
			return int64(*h.Value)
		}
	}
	return 0
}

// buildRisk is the risk section: a headline and a table per metric of the
// catalogue's risk section.
func buildRisk(w *results, last time.Time) *RiskSummary {
	s := &RiskSummary{Scanned: true, LastScan: last}
	for _, t := range w.cat.Tables(metrics.SectionRisk) {
		d := t.Parts[0]
		v := d.Column(d.Value)
		s.Headlines = append(s.Headlines, Headline{Key: d.Name + "." + d.Value, Title: v.Label.In(w.lang), Value: w.total(d.Name, t.Week, d.Value)})
	}
	s.Tables = buildFamilyTables(w, metrics.SectionRisk)
	return s
}

// riskActions are the actions staff owe at the week's end and the
// blacklisted people seen in the week.
func riskActions(ctx context.Context, db *sql.DB, week metrics.Period) ([]risk.Action, []risk.Hit, error) {
	acts, err := risk.Pending(ctx, db, week.End, nil)
	if err != nil {
		return nil, nil, err
	}
	hits, err := risk.Hits(ctx, db, week.Start, week.End, nil)
	if err != nil {
		return nil, nil, err
	}
	return acts, hits, nil
}

func pendingTable(acts []risk.Action, week metrics.Period, lang string) Table {
	zh := lang == "zh"
	loc := week.Start.Location()
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
	return pending
}

func alertsTable(hits []risk.Hit, week metrics.Period, lang string) Table {
	zh := lang == "zh"
	loc := week.Start.Location()
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
	return alerts
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
	var parts []string
	for _, h := range s.Headlines {
		parts = append(parts, h.Title+" "+FormatValue(Int, h.Value, lang))
	}
	v.Note = fmtLabel(lang, "riskNote", strings.Join(parts, label(lang, "listSep")), s.LastScan.UTC().Format("2006-01-02 15:04 UTC"))
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
