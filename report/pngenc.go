package report

import (
	"bufio"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"io"
)

// encodePNG writes img as a PNG. Charts are opaque and mostly flat colour,
// so an opaque image is written as 8-bit RGB, every row unfiltered,
// compressed by zlibRows, which looks for repeats of the pixel to the left
// and of the pixel above only (image/png's per-row filter search and
// default compression were over half of a chart's cost; compress/flate's
// fastest level still most of what was left). Anything else goes through
// image/png. The bytes depend on the pixels only.
func encodePNG(w io.Writer, img *image.RGBA) error {
	raw, ok := rgbRows(img)
	defer buffers.put(raw)
	if !ok {
		return png.Encode(w, img)
	}
	b := img.Bounds()
	bw := bufio.NewWriter(w)
	bw.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(b.Dx()))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(b.Dy()))
	ihdr[8], ihdr[9] = 8, 2 // bit depth 8, colour type 2: RGB
	writeChunk(bw, "IHDR", ihdr[:])

	writeChunk(bw, "IDAT", zlibRows(raw, 1+3*b.Dx()))
	writeChunk(bw, "IEND", nil)
	return bw.Flush()
}

// rgbRows returns img's rows as a PNG's unfiltered RGB scanlines (each a
// filter byte 0, then R, G, B of every pixel), and false when a pixel is
// not opaque. Four pixels at a time are packed from four words into three.
func rgbRows(img *image.RGBA) ([]byte, bool) {
	b := img.Bounds()
	wd, ht := b.Dx(), b.Dy()
	line := 1 + 3*wd
	out := buffers.get(ht * line) // every byte written below
	alpha := uint32(0xffffffff)
	le := binary.LittleEndian
	for y := 0; y < ht; y++ {
		i := img.PixOffset(b.Min.X, b.Min.Y+y)
		src := img.Pix[i : i+4*wd]
		out[y*line] = 0 // filter: none
		dst := out[y*line+1 : (y+1)*line]
		for len(src) >= 16 && len(dst) >= 12 {
			p0, p1, p2, p3 := le.Uint32(src[0:]), le.Uint32(src[4:]), le.Uint32(src[8:]), le.Uint32(src[12:])
			alpha &= p0 & p1 & p2 & p3
			le.PutUint32(dst[0:], p0&0xffffff|p1<<24)
			le.PutUint32(dst[4:], p1>>8&0xffff|p2<<16)
			le.PutUint32(dst[8:], p2>>16&0xff|p3<<8)
			src, dst = src[16:], dst[12:]
		}
		for len(src) >= 4 && len(dst) >= 3 {
			alpha &= uint32(src[3])<<24 | 0xffffff
			dst[0], dst[1], dst[2] = src[0], src[1], src[2]
			src, dst = src[4:], dst[3:]
		}
	}
	return out, alpha>>24 == 0xff
}

// writeChunk writes one PNG chunk: length, type, data, CRC of type and data.
func writeChunk(w *bufio.Writer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	io.WriteString(crc, typ)
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}
