/** The API reference page at /docs: one self-contained HTML file that renders /openapi.json. */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sluice API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; color: #1d2330; }
  h1 { margin-bottom: 0; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #dde; }
  details { border: 1px solid #dde; border-radius: 6px; margin: .4rem 0; }
  summary { cursor: pointer; padding: .4rem .6rem; }
  .m { display: inline-block; width: 4.5rem; font: bold 12px monospace; text-align: center; border-radius: 4px; color: #fff; padding: 2px 0; }
  .GET { background: #2f7ac4; } .POST { background: #3a9a4f; } .PATCH { background: #b38312; } .DELETE { background: #c2423d; } .PUT { background: #7a4fc4; }
  code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
  pre { background: #f5f6fa; padding: .6rem; overflow: auto; margin: 0 .6rem .6rem; }
  nav a { margin-right: 1rem; }
</style>
</head>
<body>
<h1>Sluice API</h1>
<p id="intro">Loading <a href="/openapi.json">/openapi.json</a>…</p>
<nav id="nav"></nav>
<main id="ops"></main>
<script>
fetch('/openapi.json').then((r) => r.json()).then((doc) => {
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  document.getElementById('intro').innerHTML = esc(doc.info.description) + ' <a href="/openapi.json">OpenAPI document</a>.';
  const groups = new Map();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags || ['Other'])[0];
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag).push({ path, method: method.toUpperCase(), op });
    }
  }
  const show = (label, value) => value ? '<p style="margin:.4rem .6rem">' + label + '</p><pre>' + esc(JSON.stringify(value, null, 2)) + '</pre>' : '';
  let nav = '', html = '';
  for (const [tag, ops] of groups) {
    const id = tag.replace(/\\W+/g, '-');
    nav += '<a href="#' + id + '">' + esc(tag) + '</a>';
    html += '<h2 id="' + id + '">' + esc(tag) + '</h2>';
    for (const { path, method, op } of ops) {
      const params = op.parameters ? Object.fromEntries(op.parameters.map((p) => [p.name + (p.required ? ' (required, ' : ' (') + p.in + ')', p.schema])) : null;
      const body = op.requestBody && op.requestBody.content['application/json'].schema;
      const ok = op.responses['200'].content['application/json'].schema;
      html += '<details><summary><span class="m ' + method + '">' + method + '</span> <code>' + esc(path) + '</code> — ' + esc(op.summary || '') + '</summary>'
        + show('Parameters', params) + show('Request body (JSON)', body) + show('Response 200', ok) + '</details>';
    }
  }
  document.getElementById('nav').innerHTML = nav;
  document.getElementById('ops').innerHTML = html;
});
</script>
</body>
</html>
`;
