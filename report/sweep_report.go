package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"sync"
)

// sweepWhat says what the sweep ran, in one paragraph: the points, the
// replications, the seed, each axis with its values, the percentile and
// the deadline.
func (s *Sweep) sweepWhat() string {
	var axes []string
	for _, a := range s.Axes {
		vals := make([]string, len(a.Values))
		for i, v := range a.Values {
			vals[i] = Display(v)
		}
		axes = append(axes, fmt.Sprintf("%s over %s", a.Path, strings.Join(vals, ", ")))
	}
	reps := ""
	if len(s.Results) > 0 {
		reps = fmt.Sprintf(", %d replications each", s.Results[0].Replications)
		for _, p := range s.Results {
			if p.Replications != s.Results[0].Replications {
				reps = ""
			}
		}
	}
	what := fmt.Sprintf("%d points%s, seed %d, the same random numbers for every point, each paired with its own dedicated-only baseline%s", s.Points, reps, s.Seed, s.againstReference())
	if len(axes) > 0 {
		what += "; swept: " + strings.Join(axes, "; ")
	}
	what += fmt.Sprintf(". Completion time is read at %s", pctName(s.Percentile))
	if s.DeadlineHours > 0 {
		what += fmt.Sprintf(", against a deadline of %s h", g4(s.DeadlineHours))
	}
	return what + "."
}

