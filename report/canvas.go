package report

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"git.sr.ht/~sbinet/gg"
	"github.com/golang/freetype/raster"
	stdfont "golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// chartCanvas is the vgimg canvas the charts are drawn on, with its two
// costliest operations done more cheaply:
//   - Fill of a path of straight lines rasterizes it as gg would (same
//     points, same rounding, same rasterizer), then paints its spans with
//     spanPainter, which writes a fully covered pixel of an opaque colour
//     as it is rather than blending it: the same pixels;
//   - FillString of upright text draws each glyph's mask straight onto the
//     image (image/draw's glyph path), where gg resamples every glyph
//     through an affine transform (vgimg draws text through a flipped y
//     axis, here the identity), and keeps each glyph it has rasterized, by
//     font, rune and sub-pixel position. The same coverage; a pixel may
//     differ by a rounding step.
//
// Anything else (a curve or an arc, rotated text) goes to vgimg as it is.
type chartCanvas struct {
	*vgimg.Canvas
	img    *image.RGBA
	ctx    *gg.Context
	height float64       // the image's height in pixels
	top    float64       // vgimg's height in dots, which it flips text by
	colors []color.Color // vgimg's colour stack (SetColor, Push, Pop)
	ras    *raster.Rasterizer
	path   raster.Path
	faces  map[font.Face]stdfont.Face
	glyphs map[glyphKey]*glyph
}

// newChartCanvas returns a canvas drawing onto img, white first, at
// chartDPI, set up as vgimg.NewWith sets up its own (butt line caps, y
// upwards), which would copy the image.
func newChartCanvas(img *image.RGBA) *chartCanvas {
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	b := img.Bounds()
	c := &chartCanvas{
		img: img, ctx: ctx, height: float64(b.Dy()),
		colors: []color.Color{color.Black}, // vg.Initialize's
		ras:    raster.NewRasterizer(b.Dx(), b.Dy()),
		faces:  map[font.Face]stdfont.Face{},
		glyphs: map[glyphKey]*glyph{},
	}
	c.Canvas = vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(chartDPI)) // white by default
	_, h := c.Size()
	c.top = h.Dots(c.DPI())
	return c
}

// SetColor implements vg.Canvas.
func (c *chartCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black // as vgimg
	}
	c.Canvas.SetColor(clr)
	c.colors[len(c.colors)-1] = clr
}

// Push implements vg.Canvas.
func (c *chartCanvas) Push() {
	c.Canvas.Push()
	c.colors = append(c.colors, c.colors[len(c.colors)-1])
}

// Pop implements vg.Canvas.
func (c *chartCanvas) Pop() {
	c.Canvas.Pop()
	c.colors = c.colors[:len(c.colors)-1]
}

func (c *chartCanvas) color() color.Color { return c.colors[len(c.colors)-1] }

// Fill implements vg.Canvas: gg's Fill for a path of straight lines, its
// spans painted by spanPainter.
func (c *chartCanvas) Fill(p vg.Path) {
	dpi := c.DPI()
	c.path.Clear()
	var start fixed.Point26_6
	open := false // gg's hasCurrent
	for _, comp := range p {
		switch comp.Type {
		case vg.MoveComp, vg.LineComp:
			pt := c.fixed(comp.Pos.X.Dots(dpi), comp.Pos.Y.Dots(dpi))
			if comp.Type == vg.LineComp && open {
				c.path.Add1(pt)
				continue
			}
			if open {
				c.path.Add1(start)
			}
			c.path.Start(pt)
			start, open = pt, true
		case vg.CloseComp:
			if open {
				c.path.Add1(start)
			}
		default:
			c.Canvas.Fill(p)
			return
		}
	}
	if open {
		c.path.Add1(start)
	}
	c.ras.UseNonZeroWinding = true // gg's default fill rule
	c.ras.Clear()
	c.ras.AddPath(c.path)
	sp := spanPainter{img: c.img}
	sp.cr, sp.cg, sp.cb, sp.ca = c.color().RGBA()
	c.ras.Rasterize(&sp)
}

// fixed is gg's device point of (x, y): through its matrix, rounded to
// 1/64 pixel.
func (c *chartCanvas) fixed(x, y float64) fixed.Point26_6 {
	x, y = c.ctx.TransformPoint(x, y)
	return fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}
}

// upright says whether gg's matrix is the canvas's own y flip alone, so
// that text, which vgimg draws flipped back, is drawn by the identity.
func (c *chartCanvas) upright() bool {
	h := c.height
	for _, p := range [3][4]float64{{0, 0, 0, h}, {1, 0, 1, h}, {0, 1, 0, h - 1}} {
		if x, y := c.ctx.TransformPoint(p[0], p[1]); x != p[2] || y != p[3] {
			return false
		}
	}
	return true
}

