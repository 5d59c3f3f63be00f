package importer

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// SpotPoint is one point of a Spot price history.
type SpotPoint struct {
	At    time.Time
	Price float64 // $ per hour
}

// SpotHistory is the Spot price history of one size, OS and region.
type SpotHistory struct {
	Size, OS, Region string
	Path             string      // the JSON path of its spotPrices array
	Points           []SpotPoint // oldest first
}

// SpotBand is the eviction-rate band of one size and region.
type SpotBand struct {
	Size, Region string
	Band         string // "0-5", "5-10", ..., "20+" (percent per hour)
	Path         string // its JSON path
}

// Spot is a Resource Graph SpotResources result: price histories and
// eviction-rate bands.
type Spot struct {
	File   string
	Prices []SpotHistory
	Bands  []SpotBand
}

// ReadSpot reads the JSON of az graph query over SpotResources: rows of
// type microsoft.compute/skuspotpricehistory/ostype/location (sku.name,
// location, properties.osType, properties.spotPrices[] of {priceUSD,
// effectiveDate}) and microsoft.compute/skuspotevictionrate/location
// (properties.evictionRate). Projections that flatten the row (skuName,
// osType, spotPrices, evictionRate) and name the points' fields unitPrice
// and timestamp are read too.
func ReadSpot(path string) (*Spot, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return spotFrom(path, data)
}

func spotFrom(path string, data []byte) (*Spot, error) {
	if !looksJSON(data) {
		return nil, errorf(path, "", "this does not look like a Resource Graph SpotResources result: want the JSON of az graph query")
	}
	doc, err := parseJSON(path, data)
	if err != nil {
		return nil, err
	}
	if k := sniff(doc); k != SpotResources {
		return nil, wrongKind(path, k, "a Resource Graph SpotResources result")
	}
	rows := doc
	if d, ok := doc.get("data"); ok {
		rows = d
	} else if _, ok := doc.object(); ok {
		rows = node{v: []any{doc.v}, path: "$", file: path}
	}
	items, err := rows.items()
	if err != nil {
		return nil, err
	}
	s := &Spot{File: path}
	for _, r := range items {
		if err := s.readRow(r); err != nil {
			return nil, err
		}
	}
	if len(s.Prices)+len(s.Bands) == 0 {
		return nil, errorf(path, "", "no Spot price history or eviction-rate rows in it")
	}
	return s, nil
}

// field returns the first of several spellings of a member: a path in the
// row ("properties.osType") or a projected name ("osType").
func field(r node, paths ...string) (node, bool) {
	for _, p := range paths {
		if c, ok := r.at(p); ok {
			return c, true
		}
	}
	return node{}, false
}

