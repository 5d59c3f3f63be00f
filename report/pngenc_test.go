package report

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestEncodePNG: an opaque image decodes to the same pixels, written
// as RGB, a translucent one as image/png writes it, and the same image
// gives the same bytes.
func TestEncodePNG(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, opaque := range []bool{true, false} {
		img := image.NewRGBA(image.Rect(0, 0, 37, 23))
		for i := range img.Pix {
			img.Pix[i] = byte(rng.IntN(256))
		}
		for i := 3; i < len(img.Pix); i += 4 {
			if opaque {
				img.Pix[i] = 0xff
			} else {
				img.Pix[i-3], img.Pix[i-2], img.Pix[i-1] = img.Pix[i]/2, img.Pix[i]/3, img.Pix[i] // premultiplied
			}
		}
		var a, b bytes.Buffer
		if err := encodePNG(&a, img); err != nil {
			t.Fatal(err)
		}
		encodePNG(&b, img)
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("two encodings of one image differ")
		}
		if !opaque { // image/png's own bytes
			var want bytes.Buffer
			png.Encode(&want, img)
			if !bytes.Equal(a.Bytes(), want.Bytes()) {
				t.Fatal("a translucent image is not written by image/png")
			}
			continue
		}
		got, err := png.Decode(bytes.NewReader(a.Bytes()))
		if err != nil {
			t.Fatalf("opaque %v: %v", opaque, err)
		}
		for y := 0; y < 23; y++ {
			for x := 0; x < 37; x++ {
				w := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
				g := color.RGBAModel.Convert(got.At(x, y)).(color.RGBA)
				if w != g {
					t.Fatalf("opaque %v: pixel (%d, %d) is %v, want %v", opaque, x, y, g, w)
				}
			}
		}
	}
}

// TestEncodePNGOneTranslucentPixel: a single pixel that is not opaque,
// wherever it is (in a group of four or in a row's tail), sends the image
// to image/png.
func TestEncodePNGOneTranslucentPixel(t *testing.T) {
	for _, at := range []image.Point{{0, 0}, {5, 3}, {35, 7}, {36, 22}} {
		img := image.NewRGBA(image.Rect(0, 0, 37, 23))
		for i := range img.Pix {
			img.Pix[i] = 0xff
		}
		img.SetRGBA(at.X, at.Y, color.RGBA{R: 0x10, G: 0x20, B: 0x30, A: 0xfe})
		var got, want bytes.Buffer
		if err := encodePNG(&got, img); err != nil {
			t.Fatal(err)
		}
		png.Encode(&want, img)
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("pixel %v translucent: not written by image/png", at)
		}
	}
}