// WriteMarkdown writes the sweep's report.md: the recommendation, what
// ran, the notes, the charts (linked by file name, beside report.md; none
// when charts is nil) and the table of points.
func (s *Sweep) WriteMarkdown(w io.Writer, charts []Chart) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# spotsim sweep: %s\n\n", mdEscape(s.Name))
	if s.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(s.Description))
	}
	if s.Run != nil {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(s.Run.line()))
	}
	fmt.Fprintf(&b, "**%s**\n\n", mdEscape(s.recommendationText()))
	fmt.Fprintf(&b, "%s\n\n", mdEscape(s.sweepWhat()))
	if l := s.referenceLine(); l != "" {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(l))
	}
	for _, n := range s.notesByText() {
		fmt.Fprintf(&b, "> %s\n\n", mdEscape(n))
	}
	for _, c := range charts {
		fmt.Fprintf(&b, "![%s](%s)\n\n", mdEscape(c.Title), c.Name)
	}
	b.WriteString("## Points\n\n")
	t := s.table()
	b.WriteString("|")
	for _, h := range t.head {
		fmt.Fprintf(&b, " %s |", mdEscape(h))
	}
	b.WriteString("\n|")
	for i := range t.head {
		if t.left(i) {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		b.WriteString("|")
		for _, c := range r {
			fmt.Fprintf(&b, " %s |", mdEscape(c))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n%s\n", mdEscape(s.frontierLine()))
	_, err := w.Write(b.Bytes())
	return err
}

// WriteHTML writes the sweep's report.html, in the run report's page
// shell (one self-contained page; the charts are data: URIs): the
// recommendation, what ran, the notes, the charts and the table of points.
// The recommended point's numbers carry their sweep.json key and exact
// value (data-key, data-value), as the run report's do.
func (s *Sweep) WriteHTML(w io.Writer, charts []Chart) error {
	type img struct {
		Name, Title string
		Src         template.HTMLAttr
	}
	t := s.table()
	data := struct {
		S              *Sweep
		Recommendation string
		Keys           []cell
		What           string
		Notes          []string
		Charts         []img
		Head           []string
		Rows           [][]string
		Left           []bool
		Rec            string
		Frontier       string
		RunLine        string
		RefName        string
		Reference      string
	}{Reference: s.referenceLine(), S: s, Recommendation: s.recommendationText(), What: s.sweepWhat(), Notes: s.notesByText(),
		Head: t.head, Rows: t.rows, Frontier: s.frontierLine()}
	for i := range t.head {
		data.Left = append(data.Left, t.left(i))
	}
	if s.Run != nil {
		data.RunLine = s.Run.line()
	}
	if r := s.Recommendation; r != nil && r.Index != nil {
		data.Rec = strconv.Itoa(*r.Index)
		for i, p := range s.Results {
			if p.Index != *r.Index {
				continue
			}
			k := "results." + strconv.Itoa(i) + "."
			data.Keys = []cell{meanCell(k+"cost_usd", p.CostUSD, 2), meanCell(k+"savings_pct", p.SavingsPct, 1),
				newCell(k+"completion_at_percentile_hours", *p.CompletionAtPercentile, 2)}
			if st := p.SavedVsReferenceUSD; st != nil && s.Reference != nil {
				data.RefName = s.Reference.Name
				data.Keys = append(data.Keys, meanCell(k+"saved_vs_reference_usd", *st, 2), meanCell(k+"savings_vs_reference_pct", *p.SavingsVsReferencePct, 1))
			}
		}
	}
	for _, c := range charts {
		data.Charts = append(data.Charts, img{Name: c.Name, Title: c.Title,
			Src: pngSrc(c.PNG)})
	}
	var b bytes.Buffer
	if err := sweepHTMLTmpl().Execute(&b, data); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

var sweepHTMLTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(parseHTML().New("sweep").Parse(sweepHTMLSource))
})

// sweepHTMLSource is the sweep's report.html (see Sweep.WriteHTML).
const sweepHTMLSource = `{{template "page-head" printf "spotsim sweep: %s" .S.Name}}
<style>
#recommendation { font-size: 1.15em; border-left: 4px solid #1a9e3f; padding: .5em .8em; background: #f1f8f3; }
tr.rec td { background: #fdf1e8; font-weight: 600; }
td.txt { text-align: left; }
</style>
<h1>spotsim sweep: {{.S.Name}}</h1>
{{if .S.Description}}<p class="desc">{{.S.Description}}</p>{{end}}
{{if .RunLine}}<p class="desc" id="run-info">{{.RunLine}}</p>{{end}}
<p id="recommendation">{{.Recommendation}}</p>
{{if .Keys}}<div class="cards" id="headline">
{{with index .Keys 0}}<div class="card"><div class="sub">mean cost of the recommended point</div><div class="big scenario">${{template "num" .}}</div></div>{{end}}
{{with index .Keys 1}}<div class="card"><div class="sub">savings against its dedicated-only baseline</div><div class="big">{{template "num" .}} %</div></div>{{end}}
{{with index .Keys 2}}<div class="card"><div class="sub">completion time at {{printf "p%g" $.S.Percentile}}</div><div class="big">{{template "num" .}} h</div></div>{{end}}
{{if .RefName}}{{with index .Keys 3}}<div class="card" id="vs-reference"><div class="sub">dollars {{if lt .Value 0.0}}lost{{else}}saved{{end}} a run against your reference "{{$.RefName}}"</div><div class="big">${{template "abs" .}}</div>{{end}}{{with index .Keys 4}}<div class="sub">{{template "abs" .}} % {{if lt .Value 0.0}}more{{else}}less{{end}}</div></div>{{end}}{{end}}
</div>{{end}}
<p id="what">{{.What}}</p>
{{if .Reference}}<p id="reference">{{.Reference}}</p>{{end}}
{{range .Notes}}<p class="note"><strong>{{.}}</strong></p>
{{end}}
{{range .Charts}}<figure><img {{.Src}} alt="{{.Title}}" width="1000"><figcaption>{{.Title}} ({{.Name}})</figcaption></figure>
{{end}}
<h2>Points</h2>
<table id="points">
<thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr{{if eq (index . 0) $.Rec}} class="rec"{{end}}>{{range $i, $c := .}}<td class="{{if index $.Left $i}}txt{{else}}num{{end}}">{{$c}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
<p>{{.Frontier}}</p>
{{template "page-foot"}}
`
