package report

import (
	"encoding/binary"
	"math/bits"
)

// zlibRows compresses the scanlines of an image (raw, stride bytes a row)
// into a zlib stream for a PNG's IDAT. A chart is mostly runs of one
// colour and rows like the row above, so it looks for repeats at two
// distances only: the pixel to the left (3 bytes back) and the pixel
// above (stride back), takes the longer (the left one on a tie), and writes one deflate block
// with the fixed Huffman codes. That is about a tenth of the work of
// compress/flate's fastest level, which hashes every byte to find repeats
// at any distance, for files a little larger. The bytes depend on raw and
// stride only.
func zlibRows(raw []byte, stride int) []byte {
	w := bitWriter{out: make([]byte, 0, len(raw)/8+64)}
	w.out = append(w.out, 0x78, 0x01) // deflate, 32 KiB window, no dictionary
	w.put(1|1<<1, 3)                  // the final block, fixed Huffman codes
	far := stride <= 32768 && stride >= 3
	var farCode uint32
	var farBits uint
	if far {
		farCode, farBits = distCode(stride)
	}
	leftCode, leftBits := distCode(3)
	for i := 0; i < len(raw); {
		n, code, nbits := 0, leftCode, leftBits
		if i >= 3 {
			n = repeatLen(raw, i, 3)
		}
		if far && i >= stride && n < maxMatch {
			if m := repeatLen(raw, i, stride); m > n {
				n, code, nbits = m, farCode, farBits
			}
		}
		if n >= 3 {
			w.put(uint64(fixedLen[n].code), uint(fixedLen[n].bits))
			w.put(uint64(code), nbits)
			i += n
			continue
		}
		w.put(uint64(fixedLit[raw[i]].code), uint(fixedLit[raw[i]].bits))
		i++
	}
	w.put(0, 7) // end of block: code 256, seven zero bits
	w.flush()
	return binary.BigEndian.AppendUint32(w.out, adler32Sum(raw))
}

// maxMatch is deflate's longest repeat.
const maxMatch = 258

// repeatLen returns how many bytes from b[i] on (maxMatch at most) repeat
// the bytes d before them.
func repeatLen(b []byte, i, d int) int {
	lim := min(maxMatch, len(b)-i)
	cur, back := b[i:i+lim], b[i-d:i-d+lim]
	n := 0
	for len(cur) >= 8 && len(back) >= 8 {
		if x := binary.LittleEndian.Uint64(cur) ^ binary.LittleEndian.Uint64(back); x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		cur, back, n = cur[8:], back[8:], n+8
	}
	for k := range cur {
		if k >= len(back) || cur[k] != back[k] {
			return n + k
		}
	}
	return n + len(cur)
}

// huff is a code ready to write: its bits in the order they are written
// (a Huffman code reversed, then any extra bits), and how many.
type huff struct {
	code uint32
	bits uint8
}

// fixedLit and fixedLen are the fixed Huffman codes (RFC 1951, 3.2.6) of
// a literal byte and of a repeat's length (3 to 258, with its extra bits).
var fixedLit, fixedLen = fixedCodes()

func fixedCodes() (lit [256]huff, length [maxMatch + 1]huff) {
	// the fixed literal/length code of symbol s
	sym := func(s int) huff {
		switch {
		case s < 144:
			return huff{reverse(uint32(0x30+s), 8), 8}
		case s < 256:
			return huff{reverse(uint32(0x190+s-144), 9), 9}
		case s < 280:
			return huff{reverse(uint32(s-256), 7), 7}
		}
		return huff{reverse(uint32(0xc0+s-280), 8), 8}
	}
	for v := range lit {
		lit[v] = sym(v)
	}
	base := [...]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	for l := 3; l <= maxMatch; l++ {
		k := len(base) - 1
		for base[k] > l {
			k--
		}
		extra := 0
		if k >= 8 && k < 28 {
			extra = (k - 4) / 4
		}
		h := sym(257 + k)
		length[l] = huff{h.code | uint32(l-base[k])<<h.bits, h.bits + uint8(extra)}
	}
	return lit, length
}

// distCode is the fixed code of the distance d (1 to 32768), with its
// extra bits.
func distCode(d int) (uint32, uint) {
	c, base := 0, 1
	for c < 29 {
		extra := max(0, c/2-1)
		if d < base+1<<extra {
			break
		}
		base += 1 << extra
		c++
	}
	extra := uint(max(0, c/2-1))
	return reverse(uint32(c), 5) | uint32(d-base)<<5, 5 + extra
}

// reverse returns the n low bits of v in reverse order (deflate writes a
// Huffman code from its first bit, into bytes filled from their lowest).
func reverse(v uint32, n uint) uint32 {
	return bits.Reverse32(v) >> (32 - n)
}

// bitWriter packs bits into bytes, lowest first.
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

// put writes the n low bits of v (n <= 32).
func (w *bitWriter) put(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	if w.nacc >= 32 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.acc))
		w.acc >>= 32
		w.nacc -= 32
	}
}

// flush writes the bits left, padded to a byte.
func (w *bitWriter) flush() {
	for w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= min(w.nacc, 8)
	}
}

// adler32Sum is hash/adler32.Checksum(b), eight bytes at a time: a word's
// bytes are summed, and summed weighted by their distance from the
// word's end (which the checksum's second sum adds), by multiplying
// 16-bit lanes of them, where byte by byte was about a third of the
// cost of compressing a chart.
func adler32Sum(b []byte) uint32 {
	const (
		mod  = 65521
		nmax = 5552 // the most bytes before the second sum could pass 2^32
	)
	s1, s2 := uint32(1), uint32(0)
	for len(b) > 0 {
		n := min(len(b), nmax)
		chunk := b[:n]
		b = b[n:]
		for len(chunk) >= 8 {
			sum, weighted := adler8(binary.LittleEndian.Uint64(chunk))
			s2 += 8*s1 + weighted
			s1 += sum
			chunk = chunk[8:]
		}
		for _, c := range chunk {
			s1 += uint32(c)
			s2 += s1
		}
		s1, s2 = s1%mod, s2%mod
	}
	return s2<<16 | s1
}

// adler8 returns the sum of a word's eight bytes (the first in its low
// bits) and their sum weighted 8 for the first down to 1 for the last.
func adler8(v uint64) (sum, weighted uint32) {
	const lanes = 0x00ff00ff00ff00ff
	even, odd := v&lanes, v>>8&lanes // bytes 0, 2, 4, 6 and 1, 3, 5, 7
	// the top lane of a product sums the lanes times the weights in
	// reverse order; no lane below carries into it
	sum = uint32((even + odd) * 0x0001000100010001 >> 48)
	weighted = uint32(even*(2|4<<16|6<<32|8<<48)>>48 + odd*(1|3<<16|5<<32|7<<48)>>48)
	return sum, weighted
}
