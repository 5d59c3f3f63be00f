package importer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PriceRow is one item of a Retail Prices API page.
type PriceRow struct {
	File, Path                       string // the page and the item's JSON path ($.Items[3])
	Currency                         string
	Price                            float64 // retailPrice ($ per unit)
	Region, Location                 string  // armRegionName, location
	Start                            time.Time
	MeterID, MeterName               string
	ProductName, SkuName, SkuArmName string
	ServiceName, Unit, Type          string
	TierMinimumUnits                 float64
	// Secondary is set for a row whose isPrimaryMeterRegion is false: a
	// meter listed again under a region that is not its own.
	Secondary bool
}

// Windows reports whether the row prices a Windows VM.
func (r PriceRow) Windows() bool { return strings.HasSuffix(r.ProductName, " Windows") }

// Spot reports whether the row is a Spot meter.
func (r PriceRow) Spot() bool {
	return strings.Contains(r.MeterName, "Spot") || strings.Contains(r.SkuName, "Spot")
}

// LowPriority reports whether the row is a legacy low-priority meter.
func (r PriceRow) LowPriority() bool {
	return strings.HasSuffix(r.MeterName, " Low Priority") || strings.HasSuffix(r.SkuName, " Low Priority")
}

// Source names the row for a scenario comment.
func (r PriceRow) Source() string {
	cur := ""
	if r.Currency != "" && r.Currency != "USD" {
		cur = " " + r.Currency
	}
	return fmt.Sprintf("%s: %s: meterId %s (%q), effectiveStartDate %s, %s%s", r.File, r.Path, r.MeterID, r.MeterName, r.Start.Format("2006-01-02"), r.Region, cur)
}

func (r PriceRow) candidate() string {
	return fmt.Sprintf("%s (%q, %q, %s/h from %s)", r.MeterID, r.MeterName, r.ProductName, strconv.FormatFloat(r.Price, 'f', -1, 64), r.Start.Format("2006-01-02"))
}

