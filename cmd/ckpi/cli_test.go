package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ckpiStreams runs the CLI in-process with stdout and stderr apart.
func ckpiStreams(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err = root.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// exitCode is the code main gives err.
func exitCode(err error) int {
	var exit *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.code
	}
	return codeError
}

const metricHeader = `-- name: %s
-- title: Probe
-- unit: rows
-- grain: week
-- direction: up
-- value: n
-- params: start, end, group
-- columns: group_id, group_name, n
-- description: A probe.
`

func writeMetric(t *testing.T, dir, name, sql string) string {
	t.Helper()
	path := filepath.Join(dir, name+".sql")
	if err := os.WriteFile(path, []byte(strings.Replace(metricHeader, "%s", name, 1)+sql), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// usesParams keeps the header's params used, as the header check wants.
const usesParams = "\nFROM selected_groups($group) g WHERE $start < $end"

// A metric file that writes is refused whole by validate and run, with
// its file and line, and the database stays as it was.
func TestCLIUnsafeMetricRefused(t *testing.T) {
	db, config := fixtureDB(t)
	dir := t.TempDir()
	writeMetric(t, dir, "wipe", "SELECT g.group_id, g.group_name, 1 AS n"+usesParams+";\nDELETE FROM messages;\n")
	copyTo := filepath.Join(dir, "stolen.csv")
	writeMetric(t, dir, "steal", "SELECT g.group_id, g.group_name, (SELECT count(*) FROM read_csv('/etc/passwd')) AS n"+usesParams+"\n")
	count := func() string {
		out, err := ckpi(t, "--db", db, "--config", config, "metrics", "run", "participation", "--week", "2026-W47", "--format", "csv")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := count()
	_, err := ckpi(t, "--db", db, "--config", config, "metrics", "validate", filepath.Join(dir, "wipe.sql"), filepath.Join(dir, "steal.sql"))
	if err == nil || !strings.Contains(err.Error(), "2 of 2 metric file(s) invalid") || !strings.Contains(err.Error(), "wipe.sql:12: a metric is one SELECT statement") {
		t.Fatalf("validate: %v", err)
	}
	_, err = ckpi(t, "--db", db, "--config", config, "metrics", "run", "steal", "--metrics-dir", dir, "--week", "2026-W47")
	if err == nil || !strings.Contains(err.Error(), "steal.sql:10: a metric may not call read_csv()") {
		t.Fatalf("run: %v", err)
	}
	if after := count(); after != before {
		t.Errorf("participation changed:\n%s\nthen\n%s", before, after)
	}
	if _, err := os.Stat(copyTo); err == nil {
		t.Error("a file was written")
	}
}

// ./metrics is analyst SQL nobody asked for: it is read only with
// --metrics-dir or metrics_dir in the config, and a file replacing a
// built-in says so.
func TestCLIMetricsDirOnlyWhenAsked(t *testing.T) {
	db, config := fixtureDB(t)
	work := t.TempDir()
	t.Chdir(work)
	if err := os.Mkdir("metrics", 0o755); err != nil {
		t.Fatal(err)
	}
	writeMetric(t, "metrics", "engagement", "SELECT g.group_id, g.group_name, 1 AS n"+usesParams+";\nDELETE FROM messages;\n")

	out, stderr, err := ckpiStreams(t, "--db", db, "--config", config, "report", "weekly", "--week", "2026-W47", "--out", "out")
	if err != nil || strings.Contains(stderr, "metrics/") {
		t.Fatalf("report with an unasked ./metrics: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "weekly.html") {
		t.Fatalf("report: %s", out)
	}
	out, _, err = ckpiStreams(t, "--db", db, "--config", config, "metrics", "list", "--format", "csv")
	if err != nil || !strings.Contains(out, ",queries/metrics/engagement.sql\n") {
		t.Fatalf("list without --metrics-dir (%v):\n%s", err, out)
	}

	_, stderr, err = ckpiStreams(t, "--db", db, "--config", config, "metrics", "list", "--metrics-dir", "metrics")
	if err != nil || stderr != "ckpi: metrics/engagement.sql replaces the built-in queries/metrics/engagement.sql\n" {
		t.Fatalf("list --metrics-dir (%v): stderr %q", err, stderr)
	}
	_, stderr, err = ckpiStreams(t, "--db", db, "--config", config, "report", "weekly", "--week", "2026-W47", "--out", "out", "--metrics-dir", "metrics")
	if err == nil || !strings.Contains(err.Error(), "engagement.sql:12: a metric is one SELECT statement") || !strings.Contains(stderr, "replaces the built-in") {
		t.Fatalf("report --metrics-dir: %v\n%s", err, stderr)
	}

	// metrics_dir in the config, relative to the config file.
	confDir := t.TempDir()
	if err := os.Mkdir(filepath.Join(confDir, "kpis"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeMetric(t, filepath.Join(confDir, "kpis"), "probe", "SELECT g.group_id, g.group_name, 1 AS n"+usesParams+"\n")
	conf := filepath.Join(confDir, "ckpi.yaml")
	if err := os.WriteFile(conf, []byte("timezone: Asia/Shanghai\nmetrics_dir: kpis\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err = ckpiStreams(t, "--db", db, "--config", conf, "metrics", "list", "--format", "csv")
	if err != nil || !strings.Contains(out, "probe,Probe,n,rows,week,up,"+filepath.Join(confDir, "kpis", "probe.sql")) {
		t.Fatalf("list with metrics_dir (%v):\n%s", err, out)
	}
}

// A risk report of a hostile export: a message that is a formula, a name
// with terminal escapes.
func TestCLIRiskReportSafeOutputs(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "evil.txt")
	qq := "消息记录（此消息记录为文本格式，不支持重新导入）\n\n" +
		"================================================================\n消息分组:我的QQ群\n" +
		"================================================================\n消息对象:星河用户北京站\n" +
		"================================================================\n\n" +
		"2026-11-17 10:00:00 Evil\x1b[31mRed\x1b]0;pwned\x07(5009)\n=cmd|' /C calc'!A0 傻逼\n\n"
	if err := os.WriteFile(export, []byte(qq), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "ckpi.duckdb")
	if out, err := ckpi(t, "--db", db, "ingest", export); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	if out, err := ckpi(t, "--db", db, "risk", "scan", "--rules", "../../testdata/risk/rules.yaml"); err != nil {
		t.Fatalf("scan: %v\n%s", err, out)
	}
	out, err := ckpi(t, "--db", db, "risk", "report", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv (%v):\n%s", err, out)
	}
	if msg := rows[1][len(rows[1])-1]; msg != "'=cmd|' /C calc'!A0 傻逼" {
		t.Errorf("message cell %q", msg)
	}
	out, err = ckpi(t, "--db", db, "risk", "report")
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, "EvilRed") {
		t.Errorf("table output carries escapes: %q", out)
	}
}

func TestCLIExitCodes(t *testing.T) {
	db, config := fixtureDB(t)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"repot"}, codeUsage, `unknown command "repot" for "ckpi": did you mean "report"?`},
		{[]string{"metrics", "rn"}, codeUsage, `unknown command "rn" for "ckpi metrics": did you mean "run"?`},
		{[]string{"risk", "blacklist", "lst"}, codeUsage, `did you mean "list"?`},
		{[]string{"xyzzy"}, codeUsage, `see 'ckpi --help'`},
		{[]string{"--bogus"}, codeUsage, "unknown flag: --bogus"},
		{[]string{"metrics", "run"}, codeUsage, "accepts 1 arg(s), received 0"},
		{[]string{"metrics", "list", "extra"}, codeUsage, `unknown command "extra"`},
		{[]string{"metrics", "run", "growth", "--week", "2026-W466"}, codeUsage, `--week: week "2026-W466": want YYYY-Www`},
		{[]string{"metrics", "run", "growth", "--week", "2026-W47x"}, codeUsage, `--week: week "2026-W47x"`},
		{[]string{"metrics", "run", "growth", "--month", "2026-13"}, codeUsage, `--month: month "2026-13": no month 13`},
		{[]string{"metrics", "run", "growth", "--day", "2026-02-30"}, codeUsage, `--day: day "2026-02-30": no such date`},
		{[]string{"metrics", "run", "growth", "--week", "2026-W47", "--day", "2026-11-17"}, codeUsage, "--week, --day: give one period"},
		{[]string{"metrics", "run", "growth", "--week", "2026-W47", "--format", "xml"}, codeUsage, `--format "xml"`},
		{[]string{"metrics", "run", "nosuch"}, codeUsage, `no metric "nosuch"`},
		{[]string{"report", "weekly", "--week", "2026-W47", "--lang", "fr", "--out", t.TempDir()}, codeUsage, `--lang "fr"`},
		{[]string{"risk", "report", "--week", "2026-W466"}, codeUsage, "--week"},
		{[]string{"risk", "pending", "--at", "2026-02-30"}, codeUsage, "--at"},
		{[]string{"generate", "--end", "2026-W466", "--out", t.TempDir()}, codeUsage, `--end: week "2026-W466"`},
		{[]string{"ingest", "--memory", "lots", "../../testdata/qq/community.txt"}, codeUsage, "--memory"},
		{[]string{"ingest", "../../testdata/bad/notes.txt"}, codeError, "notes.txt:1"},
		{[]string{"metrics", "run", "growth", "--week", "2026-W47"}, 0, ""},
	}
	for _, c := range cases {
		_, _, err := ckpiStreams(t, append([]string{"--db", db, "--config", config}, c.args...)...)
		if got := exitCode(err); got != c.code || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) || err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: exit %d (%v), want %d and one line with %q", c.args, got, err, c.code, c.want)
		}
	}
	// Help is not an error.
	if out, _, err := ckpiStreams(t, "metrics"); err != nil || !strings.Contains(out, "Available Commands") {
		t.Errorf("ckpi metrics: %v\n%s", err, out)
	}
}

func TestCLIHelpAndVersion(t *testing.T) {
	out, _, err := ckpiStreams(t, "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Exit codes: 0 done; 1 an error", "2 a usage error", "130 interrupted", "--lake DIR "} {
		if !strings.Contains(out, want) {
			t.Errorf("--help lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "--lake ckpi") {
		t.Errorf("--lake shows a command as its placeholder:\n%s", out)
	}
	out, _, err = ckpiStreams(t, "--version")
	if err != nil || !strings.HasPrefix(out, "ckpi ") || !strings.Contains(out, ", DuckDB v1.") || !strings.Contains(out, "duckdb-go v2.") || strings.Count(out, "\n") != 1 {
		t.Errorf("--version (%v): %q", err, out)
	}
}

// The header of `ckpi risk rules --yaml` tells how to start your own rules
// file: that command must print the file itself.
func TestCLIRiskRulesHeaderCommandWorks(t *testing.T) {
	yaml, _, err := ckpiStreams(t, "risk", "rules", "--yaml")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(yaml, "`ckpi ")
	end := strings.Index(yaml[start+1:], "`")
	if start < 0 || end < 0 {
		t.Fatalf("no command in the header:\n%.400s", yaml)
	}
	command := strings.Fields(strings.TrimSuffix(yaml[start+1:start+1+end], " > rules.yaml"))
	out, _, err := ckpiStreams(t, command[1:]...)
	if err != nil || out != yaml {
		t.Errorf("%q (err %v) prints %.200q, not the rules file", command, err, out)
	}
}

// TestMain lets a test run the binary's main: with CKPI_TEST_MAIN set, the
// test binary is ckpi.
func TestMain(m *testing.M) {
	if os.Getenv("CKPI_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// Ctrl-C stops a command with exit code 130, as shells report SIGINT.
func TestSIGINTExits130(t *testing.T) {
	out := t.TempDir()
	cmd := exec.Command(os.Args[0], "generate", "--groups", "200", "--messages", "20000000", "--out", out)
	cmd.Env = append(os.Environ(), "CKPI_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once it is writing, with its handler in place.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if entries, _ := os.ReadDir(out); len(entries) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != codeInterrupted {
		t.Fatalf("exit %v, want %d; stderr:\n%s", err, codeInterrupted, stderr.String())
	}
	if !strings.HasPrefix(stderr.String(), "ckpi: ") || strings.Count(stderr.String(), "\n") != 1 {
		t.Errorf("stderr %q", stderr.String())
	}
}
