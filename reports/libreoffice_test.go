package reports

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestXLSXInLibreOffice opens the workbook in LibreOffice Calc (when it is
// installed), exports the Groups sheet to CSV and checks that user text that
// looks like a formula came through as the literal text, not a result.
func TestXLSXInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("libreoffice not installed (apt-get install libreoffice-calc-nogui)")
	}
	path := writeXLSX(t, sampleWeekly())
	outDir, profile := t.TempDir(), t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// CSV filter options: comma, double quote, UTF-8, from line 1, ..., sheet 2 (Groups).
	cmd := exec.CommandContext(ctx, soffice, "--headless", "-env:UserInstallation=file://"+profile,
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
		"--outdir", outDir, path)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(outDir, "weekly-Groups.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, row := range rows[1:] {
		names[row[1]] = true
	}
	for _, want := range []string{formulaName, scriptName, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "上海读书会 一群"} {
		if !names[want] {
			t.Errorf("LibreOffice does not show the group name %q as written", want)
		}
	}
	if got := rows[3][len(rows[3])-2]; got != "No activity for 2 weeks; =FLAG()" {
		t.Errorf("flags read back as %q", got)
	}
}
