package report

import (
	"bytes"
	"encoding/base64"
	"html"
	"html/template"
	"io"
	"strings"
	"sync"
)

// WriteHTML writes report.html: one self-contained page (no network: the
// charts are embedded as data: URIs and a Content-Security-Policy forbids
// any other source) with the headline, the charts and the tables. Every
// number carries its summary.json key and exact value (data-key,
// data-value) so a test can check the page against summary.json. A small
// inline script records script errors and whether every chart decoded, in
// the hidden element #report-status ("ok" or the problems).
func (s *Summary) WriteHTML(w io.Writer, charts []Chart) error {
	type img struct {
		Name, Title string
		Src         template.HTMLAttr
	}
	h := s.headline()
	data := struct {
		S        *Summary
		H        headline
		Sentence template.HTML
		// RefSentence is the headline against the reference, if any.
		RefSentence template.HTML
		Censoring   string
		WhatRan     []string
		RunLine     string
		Rows        []row
		Cols        []string
		Notes       []string
		Charts      []img
		Glossary    [][2]string
		// SaveCI and SavedCI are the cards' intervals in words
		SaveCI, SavedCI template.HTML
	}{Glossary: Glossary, SaveCI: template.HTML(intervalText(htmlNum, h.SavingsLo, h.SavingsHi, "less", "more")),
		SavedCI: template.HTML("$" + intervalUSD(htmlNum, h.SavedLo, h.SavedHi)), S: s, H: h, Sentence: template.HTML(h.sentence(htmlNum, func(t string) string { return "<strong>" + t + "</strong>" })),
		Censoring: s.censoringLine(), WhatRan: s.whatRan(), Rows: s.tableRows(), Cols: statColumns, Notes: append(s.notes(), s.policyNotes()...)}
	for _, c := range charts {
		data.Charts = append(data.Charts, img{Name: c.Name, Title: c.Title,
			Src: pngSrc(c.PNG)})
	}
	if rh, ok := s.referenceHeadline(); ok {
		data.RefSentence = template.HTML(rh.sentence(htmlNum, func(t string) string { return "<strong>" + t + "</strong>" }))
	}
	if s.Run != nil {
		data.RunLine = s.Run.line()
	}
	var b bytes.Buffer
	if err := htmlTmpl().Execute(&b, data); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// htmlNum renders a number of the page with its summary.json key and exact
// value; abs shows its absolute value (data-abs), the words around it
// saying the sign.
func htmlNum(c cell, abs bool) string {
	if c.Key == "" {
		return html.EscapeString(c.text(abs))
	}
	a := ""
	if abs && c.Value < 0 {
		a = ` data-abs="1"`
	}
	return `<span data-key="` + html.EscapeString(c.Key) + `" data-value="` + exact(c.Value) + `"` + a + `>` + html.EscapeString(c.text(abs)) + `</span>`
}

// htmlTmpl is parsed when first used, not when the program starts: most
// commands write no HTML, and parsing it is about a millisecond.
var htmlTmpl = sync.OnceValue(parseHTML)

// parseHTML parses the run report's templates, which the sweep report's
// extend (a template that has executed cannot be cloned: each parses its own).
func parseHTML() *template.Template {
	return template.Must(template.Must(template.New("report").Funcs(template.FuncMap{"exact": exact}).Parse(htmlSource)).Parse(htmlPage))
}

// pngSrc is the src attribute that embeds a PNG, written as html/template
// writes a data URL there (its only change to base64 is + as &#43;), but
// without running its URL normalizer and attribute escaper over every
// byte of every chart.
func pngSrc(png []byte) template.HTMLAttr {
	b64 := base64.StdEncoding.EncodeToString(png)
	return template.HTMLAttr(`src="data:image/png;base64,` + strings.ReplaceAll(b64, "+", "&#43;") + `"`)
}
