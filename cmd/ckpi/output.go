package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// table is rows to print in the format the user chose.
type table struct {
	Columns []string
	Rows    [][]any
}

func addFormatFlag(cmd *cobra.Command, format *string) {
	cmd.Flags().StringVar(format, "format", "table", "output: table, csv or json")
}

func (t table) write(w io.Writer, format string) error {
	switch format {
	case "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(t.Columns, "\t"))
		for _, r := range t.Rows {
			cells := make([]string, len(r))
			for i, v := range r {
				cells[i] = cellText(v)
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		return tw.Flush()
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(t.Columns) //nolint:errcheck // checked by Flush
		for _, r := range t.Rows {
			cells := make([]string, len(r))
			for i, v := range r {
				cells[i] = cellText(v)
			}
			cw.Write(cells) //nolint:errcheck // checked by Flush
		}
		cw.Flush()
		return cw.Error()
	case "json":
		out := make([]map[string]any, len(t.Rows))
		for i, r := range t.Rows {
			m := make(map[string]any, len(r))
			for j, v := range r {
				m[t.Columns[j]] = jsonValue(v)
			}
			out[i] = m
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return fmt.Errorf("--format %q: want table, csv or json", format)
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.Format(time.RFC3339)
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.RFC3339)
	case *big.Int:
		return x.String()
	}
	return v
}
