package queries

import "slices"

// Params lists the $name placeholders of a statement, in order of first
// use, skipping comments and string literals: what a runner must bind.
func Params(sql string) []string {
	var out []string
	inStr, inComment := false, false
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case inComment:
			inComment = c != '\n'
		case inStr:
			inStr = c != '\''
		case c == '\'':
			inStr = true
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			inComment = true
		case c == '$':
			j := i + 1
			for j < len(sql) && (sql[j] == '_' || sql[j] >= 'a' && sql[j] <= 'z' || sql[j] >= 'A' && sql[j] <= 'Z' || sql[j] >= '0' && sql[j] <= '9') {
				j++
			}
			if name := sql[i+1 : j]; name != "" && !slices.Contains(out, name) {
				out = append(out, name)
			}
			i = j - 1
		}
	}
	return out
}
