package autoscale_test

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "write missing test formulas to the fuzz seed corpus")

// testFormulas returns every formula the tests use: Azure's examples, the
// operator, function and method tables, and the error tables.
func testFormulas() []string {
	out := append([]string{}, azureFormulas...)
	for _, tt := range operatorTests {
		out = append(out, operatorSetup+"r = "+tt.x)
	}
	for _, tt := range functionTests {
		out = append(out, functionSetup+"r = "+tt.x)
	}
	for _, tt := range methodTests {
		out = append(out, "r = "+tt.x)
	}
	for _, tt := range parseErrorTests {
		out = append(out, tt.src)
	}
	for _, tt := range evalErrorTests {
		out = append(out, tt.src)
	}
	return out
}

// corpusDir holds the seed corpus that `go test` replays through FuzzParse
// (which checks the round trip) and FuzzEval.
var corpusDir = filepath.Join("testdata", "fuzz", "FuzzParse")

// TestCorpusComplete checks that every test formula is in the seed corpus,
// so the round-trip and fuzz checks cover them. With -update it writes the
// missing ones.
func TestCorpusComplete(t *testing.T) {
	have := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(data), "\n", 3)
		if len(lines) < 2 {
			t.Fatalf("%s: malformed corpus file", f)
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		have[s] = true
	}
	for _, src := range testFormulas() {
		if have[src] {
			continue
		}
		if !*update {
			t.Errorf("formula missing from %s (run go test -run TestCorpusComplete -update): %.60q", corpusDir, src)
			continue
		}
		name := fmt.Sprintf("%x", sha256.Sum256([]byte(src)))[:16]
		data := "go test fuzz v1\nstring(" + strconv.Quote(src) + ")\n"
		if err := os.MkdirAll(corpusDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(corpusDir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		have[src] = true
	}
}
