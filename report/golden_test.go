package report_test

import (
	"bytes"
	"testing"
)

// TestGolden checks the text, Markdown, CSV and JSON reports of
// testdata/small.toml against testdata/small.*; go test ./report/ -update
// rewrites them.
func TestGolden(t *testing.T) {
	r := runScenario(t, 2)
	var text, md bytes.Buffer
	if err := r.sum.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := r.sum.WriteMarkdown(&md, r.charts); err != nil {
		t.Fatal(err)
	}
	csv, err := r.sum.CSV()
	if err != nil {
		t.Fatal(err)
	}
	js, err := r.sum.JSON()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "small.txt", text.Bytes())
	golden(t, "small.md", md.Bytes())
	golden(t, "small.csv", csv)
	golden(t, "small.json", js)
}
