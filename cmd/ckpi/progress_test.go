package main

import "testing"

func TestShortPath(t *testing.T) {
	for path, want := range map[string]string{
		"exports/telegram/001-星河产品交流群01/result.json": "001-星河产品交流群01/result.json",
		"qq.txt":       "qq.txt",
		"/data/qq.txt": "data/qq.txt",
	} {
		if got := shortPath(path); got != want {
			t.Errorf("shortPath(%q) = %q, want %q", path, got, want)
		}
	}
}