// glyphKey is a glyph as rasterized: its font, rune and the dot's
// sub-pixel position.
type glyphKey struct {
	face   font.Face
	r      rune
	fx, fy fixed.Int26_6 // the dot's fractions of a pixel
}

// glyph is a rasterized glyph: its rectangle relative to the dot's whole
// pixel, its mask and its advance.
type glyph struct {
	dr      image.Rectangle
	mask    *image.Alpha
	advance fixed.Int26_6
	ok      bool
}

// FillString implements vg.Canvas: for upright text, gg's drawString
// with each glyph's mask drawn straight onto the image.
func (c *chartCanvas) FillString(f font.Face, pt vg.Point, str string) {
	if f.Font.Size == 0 {
		return
	}
	if !c.upright() {
		c.Canvas.FillString(f, pt, str)
		return
	}
	face, ok := c.faces[f]
	if !ok {
		face = f.FontFace(c.DPI())
		c.faces[f] = face
	}
	dpi := c.DPI()
	dot := fixed.Point26_6{X: fixed.Int26_6(math.Round(pt.X.Dots(dpi) * 64)), Y: fixed.Int26_6(math.Round((c.top - pt.Y.Dots(dpi)) * 64))}
	src := image.NewUniform(c.color())
	prev := rune(-1)
	for _, r := range str {
		if prev >= 0 {
			dot.X += face.Kern(prev, r)
		}
		g := c.glyph(f, face, dot, r)
		if !g.ok {
			continue
		}
		whole := image.Pt(dot.X.Floor(), dot.Y.Floor())
		draw.DrawMask(c.img, g.dr.Add(whole), src, image.Point{}, g.mask, image.Point{}, draw.Over)
		dot.X += g.advance
		prev = r
	}
}

// glyph returns rune r of face (the font.Face f's) rasterized at dot.
func (c *chartCanvas) glyph(f font.Face, face stdfont.Face, dot fixed.Point26_6, r rune) *glyph {
	k := glyphKey{f, r, dot.X & 63, dot.Y & 63}
	if g, ok := c.glyphs[k]; ok {
		return g
	}
	at := fixed.Point26_6{X: k.fx, Y: k.fy}
	dr, mask, maskp, advance, ok := face.Glyph(at, r)
	g := &glyph{dr: dr, advance: advance, ok: ok}
	if ok {
		g.mask = image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		if a, isAlpha := mask.(*image.Alpha); isAlpha {
			for y := range dr.Dy() {
				i := a.PixOffset(maskp.X, maskp.Y+y)
				copy(g.mask.Pix[y*g.mask.Stride:], a.Pix[i:i+dr.Dx()])
			}
		} else {
			draw.Draw(g.mask, g.mask.Rect, mask, maskp, draw.Src)
		}
	}
	c.glyphs[k] = g
	return g
}

// spanPainter paints a rasterizer's spans in one colour over an RGBA
// image, as freetype's RGBAPainter with the Over operator does, pixel for
// pixel, except that it writes a span fully covered by an opaque colour
// without blending each pixel.
type spanPainter struct {
	img            *image.RGBA
	cr, cg, cb, ca uint32
}

// Paint implements raster.Painter.
func (r *spanPainter) Paint(ss []raster.Span, _ bool) {
	const m = 1<<16 - 1
	b := r.img.Bounds()
	pix := r.img.Pix
	for _, s := range ss {
		if s.Y < b.Min.Y {
			continue
		}
		if s.Y >= b.Max.Y {
			return
		}
		x0, x1 := max(s.X0, b.Min.X), min(s.X1, b.Max.X)
		if x0 >= x1 {
			continue
		}
		i0 := (s.Y-r.img.Rect.Min.Y)*r.img.Stride + (x0-r.img.Rect.Min.X)*4
		i1 := i0 + (x1-x0)*4
		ma := s.Alpha
		if ma == m && r.ca == m {
			span := pix[i0:i1]
			span[0], span[1], span[2], span[3] = uint8(r.cr>>8), uint8(r.cg>>8), uint8(r.cb>>8), uint8(r.ca>>8)
			for n := 4; n < len(span); n *= 2 {
				copy(span[n:], span[:n])
			}
			continue
		}
		a := (m - (r.ca * ma / m)) * 0x101
		cr, cg, cb, ca := r.cr*ma, r.cg*ma, r.cb*ma, r.ca*ma
		for i := i0; i < i1; i += 4 {
			p := pix[i : i+4 : i+4]
			p[0] = uint8((uint32(p[0])*a + cr) / m >> 8)
			p[1] = uint8((uint32(p[1])*a + cg) / m >> 8)
			p[2] = uint8((uint32(p[2])*a + cb) / m >> 8)
			p[3] = uint8((uint32(p[3])*a + ca) / m >> 8)
		}
	}
}
