package report

import (
	"bytes"
	"compress/zlib"
	"hash/adler32"
	"io"
	"math/rand/v2"
	"testing"
)

// TestZlibRows: zlibRows' stream inflates to its input, for scanlines of
// flat runs (longer than a repeat can be), rows repeating the row above,
// noise, and rows too long to repeat (over 32 KiB), and of any length.
func TestZlibRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	noise := func(b []byte) {
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
	}
	cases := []struct {
		name         string
		stride, rows int
		fill         func(raw []byte, stride int)
	}{
		{"empty", 31, 0, func([]byte, int) {}},
		{"one byte", 1, 1, func(b []byte, _ int) { b[0] = 7 }},
		{"noise", 3001, 20, func(b []byte, _ int) { noise(b) }},
		{"flat", 3001, 20, func(b []byte, _ int) {
			for i := range b {
				b[i] = []byte{0xff, 0x80, 0x10}[i%3]
			}
		}},
		{"rows repeat", 301, 40, func(b []byte, s int) {
			noise(b[:s])
			for i := s; i < len(b); i++ {
				b[i] = b[i-s]
				if rng.IntN(50) == 0 {
					b[i]++
				}
			}
		}},
		{"runs of every length", 1000, 30, func(b []byte, _ int) {
			for i := 0; i < len(b); {
				n, v := 1+rng.IntN(600), byte(rng.IntN(4))
				for ; n > 0 && i < len(b); n, i = n-1, i+1 {
					b[i] = v
				}
			}
		}},
		{"rows too long to repeat", 40000, 3, func(b []byte, s int) {
			noise(b[:s])
			copy(b[s:], b[:s])
			copy(b[2*s:], b[:s])
		}},
	}
	for _, c := range cases {
		raw := make([]byte, c.stride*c.rows)
		c.fill(raw, c.stride)
		z := zlibRows(raw, c.stride)
		r, err := zlib.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !bytes.Equal(got, raw) {
			t.Errorf("%s: inflates to %d bytes unlike its %d", c.name, len(got), len(raw))
		}
		if !bytes.Equal(zlibRows(raw, c.stride), z) {
			t.Errorf("%s: two compressions differ", c.name)
		}
	}
}

// TestAdler32Sum: adler32Sum is hash/adler32's checksum, for lengths
// around its word and its modulo block (5552), of zeros, of 0xff (the
// largest sums) and of noise.
func TestAdler32Sum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 5551, 5552, 5553, 11104, 11111, 100003} {
		for _, fill := range []func(int) byte{func(int) byte { return 0 }, func(int) byte { return 0xff }, func(int) byte { return byte(rng.Uint32()) }} {
			b := make([]byte, n)
			for i := range b {
				b[i] = fill(i)
			}
			if got, want := adler32Sum(b), adler32.Checksum(b); got != want {
				t.Errorf("%d bytes starting %v: %08x, want %08x", n, b[:min(n, 3)], got, want)
			}
		}
	}
}
