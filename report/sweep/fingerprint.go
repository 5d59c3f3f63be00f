package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"reflect"
	"slices"
	"time"
	"unsafe"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/report/buildinfo"
)

// Fingerprint identifies the plan's sweep (see fingerprint).
func (p *Plan) Fingerprint() string {
	return fingerprint(p.scenarios(), p.Axes, p.Percentile, p.Deadline, p.Reference)
}

// fingerprint identifies a sweep by what decides its records: every
// point's scenario exactly as the simulator runs it (each value, including
// the data read from trace and formula files, so a file edited between two
// runs changes it), the axes, the percentile, the deadline, the reference
// (its name, description, overrides, replications and scenario, the same
// way; none is not the same as any) and the spotsim
// build (its version and commit, when stamped). Shards of one sweep share
// it, whatever the worker count or the sharding, and so do
// an interrupted sweep and its resumption; merge and resume refuse records
// with another. It is "sha256:" and 64 hex digits.
func fingerprint(points []*model.Scenario, axes []report.SweepAxis, percentile float64, deadline time.Duration, ref *Reference) string {
	h := sha256.New()
	fmt.Fprintf(h, "spotsim sweep fingerprint 2\nbuild %s\npoints %d\npercentile %v\ndeadline %d\n", buildinfo.Read().Key(), len(points), percentile, int64(deadline))
	for _, a := range axes {
		fmt.Fprintf(h, "axis %q %q\n", a.Path, a.Values)
	}
	if ref != nil {
		fmt.Fprintf(h, "reference %q %q %q %d\n", ref.Name, ref.Description, ref.Overrides, ref.Replications)
	} else {
		fmt.Fprintf(h, "no reference\n")
	}
	w := newDeepHasher(h)
	for _, p := range points {
		w.value(reflect.ValueOf(p))
	}
	if ref != nil {
		w.value(reflect.ValueOf(ref.Scenario))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// deepHasher writes a canonical encoding of a Go value graph into a hash:
// pointers are followed (a pointer seen before is written as a reference
// to its first visit, so shared data is hashed once and cycles end), map
// entries are hashed in sorted order, unexported fields are included, and
// nothing depends on addresses, so the same values give the same digest in
// any process (numbers are written little-endian whatever the machine's
// byte order).
type deepHasher struct {
	h    hash.Hash
	seen map[ptrKey]int
	buf  [8]byte
}

type ptrKey struct {
	p uintptr
	t reflect.Type
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	locationType = reflect.TypeFor[*time.Location]()
	littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1
)

func newDeepHasher(h hash.Hash) *deepHasher {
	return &deepHasher{h: h, seen: map[ptrKey]int{}}
}

func (d *deepHasher) tag(b byte) { d.buf[0] = b; d.h.Write(d.buf[:1]) }

func (d *deepHasher) u64(x uint64) {
	binary.LittleEndian.PutUint64(d.buf[:], x)
	d.h.Write(d.buf[:])
}

func (d *deepHasher) str(s string) {
	d.u64(uint64(len(s)))
	d.h.Write(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// fixedSize reports kinds whose values are their bytes, of the same size on
// every platform.
func fixedSize(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

func (d *deepHasher) value(v reflect.Value) {
	if !v.IsValid() {
		d.tag('0')
		return
	}
	switch v.Type() {
	case timeType:
		d.tag('T')
		if v.CanInterface() {
			d.str(v.Interface().(time.Time).Format(time.RFC3339Nano))
			return
		}
	case locationType: // by name: its caches are filled lazily
		d.tag('L')
		if v.IsNil() {
			d.str("UTC")
		} else {
			d.str(v.Elem().FieldByName("name").String())
		}
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		d.tag('b')
		if v.Bool() {
			d.u64(1)
		} else {
			d.u64(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.tag('i')
		d.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		d.tag('u')
		d.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		d.tag('f')
		d.u64(math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		d.tag('c')
		c := v.Complex()
		d.u64(math.Float64bits(real(c)))
		d.u64(math.Float64bits(imag(c)))
	case reflect.String:
		d.tag('s')
		d.str(v.String())
	case reflect.Slice:
		if v.IsNil() {
			d.tag('n')
			return
		}
		d.tag('l')
		d.seq(v)
	case reflect.Array:
		d.tag('a')
		d.seq(v)
	case reflect.Struct:
		d.tag('S')
		for i := 0; i < v.NumField(); i++ {
			d.value(v.Field(i))
		}
	case reflect.Pointer:
		if v.IsNil() {
			d.tag('n')
			return
		}
		k := ptrKey{v.Pointer(), v.Type()}
		if id, ok := d.seen[k]; ok {
			d.tag('r')
			d.u64(uint64(id))
			return
		}
		d.seen[k] = len(d.seen)
		d.tag('p')
		d.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			d.tag('n')
			return
		}
		d.tag('I')
		d.str(v.Elem().Type().String())
		d.value(v.Elem())
	case reflect.Map:
		if v.IsNil() {
			d.tag('n')
			return
		}
		// each entry on its own, then the entries' digests in order
		var sums [][]byte
		it := v.MapRange()
		for it.Next() {
			e := newDeepHasher(sha256.New())
			e.value(it.Key())
			e.value(it.Value())
			sums = append(sums, e.h.Sum(nil))
		}
		slices.SortFunc(sums, bytes.Compare)
		d.tag('m')
		d.u64(uint64(len(sums)))
		for _, s := range sums {
			d.h.Write(s)
		}
	default: // funcs, channels, unsafe pointers: only whether they are set
		d.tag('x')
		d.str(v.Kind().String())
		if v.IsNil() {
			d.u64(0)
		} else {
			d.u64(1)
		}
	}
}

// seq hashes a slice's or an array's elements; numbers in bulk.
func (d *deepHasher) seq(v reflect.Value) {
	n := v.Len()
	d.u64(uint64(n))
	et := v.Type().Elem()
	if n > 0 && fixedSize(et.Kind()) && et != timeType {
		if littleEndian && v.Kind() == reflect.Slice {
			d.h.Write(unsafe.Slice((*byte)(v.UnsafePointer()), n*int(et.Size())))
			return
		}
		var b [8]byte
		sz := int(et.Size())
		for i := 0; i < n; i++ {
			e := v.Index(i)
			var x uint64
			switch {
			case et.Kind() == reflect.Bool:
				if e.Bool() {
					x = 1
				}
			case et.Kind() == reflect.Float32:
				x = uint64(math.Float32bits(float32(e.Float())))
			case et.Kind() == reflect.Float64:
				x = math.Float64bits(e.Float())
			case e.CanInt():
				x = uint64(e.Int())
			default:
				x = e.Uint()
			}
			binary.LittleEndian.PutUint64(b[:], x)
			d.h.Write(b[:sz])
		}
		return
	}
	for i := 0; i < n; i++ {
		d.value(v.Index(i))
	}
}
