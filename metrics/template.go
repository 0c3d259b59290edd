package metrics

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ckpi/ckpi/queries"
)

var metricName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Template returns a new metric file named name: a working example with
// every header field and the conventions explained in comments.
func Template(name string) (string, error) {
	if !metricName.MatchString(name) {
		return "", fmt.Errorf("metric name %q: use lower-case letters, digits and _ , starting with a letter", name)
	}
	title := strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "_", " ")
	return strings.NewReplacer("{{name}}", name, "{{title}}", title).Replace(queries.MetricTemplate()), nil
}
