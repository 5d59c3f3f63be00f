package report

// htmlPage is the shell every HTML report shares (the run's report.html and
// the sweep's): "page-head", given the page's title, opens the page with
// its Content-Security-Policy (nothing is fetched: charts are data: URIs),
// its style and the script that reports, in #report-status, whether every
// chart decoded; "page-foot" closes it.
const htmlPage = `{{define "page-head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.}}</title>
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
.verdict { font-size: 1.35em; font-weight: 650; margin: .4em 0 .8em; }
dl.glossary dt { font-weight: 650; } dl.glossary dd { margin: 0 0 .4em 1.2em; }
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
<body>{{end}}
{{define "page-foot"}}<p hidden id="report-status">pending</p>
</body>
</html>{{end}}`
