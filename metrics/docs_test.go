package metrics_test

import (
	"flag"
	"os"
	"testing"

	"github.com/ckpi/ckpi/metrics"
)

var update = flag.Bool("update", false, "rewrite the generated parts of docs/metrics.md")

// TestDocsCurrent fails when docs/metrics.md's generated parts (the values
// of the header's fields and the reference of the built-in metrics) are not
// what the catalogue says: edit the SQL headers, then
// `go test ./metrics -run TestDocsCurrent -update`.
func TestDocsCurrent(t *testing.T) {
	const path = "../docs/metrics.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := metrics.UpdateDocs(string(doc), builtins(t))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != string(doc) {
		t.Errorf("%s is stale: run `go test ./metrics -run TestDocsCurrent -update`", path)
	}
}
