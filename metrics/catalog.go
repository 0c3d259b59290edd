package metrics

import (
	"fmt"
	"os"
	"sort"

	"github.com/ckpi/ckpi/queries"
)

// Catalog is the set of metrics a run knows: the built-in ones, then the
// user's folder, whose files replace built-ins of the same name.
type Catalog struct {
	defs map[string]*Definition
}

// LoadCatalog reads the built-in metrics and, when userDir is not empty,
// every .sql file in it.
func LoadCatalog(userDir string) (*Catalog, error) {
	builtin, err := LoadFS(queries.Metrics(), ".")
	if err != nil {
		return nil, err
	}
	c := &Catalog{defs: map[string]*Definition{}}
	for _, d := range builtin {
		d.File = "queries/metrics/" + d.File
		c.defs[d.Name] = d
	}
	if userDir == "" {
		return c, nil
	}
	user, err := LoadFS(os.DirFS(userDir), ".")
	if err != nil {
		return nil, fmt.Errorf("metrics dir %s: %w", userDir, err)
	}
	for _, d := range user {
		d.File = userDir + "/" + d.File
		c.defs[d.Name] = d
	}
	return c, nil
}

// Get finds a metric by name.
func (c *Catalog) Get(name string) (*Definition, error) {
	d, ok := c.defs[name]
	if !ok {
		return nil, fmt.Errorf("no metric %q: see `ckpi metrics list`", name)
	}
	return d, nil
}

// All lists the metrics by name.
func (c *Catalog) All() []*Definition {
	out := make([]*Definition, 0, len(c.defs))
	for _, d := range c.defs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
