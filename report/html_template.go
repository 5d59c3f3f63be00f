package report

// htmlSource is report.html's template (see WriteHTML).
const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>spotsim: {{.S.Name}}</title>
<script>
window.reportErrors = [];
window.addEventListener("error", function (e) {
  var t = e.target;
  window.reportErrors.push(t && t.tagName ? "could not load " + t.tagName.toLowerCase() + " " + (t.alt || "") : String(e.message));
}, true);
window.addEventListener("load", function () {
  var bad = [];
  document.querySelectorAll("img").forEach(function (im) {
    if (!im.complete || im.naturalWidth === 0) bad.push("image did not decode: " + im.alt);
  });
  var problems = window.reportErrors.concat(bad);
  var st = document.getElementById("report-status");
  st.textContent = problems.length ? problems.join("; ") : "ok";
  st.setAttribute("data-images", String(document.images.length));
});
</script>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: #222; max-width: 1060px; margin: 2em auto; padding: 0 1em; }
h1 { margin-bottom: .2em; }
.desc { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 1.2em 0; }
.card { border: 1px solid #ddd; border-radius: 8px; padding: .7em 1em; min-width: 200px; flex: 1; }
.card .big { font-size: 1.9em; font-weight: 650; }
.card .sub { color: #555; font-size: .9em; }
.scenario { color: #c2410c; } .baseline { color: #1d5fa0; }
.note { background: #fff4e5; border-left: 4px solid #e6550d; padding: .5em .8em; margin: .6em 0; }
table { border-collapse: collapse; margin: 1em 0; font-variant-numeric: tabular-nums; }
th, td { padding: .25em .7em; border-bottom: 1px solid #eee; }
th { text-align: left; background: #f6f6f6; }
td.num { text-align: right; }
tr.first td { border-top: 1px solid #ccc; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: .9em; }
</style>
</head>
<body>
<h1>spotsim: {{.S.Name}}</h1>
{{if .S.Description}}<p class="desc">{{.S.Description}}</p>{{end}}
<p id="sentence">{{.Sentence}}</p>
<p>{{.Censoring}}</p>
{{with .H}}{{if not .None}}<div class="cards" id="headline">
<div class="card"><div class="sub">{{if lt .Savings.Value 0.0}}cost increase{{else}}savings{{end}} against the dedicated-only baseline</div>
<div class="big">{{template "abs" .Savings}} %{{if lt .Savings.Value 0.0}} more{{end}}</div>
<div class="sub">95 % CI {{template "num" .SavingsLo}} to {{template "num" .SavingsHi}} % savings, paired over {{.Pairs}} runs</div></div>
<div class="card"><div class="sub">dollars {{if lt .Saved.Value 0.0}}lost{{else}}saved{{end}} a run</div>
<div class="big">${{template "abs" .Saved}}</div>
<div class="sub">95 % CI ${{template "num" .SavedLo}} to ${{template "num" .SavedHi}} saved</div></div>
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
{{range .Charts}}<figure><img src="{{.Src}}" alt="{{.Title}}" width="1000"><figcaption>{{.Title}} ({{.Name}})</figcaption></figure>
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
<h2>Prices</h2>
<table id="prices">
<thead><tr><th>pool</th><th>VM size</th><th>dedicated $/node-hour</th><th>from</th><th>low-priority $/node-hour</th><th>from</th></tr></thead>
<tbody>
{{range .S.Prices}}<tr><td>{{.Pool}}</td><td>{{.VMSize}}</td><td class="num">{{printf "%.4f" .Dedicated}}</td><td>{{.DedicatedSource}}</td><td class="num">{{printf "%.4f" .LowPriority}}</td><td>{{.LowPrioritySource}}</td></tr>
{{end}}</tbody>
</table>
<p hidden id="report-status">pending</p>
</body>
</html>
{{define "num"}}<span data-key="{{.Key}}" data-value="{{exact .Value}}">{{.Text}}</span>{{end}}
{{define "abs"}}<span data-key="{{.Key}}" data-value="{{exact .Value}}"{{if lt .Value 0.0}} data-abs="1"{{end}}>{{.AbsText}}</span>{{end}}`