// ReadPrices reads one or more Retail Prices API pages (the JSON of GET
// https://prices.azure.com/api/retail/prices?$filter=...), every item.
func ReadPrices(paths ...string) ([]PriceRow, error) {
	var rows []PriceRow
	for _, p := range paths {
		data, err := readFile(p)
		if err != nil {
			return nil, err
		}
		r, err := pricesFrom(p, data)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	return rows, nil
}

func pricesFrom(path string, data []byte) ([]PriceRow, error) {
	if !looksJSON(data) {
		return nil, errorf(path, "", "this does not look like a Retail Prices page: want the JSON of https://prices.azure.com/api/retail/prices")
	}
	doc, err := parseJSON(path, data)
	if err != nil {
		return nil, err
	}
	if k := sniff(doc); k != RetailPrices {
		return nil, wrongKind(path, k, "a Retail Prices page")
	}
	items := doc
	if it, ok := doc.get("Items"); ok {
		items = it
	}
	list, err := items.items()
	if err != nil {
		return nil, err
	}
	cur, _ := doc.optStr("BillingCurrency")
	var rows []PriceRow
	for _, it := range list {
		r, err := priceRow(it, cur)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func priceRow(n node, currency string) (PriceRow, error) {
	r := PriceRow{File: n.file, Path: n.path, Currency: currency}
	if _, ok := n.object(); !ok {
		return r, n.errorf("must be an object (a price item), got %s", n.kind())
	}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"armSkuName", &r.SkuArmName}, {"armRegionName", &r.Region}, {"meterId", &r.MeterID},
		{"meterName", &r.MeterName}, {"productName", &r.ProductName}, {"skuName", &r.SkuName},
		{"type", &r.Type}, {"unitOfMeasure", &r.Unit},
	} {
		c, err := n.req(f.key)
		if err != nil {
			return r, err
		}
		if *f.dst, err = c.str(); err != nil {
			return r, err
		}
	}
	var err error
	if r.Location, err = n.optStr("location"); err != nil {
		return r, err
	}
	if r.ServiceName, err = n.optStr("serviceName"); err != nil {
		return r, err
	}
	if c, _ := n.optStr("currencyCode"); c != "" {
		r.Currency = c
	}
	pc, ok := n.get("retailPrice")
	if !ok {
		if pc, err = n.req("unitPrice"); err != nil {
			return r, &Error{File: n.file, Path: n.path + ".retailPrice", Msg: "missing"}
		}
	}
	if r.Price, err = pc.num(); err != nil {
		return r, err
	}
	if r.Price < 0 {
		return r, pc.errorf("must be a price >= 0, got %s", pc.kind())
	}
	if c, ok := n.get("isPrimaryMeterRegion"); ok {
		primary, err := c.boolean()
		if err != nil {
			return r, err
		}
		r.Secondary = !primary
	}
	if t, ok := n.get("tierMinimumUnits"); ok {
		if r.TierMinimumUnits, err = t.num(); err != nil {
			return r, err
		}
	}
	d, err := n.req("effectiveStartDate")
	if err != nil {
		return r, err
	}
	if r.Start, err = d.timestamp(); err != nil {
		return r, err
	}
	return r, nil
}

// Prices are the two prices of a VM size picked from Retail Prices rows.
type Prices struct {
	Regular, Spot PriceRow
	Region, OS    string
}

// PickPrices picks, among Retail Prices rows, the Consumption rows of a
// size in a region ("" = the only region the rows have) for an OS
// ("linux" or "windows"): the regular pay-as-you-go price and the Spot
// price. A meter's latest effectiveStartDate counts, and among several
// meters the only one whose isPrimaryMeterRegion is true. Several meters
// for one price otherwise, or no Spot meter, is an error naming the
// candidates, of which meters (meterIds) chooses.
func PickPrices(rows []PriceRow, size, region, os string, meters []string) (*Prices, error) {
	file := "--prices"
	if len(rows) > 0 {
		file = rows[0].File
	}
	windows := strings.EqualFold(os, "windows")
	osName := "Linux"
	if windows {
		osName = "Windows"
	}
	var forSize []PriceRow
	sizes := map[string]bool{}
	for _, r := range rows {
		if r.Type != "Consumption" || r.ServiceName != "" && r.ServiceName != "Virtual Machines" || r.TierMinimumUnits != 0 {
			continue
		}
		sizes[r.SkuArmName] = true
		if strings.EqualFold(r.SkuArmName, size) {
			forSize = append(forSize, r)
		}
	}
	if len(forSize) == 0 {
		return nil, errorf(file, "", "no Consumption rows of Virtual Machines for %s in the price pages (sizes in them: %s)", size, list(keys(sizes), 8))
	}
	regions := map[string]bool{}
	for _, r := range forSize {
		regions[r.Region] = true
	}
	if region == "" {
		if len(regions) > 1 {
			return nil, errorf(file, "", "prices of %s for several regions (%s): choose one with --region", size, list(keys(regions), 8))
		}
		for r := range regions {
			region = r
		}
	}
	var regular, spot, lowpri []PriceRow
	for _, r := range forSize {
		if !strings.EqualFold(r.Region, region) || r.Windows() != windows {
			continue
		}
		switch {
		case r.Spot():
			spot = append(spot, r)
		case r.LowPriority():
			lowpri = append(lowpri, r)
		default:
			regular = append(regular, r)
		}
	}
	what := fmt.Sprintf("%s in %s (%s)", size, region, osName)
	if len(regular)+len(spot)+len(lowpri) == 0 {
		return nil, errorf(file, "", "no %s rows for %s in the price pages (regions with rows for it: %s)", osName, what, list(keys(regions), 8))
	}
	p := &Prices{Region: region, OS: strings.ToLower(osName)}
	var err error
	if p.Regular, err = pickMeter(file, "pay-as-you-go", what, regular, meters); err != nil {
		return nil, err
	}
	if len(spot) == 0 {
		if r, ok := chosen(lowpri, meters); ok {
			p.Spot = r
			return p, nil
		}
		c := "none"
		if len(lowpri) > 0 {
			c = "legacy Low Priority meters " + candidates(lowpri) + "; low-priority is Spot now, billed at the Spot rate: give --meter ID to use one anyway"
		}
		return nil, errorf(file, "", "no Spot row for %s (candidates: %s)", what, c)
	}
	if p.Spot, err = pickMeter(file, "Spot", what, spot, meters); err != nil {
		return nil, err
	}
	return p, nil
}

// pickMeter picks one meter's latest row among rows.
func pickMeter(file, kind, what string, rows []PriceRow, meters []string) (PriceRow, error) {
	if len(rows) == 0 {
		return PriceRow{}, errorf(file, "", "no %s row for %s", kind, what)
	}
	if r, ok := chosen(rows, meters); ok {
		return r, nil
	}
	latest := latestByMeter(rows)
	if len(latest) > 1 { // a meter listed again outside its primary region is not a second price
		var primary []PriceRow
		for _, r := range latest {
			if !r.Secondary {
				primary = append(primary, r)
			}
		}
		if len(primary) == 1 {
			return primary[0], nil
		}
	}
	if len(latest) > 1 {
		return PriceRow{}, errorf(file, "", "%d %s meters for %s: %s; choose one with --meter ID", len(latest), kind, what, candidates(rows))
	}
	return latest[0], nil
}

// chosen returns the latest row of a meter named in meters.
func chosen(rows []PriceRow, meters []string) (PriceRow, bool) {
	for _, r := range latestByMeter(rows) {
		for _, m := range meters {
			if strings.EqualFold(strings.TrimSpace(m), r.MeterID) {
				return r, true
			}
		}
	}
	return PriceRow{}, false
}

// latestByMeter keeps each meter's row of the latest effectiveStartDate,
// sorted by meterId.
func latestByMeter(rows []PriceRow) []PriceRow {
	by := map[string]PriceRow{}
	for _, r := range rows {
		if cur, ok := by[r.MeterID]; !ok || r.Start.After(cur.Start) {
			by[r.MeterID] = r
		}
	}
	out := make([]PriceRow, 0, len(by))
	for _, r := range by {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MeterID < out[j].MeterID })
	return out
}

func candidates(rows []PriceRow) string {
	var s []string
	for _, r := range latestByMeter(rows) {
		s = append(s, r.candidate())
	}
	return strings.Join(s, ", ")
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// list joins at most n names, saying how many more there are.
func list(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}
