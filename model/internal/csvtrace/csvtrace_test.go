package csvtrace_test

import (
	"strings"
	"testing"

	"github.com/spotsim/spotsim/model/internal/csvtrace"
)

// TestBOM: a UTF-8 byte order mark is dropped before the CSV is read, so a
// first line that is a comment or a quoted header is still one.
func TestBOM(t *testing.T) {
	for _, src := range []string{
		"\ufefftime,price\n1h,0.5\n",
		"\ufeff# exported\ntime,price\n1h,0.5\n",
		"\ufeff\"time\",\"price\"\n1h,0.5\n",
	} {
		tb := csvtrace.New(strings.NewReader(src), "p.csv", 0, 0)
		cols, err := tb.ReadHeader([]string{"time", "price"}, nil)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		rec, line, err := tb.Next()
		if err != nil || rec[cols["time"]] != "1h" || rec[cols["price"]] != "0.5" {
			t.Errorf("%q: line %d: %q, %v", src, line, rec, err)
		}
	}
}
