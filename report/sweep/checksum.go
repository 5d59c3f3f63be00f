package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// checksum is the SHA-256 of what a record holds (v, as compact JSON)
// under a name saying what kind of record it is, "sha256:" and 64 hex
// digits. Every record it covers carries the sweep's fingerprint, so a
// record is bound to its sweep: an edited number, or a record moved into
// another sweep's files, no longer matches. It detects edits and
// corruption, not a forger who computes it again (that would need a key
// spotsim does not have).
func checksum(kind string, v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "spotsim %s checksum 1\n", kind)
	h.Write(data)
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// errEdited is the message for a record whose checksum does not match.
const errEdited = "was changed after spotsim wrote it (its checksum does not match its records)"

// MaxErrors is how many problems merge and resume list before counting
// the rest.
const MaxErrors = 20

// problems gathers the problems found in a set of files, one a line, and
// lists at most MaxErrors of them.
type problems []string

func (p *problems) add(format string, a ...any) { *p = append(*p, fmt.Sprintf(format, a...)) }

// err returns nil when there is no problem.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	lines := p
	if len(p) > MaxErrors {
		lines = append(p[:MaxErrors:MaxErrors], fmt.Sprintf("(and %d more problems)", len(p)-MaxErrors))
	}
	return errorLines(strings.Join(lines, "\n"))
}

type errorLines string

func (e errorLines) Error() string { return string(e) }