func (s *Spot) readRow(r node) error {
	if _, ok := r.object(); !ok {
		return r.errorf("must be an object (a SpotResources row), got %s", r.kind())
	}
	typ, _ := r.optStr("type")
	typ = strings.ToLower(typ)
	prices, hasPrices := field(r, "properties.spotPrices", "spotPrices")
	band, hasBand := field(r, "properties.evictionRate", "evictionRate")
	switch {
	case hasPrices && (typ == "" || strings.HasPrefix(typ, "microsoft.compute/skuspotpricehistory")):
	case hasBand && (typ == "" || strings.HasPrefix(typ, "microsoft.compute/skuspotevictionrate")):
	case strings.HasPrefix(typ, "microsoft.compute/skuspotpricehistory"):
		return &Error{File: r.file, Path: r.path + ".properties.spotPrices", Msg: "missing"}
	case strings.HasPrefix(typ, "microsoft.compute/skuspotevictionrate"):
		return &Error{File: r.file, Path: r.path + ".properties.evictionRate", Msg: "missing"}
	default:
		return nil // another SpotResources type
	}
	sc, ok := field(r, "sku.name", "skuName")
	if !ok {
		return &Error{File: r.file, Path: r.path + ".sku.name", Msg: "missing"}
	}
	size, err := sc.str()
	if err != nil {
		return err
	}
	lc, ok := field(r, "location", "properties.location")
	if !ok {
		return &Error{File: r.file, Path: r.path + ".location", Msg: "missing"}
	}
	region, err := lc.str()
	if err != nil {
		return err
	}
	if hasBand && !hasPrices {
		b, err := band.str()
		if err != nil {
			return err
		}
		s.Bands = append(s.Bands, SpotBand{Size: size, Region: region, Band: strings.TrimSpace(b), Path: band.path})
		return nil
	}
	oc, ok := field(r, "properties.osType", "osType")
	if !ok {
		return &Error{File: r.file, Path: r.path + ".properties.osType", Msg: "missing"}
	}
	osType, err := oc.str()
	if err != nil {
		return err
	}
	h := SpotHistory{Size: size, OS: strings.ToLower(osType), Region: region, Path: prices.path}
	pts, err := prices.items()
	if err != nil {
		return err
	}
	for _, p := range pts {
		pc, ok := field(p, "priceUSD", "unitPrice")
		if !ok {
			return &Error{File: p.file, Path: p.path + ".priceUSD", Msg: "missing"}
		}
		x, err := pc.num()
		if err != nil {
			return err
		}
		if x < 0 {
			return pc.errorf("must be a price >= 0, got %s", pc.kind())
		}
		tc, ok := field(p, "effectiveDate", "timestamp")
		if !ok {
			return &Error{File: p.file, Path: p.path + ".effectiveDate", Msg: "missing"}
		}
		at, err := tc.timestamp()
		if err != nil {
			return err
		}
		h.Points = append(h.Points, SpotPoint{At: at, Price: x})
	}
	if len(h.Points) == 0 {
		return prices.errorf("no prices in it")
	}
	sort.SliceStable(h.Points, func(i, j int) bool { return h.Points[i].At.Before(h.Points[j].At) })
	s.Prices = append(s.Prices, h)
	return nil
}

// History returns the price history of a size in a region for an OS
// ("linux", "windows"); region "" accepts the only one there is. It is
// nil, with no error, when the result has none for them.
func (s *Spot) History(size, region, os string) (*SpotHistory, error) {
	h, c := only(s.Prices, func(h SpotHistory) (bool, string) {
		return strings.EqualFold(h.Size, size) && (region == "" || strings.EqualFold(h.Region, region)) && strings.EqualFold(h.OS, os),
			h.Path + " (" + h.Region + ")"
	})
	if len(c) > 1 {
		return nil, errorf(s.File, "", "%d Spot price histories for %s %s: %s; choose one with --region", len(c), size, os, strings.Join(c, ", "))
	}
	return h, nil
}

// Band returns the eviction-rate band of a size in a region; nil, with no
// error, when the result has none.
func (s *Spot) Band(size, region string) (*SpotBand, error) {
	b, c := only(s.Bands, func(b SpotBand) (bool, string) {
		return strings.EqualFold(b.Size, size) && (region == "" || strings.EqualFold(b.Region, region)),
			b.Path + " (" + b.Region + " " + b.Band + ")"
	})
	if len(c) > 1 {
		return nil, errorf(s.File, "", "%d eviction-rate rows for %s: %s; choose one with --region", len(c), size, strings.Join(c, ", "))
	}
	return b, nil
}

// only returns the one row that match accepts (nil if none), and the
// names of every row it accepts, for the error when there are several.
func only[T any](rows []T, match func(T) (bool, string)) (*T, []string) {
	var one *T
	var names []string
	for i := range rows {
		if ok, name := match(rows[i]); ok {
			one, names = &rows[i], append(names, name)
		}
	}
	if len(names) != 1 {
		one = nil
	}
	return one, names
}

// Contents lists what the result holds, for an error that found nothing.
func (s *Spot) Contents() string {
	var seen []string
	for _, h := range s.Prices {
		seen = append(seen, fmt.Sprintf("prices of %s %s in %s", h.Size, h.OS, h.Region))
	}
	for _, b := range s.Bands {
		seen = append(seen, fmt.Sprintf("the band of %s in %s", b.Size, b.Region))
	}
	return list(uniq(seen), 8)
}

func orAny(region string) string {
	if region == "" {
		return "any region"
	}
	return region
}

func uniq(s []string) []string {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	if len(m) == 0 {
		return []string{"nothing for that"}
	}
	return keys(m)
}
