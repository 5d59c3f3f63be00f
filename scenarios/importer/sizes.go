package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/spotsim/spotsim/model"
)

// canonicalSize spells a VM size as the catalog (and the Retail Prices
// API's armSkuName) does: "STANDARD_DS3_v2" is Standard_DS3_v2.
func canonicalSize(s string) string {
	if n, ok := catalogSize(s); ok {
		return n.Name
	}
	if len(s) > 9 && strings.EqualFold(s[:9], "standard_") {
		return "Standard_" + s[9:]
	}
	return s
}

// catalogSize returns the built-in catalog's size of that name, in any case.
func catalogSize(s string) (model.VMSize, bool) {
	for name, v := range model.BuiltinCatalog() {
		if strings.EqualFold(name, s) {
			return v, true
		}
	}
	return model.VMSize{}, false
}

// normalizeSize spells a size's family in capitals and its feature letters
// in lower case, as Azure does ("standard_d4s_v5" is Standard_D4s_v5), so
// that the two can be told apart.
func normalizeSize(s string) string {
	if len(s) > 9 && strings.EqualFold(s[:9], "standard_") {
		s = s[9:]
	}
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return "Standard_" + s
	}
	j := i
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '-') {
		j++
	}
	k := j
	for k < len(s) && s[k] != '_' {
		k++
	}
	return "Standard_" + strings.ToUpper(s[:i]) + s[i:j] + strings.ToLower(s[j:k]) + strings.ToLower(s[k:])
}

var sizeRE = regexp.MustCompile(`^(?i:standard_)?([A-Z]+)([0-9]+)(?:-([0-9]+))?([a-z]*)(_.*)?$`)

// dv2Cores are the vCPUs of the D and DS v1/v2 sizes, whose number is not
// their vCPU count (Azure's Dv2 and DSv2 series tables).
var dv2Cores = map[int]int{1: 1, 2: 2, 3: 4, 4: 8, 5: 16, 11: 2, 12: 4, 13: 8, 14: 16, 15: 20}

// SizeCores returns a VM size's vCPUs from its name, by Azure's naming
// convention (the number after the family is the vCPU count, and a
// constrained size's "-N" its active vCPUs: Standard_E8-4s_v5 has 4), with
// the D and DS v1/v2 series from their table. ok is false for a name the
// convention does not cover (say the cores with --cores).
func SizeCores(name string) (int, bool) {
	m := sizeRE.FindStringSubmatch(normalizeSize(name))
	if m == nil {
		return 0, false
	}
	family, num, version := strings.ToUpper(m[1]), m[2], strings.ToLower(m[5])
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 1024 {
		return 0, false
	}
	if m[3] != "" {
		c, err := strconv.Atoi(m[3])
		return c, err == nil && c >= 1 && c <= n
	}
	if (family == "D" || family == "DS") && (version == "" || strings.HasPrefix(version, "_v2")) {
		c, ok := dv2Cores[n]
		return c, ok
	}
	if version == "" && family == "A" { // A0-A11: no convention
		return 0, false
	}
	return n, true
}

// sizeCores is SizeCores, or override when > 0, with the provenance to
// write beside it.
func sizeCores(name string, override int) (int, string, error) {
	if override > 0 {
		return override, "--cores", nil
	}
	if v, ok := catalogSize(name); ok {
		return v.Cores, "the built-in catalog", nil
	}
	if c, ok := SizeCores(name); ok {
		return c, "from the size's name (Azure's naming: its vCPU count)", nil
	}
	return 0, "", fmt.Errorf("cannot tell the vCPUs of %s from its name: give them with --cores N", name)
}
