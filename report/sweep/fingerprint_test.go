package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"testing"
	"time"
)

func digest(v any) string {
	d := newDeepHasher(sha256.New())
	d.value(reflect.ValueOf(v))
	return hex.EncodeToString(d.h.Sum(nil))
}

type node struct {
	name  string // unexported fields count
	next  *node
	attrs map[string]int
	xs    []float32
	when  time.Time
	loc   *time.Location
	f     func()
}

// TestDeepHasher: the digest follows values, not addresses or map order,
// ends on cycles, and sees unexported fields.
func TestDeepHasher(t *testing.T) {
	build := func(name string, x float32) *node {
		a := &node{name: name, attrs: map[string]int{}, xs: []float32{1, x}, when: time.Date(2024, 3, 1, 8, 0, 0, 0, time.FixedZone("CET", 3600)), loc: time.UTC}
		for i, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
			a.attrs[k] = i
		}
		a.next = &node{name: "b", next: a} // a cycle
		return a
	}
	first := digest(build("a", 2))
	for i := 0; i < 5; i++ { // new addresses, new map orders
		if d := digest(build("a", 2)); d != first {
			t.Fatalf("the same value hashes to %s then %s", first, d)
		}
	}
	if digest(build("z", 2)) == first || digest(build("a", 3)) == first {
		t.Error("an unexported string or a float32 element does not count")
	}
	n := build("a", 2)
	n.f = func() {}
	if digest(n) == first {
		t.Error("a set func hashes as a nil one")
	}
	// shared and separate but equal pointees differ: sharing is structure
	x := &node{name: "x"}
	if digest([]*node{x, x}) == digest([]*node{{name: "x"}, {name: "x"}}) {
		t.Error("a shared pointer hashes as two copies")
	}
	if digest([]int64{1, 2}) == digest([]int64{2, 1}) || digest([]int64(nil)) == digest([]int64{}) {
		t.Error("slices: order or nil-ness lost")
	}
}
