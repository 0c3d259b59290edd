package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// riskFixture ingests the ladder fixtures of testdata/risk with 小美
// (10001) as staff.
func riskFixture(t *testing.T) (db, config string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "ckpi.duckdb")
	config = filepath.Join(dir, "ckpi.yaml")
	if err := os.WriteFile(config, []byte("timezone: Asia/Shanghai\nstaff:\n  - {platform: qq, uid: \"10001\", role: service}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := ckpi(t, "--db", db, "--config", config, "ingest", "../../testdata/risk/ladder-a.txt", "../../testdata/risk/ladder-b.txt")
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	return db, config
}

func TestCLIRiskScanReport(t *testing.T) {
	db, config := riskFixture(t)
	run := func(args ...string) string {
		t.Helper()
		out, err := ckpi(t, append([]string{"--db", db, "--config", config}, args...)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return out
	}
	// testdata/risk/rules.yaml has one rule, abuse: 李四 twice (11-02 脑残,
	// 11-17 傻逼; his 11-10 ad is not a rule there), 赵六 three times.
	out := run("risk", "scan", "--rules", "../../testdata/risk/rules.yaml")
	for _, want := range []string{"abuse  keywords  abuse     5      5", "5 found, 5 new, 0 dropped; 5 violations stored, 5 offences", "blacklist: 3 entries, 2 alerts", "scanned in"} {
		if !strings.Contains(out, want) {
			t.Errorf("scan output lacks %q:\n%s", want, out)
		}
	}
	if out := run("risk", "scan", "--rules", "../../testdata/risk/rules.yaml"); !strings.Contains(out, "5 found, 0 new, 0 dropped") {
		t.Errorf("rescan:\n%s", out)
	}

	out = run("risk", "report", "--week", "2026-W47", "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows in week 47, want 4:\n%s", len(rows), out)
	}
	first := rows[0]
	for k, want := range map[string]any{
		"time": "2026-11-17 10:00:00", "group": "星河用户北京站", "uid": "5001", "member": "李四|自由职业|北京",
		"rule": "abuse", "category": "abuse", "strike": 2.0, "step": "public_notice_mute", "acted": nil, "evidence": "傻逼", "message": "傻逼群主",
	} {
		if first[k] != want {
			t.Errorf("row 1 %s = %v, want %v", k, first[k], want)
		}
	}
	if last := rows[3]; last["uid"] != "5003" || last["step"] != "removal" || last["acted"] != false {
		t.Errorf("row 4 = %v", last)
	}
	if out := run("risk", "report", "--format", "csv"); strings.Count(out, "\n") != 6 {
		t.Errorf("all violations as csv:\n%s", out)
	}

	out = run("risk", "pending", "--at", "2026-11-23", "--format", "csv")
	if !strings.Contains(out, "2026-11-20 10:00:00,星河用户北京站,qq,5003,赵六|销售|天津,3,removal,abuse,去死") {
		t.Errorf("pending:\n%s", out)
	}

	out = run("risk", "blacklist", "list", "--format", "csv")
	for _, want := range []string{"qq:5001,uid,auto,2026-11-17 10:20:00,removed from 星河用户北京站 after abuse", "qq:6001,uid,file,", "customer_key:ab12cd34ef56,customer_key,file,"} {
		if !strings.Contains(out, want) {
			t.Errorf("blacklist lacks %q:\n%s", want, out)
		}
	}
	out = run("risk", "blacklist", "hits", "--week", "2026-W47", "--format", "csv")
	if !strings.Contains(out, "2026-11-20 15:00:00,星河用户上海站,qq:5001,qq,5001,李四|自由职业|北京,join,") || strings.Count(out, "\n") != 2 {
		t.Errorf("hits:\n%s", out)
	}
	run("risk", "blacklist", "add", "qq:5002", "--reason", "test")
	if out := run("risk", "blacklist", "hits", "--format", "csv"); !strings.Contains(out, "qq:5002") {
		t.Errorf("added entry raised no alert:\n%s", out)
	}
	run("risk", "blacklist", "remove", "qq:5002")

	// 赵六: three offences at -5 from 10 = -5; 孙七 joined 10-10 and never spoke.
	out = run("risk", "points", "--rules", "../../testdata/risk/rules.yaml", "--at", "2026-11-23", "--candidates", "--format", "csv")
	for _, want := range []string{"星河用户北京站,4,qq,5003,赵六|销售|天津,-5,", "balance -5 below", "星河用户北京站,", "5004,孙七|学生|北京,10,,43,never spoke in 43 days"} {
		if !strings.Contains(out, want) {
			t.Errorf("candidates lack %q:\n%s", want, out)
		}
	}

	reportDir := t.TempDir()
	run("report", "weekly", "--week", "2026-W47", "--out", reportDir)
	page, err := os.ReadFile(filepath.Join(reportDir, "weekly.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "This week: Messages with violations 4; Pending removals 1; Blacklist alerts 1.") {
		t.Error("the weekly report has no risk section")
	}
	if out := run("metrics", "validate"); !strings.Contains(out, "ok      queries/metrics/risk_ladder.sql") {
		t.Errorf("validate:\n%s", out)
	}
}

func TestCLIRiskRules(t *testing.T) {
	out, err := ckpi(t, "risk", "rules", "--yaml")
	if err != nil || !strings.HasPrefix(out, "# ckpi risk rules") {
		t.Fatalf("--yaml (err %v):\n%.200s", err, out)
	}
	out, err = ckpi(t, "risk", "rules", "--format", "csv")
	if err != nil || !strings.Contains(out, "hit_and_run,churn,advertising,high,3,true,") || !strings.Contains(out, "nickname_format,nickname_format,nickname,low,0,false,") {
		t.Fatalf("rules (err %v):\n%s", err, out)
	}
	bad := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(bad, []byte("version: 1\nrules:\n  - name: abuse\n    kind: keywords\n    category: abuse\n    regex: ['(unclosed']\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ckpi(t, "risk", "rules", "--rules", bad)
	if err == nil || !strings.Contains(err.Error(), "rules.yaml:3: rule \"abuse\": pattern \"(unclosed\"") {
		t.Errorf("err = %v", err)
	}
	if _, err := ckpi(t, "--db", filepath.Join(t.TempDir(), "x.duckdb"), "risk", "scan", "--since", "yesterday"); err == nil || !strings.Contains(err.Error(), "--since") {
		t.Errorf("--since yesterday: %v", err)
	}
}
