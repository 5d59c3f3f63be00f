package report

// htmlSource is report.html's template (see WriteHTML).
const htmlSource = `{{template "page-head" printf "spotsim: %s" .S.Name}}
<h1>spotsim: {{.S.Name}}</h1>
<p class="verdict" id="verdict" data-rule="{{.S.Verdict.Rule}}">{{.S.Verdict.Text}}</p>
<div class="desc" id="what-ran">{{range .WhatRan}}<p>{{.}}</p>{{end}}</div>
{{if .S.Run}}<p class="desc" id="run-info">{{.RunLine}}</p>{{end}}
<p id="sentence">{{.Sentence}}</p>
{{with .RefSentence}}<p id="reference-sentence">{{.}}</p>
{{end}}<p>{{.Censoring}}</p>
{{with .H}}{{if not .None}}<div class="cards" id="headline">
<div class="card"><div class="sub">{{if lt .Savings.Value 0.0}}cost increase{{else}}savings{{end}} against the dedicated-only baseline</div>
<div class="big">{{template "abs" .Savings}} %{{if lt .Savings.Value 0.0}} more{{end}}</div>
<div class="sub">95 % CI {{$.SaveCI}}, paired over {{.Pairs}} runs{{if .Left}} both finished ({{.Left}} more censored: a side did not finish){{end}}</div></div>
<div class="card"><div class="sub">dollars {{if lt .Saved.Value 0.0}}lost{{else}}saved{{end}} a run</div>
<div class="big">${{template "abs" .Saved}}</div>
<div class="sub">95 % CI {{$.SavedCI}}</div></div>
<div class="card"><div class="sub">slowdown against the baseline</div>
<div class="big">{{template "num" .Slowdown}} %</div>
<div class="sub">95 % CI {{template "num" .SlowdownLo}} to {{template "num" .SlowdownHi}} %, p95 {{template "num" .SlowP95}}{{if eq .SlowP95.Text "not reached"}}{{else}} %{{end}}</div></div>
<div class="card"><div class="sub">mean cost</div>
<div class="big scenario">${{template "num" .Cost}}</div>
<div class="sub">baseline <span class="baseline">${{template "num" .BaseCost}}</span></div></div>
<div class="card"><div class="sub">completion time, mean</div>
<div class="big scenario">{{template "num" .Compl}} h</div>
<div class="sub">p95 {{template "num" .ComplP95}}{{if eq .ComplP95.Text "not reached"}}{{else}} h{{end}}; baseline <span class="baseline">{{template "num" .BaseCompl}} h (p95 {{template "num" .BaseComplP95}}{{if eq .BaseComplP95.Text "not reached"}}{{else}} h{{end}})</span></div></div>
</div>{{end}}{{end}}
{{range .Notes}}<p class="note"><strong>{{.}}</strong></p>
{{end}}
{{range .Charts}}<figure><img {{.Src}} alt="{{.Title}}" width="1000"><figcaption>{{.Title}} ({{.Name}})</figcaption></figure>
{{end}}
<h2>All metrics</h2>
<table id="metrics">
<thead><tr><th>metric</th><th>run</th>{{range .Cols}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Label}} class="first"{{end}}><td>{{.Label}}</td><td class="{{.Run}}">{{.Run}}</td>{{range .Cells}}<td class="num" data-key="{{.Key}}" data-value="{{exact .Value}}">{{.Text}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
<h2>Low-priority lifetimes, as understood</h2>
<table id="lifetimes">
<thead><tr><th>pool</th><th>lifetime model</th><th>also evicted by</th></tr></thead>
<tbody>
{{range .S.Lifetimes}}<tr><td>{{.Pool}}</td><td>{{.Description}}</td><td>{{.Market}}</td></tr>
{{end}}</tbody>
</table>
<h2>Assumptions</h2>
<ul id="assumptions">
{{range .S.Assumptions}}<li>{{.}}</li>
{{end}}</ul>
<h2>Glossary</h2>
<dl class="glossary" id="glossary">
{{range .Glossary}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>
{{end}}</dl>
<h2>Prices</h2>
<table id="prices">
<thead><tr><th>pool</th><th>VM size</th><th>dedicated $/node-hour</th><th>from</th><th>low-priority $/node-hour</th><th>from</th></tr></thead>
<tbody>
{{range .S.Prices}}<tr><td>{{.Pool}}</td><td>{{.VMSize}}</td><td class="num">{{printf "%.4f" .Dedicated}}</td><td>{{.DedicatedSource}}</td><td class="num">{{printf "%.4f" .LowPriority}}</td><td>{{.LowPrioritySource}}</td></tr>
{{end}}</tbody>
</table>
{{template "page-foot"}}
{{define "num"}}<span data-key="{{.Key}}" data-value="{{exact .Value}}">{{.Text}}</span>{{end}}
{{define "abs"}}<span data-key="{{.Key}}" data-value="{{exact .Value}}"{{if lt .Value 0.0}} data-abs="1"{{end}}>{{.AbsText}}</span>{{end}}`
