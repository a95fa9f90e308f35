// Query page of `kg serve`: plain DOM, no dependencies, every value shown with textContent.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("form"), query = $("query"), run = $("run"), status = $("status");
  const results = $("results"), examples = $("examples"), download = $("download");
  const IRI_OK = /^[^<>"{}|^`\\\s]*$/;
  let prefixes = {};
  let lastCsvUrl = null;

  function setStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function shorten(iri) {
    let best = null;
    for (const [p, ns] of Object.entries(prefixes)) {
      // display only (the full IRI is the tooltip), so id:person/lin-yisong is fine
      if (iri.startsWith(ns) && /^[\w./-]*$/.test(iri.slice(ns.length)) && (!best || ns.length > best[1].length)) {
        best = [p, ns];
      }
    }
    return best ? best[0] + ":" + iri.slice(best[1].length) : iri;
  }

  function describeLink(iri) {
    const a = document.createElement("a");
    a.className = "iri";
    a.textContent = shorten(iri);
    a.title = iri;
    a.href = "#";
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      if (!IRI_OK.test(iri)) return;
      query.value = "SELECT ?property ?value WHERE {\n  <" + iri + "> ?property ?value .\n}\nLIMIT 500";
      execute();
    });
    return a;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.appendChild(describeLink(term.value));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      const dt = term.datatype || "";
      if (/#(integer|decimal|double|float|long|int)$/.test(dt)) td.className = "num";
      if (term["xml:lang"]) {
        const span = document.createElement("span");
        span.className = "lit-meta";
        span.textContent = "@" + term["xml:lang"];
        td.appendChild(span);
      }
    }
    return td;
  }

  function renderTable(data) {
    const vars = data.head.vars || [];
    const rows = data.results.bindings;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const b of rows) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(b[v]));
    }
    results.replaceChildren(table);
    return rows.length;
  }

  async function execute() {
    const text = query.value;
    if (!text.trim()) return;
    run.disabled = true;
    setStatus("running…", false);
    download.hidden = true;
    const t0 = performance.now();
    try {
      const resp = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: text }),
      });
      const ms = Math.round(performance.now() - t0);
      const type = (resp.headers.get("Content-Type") || "").split(";")[0];
      if (!resp.ok) {
        results.replaceChildren();
        setStatus("HTTP " + resp.status + ": " + (await resp.text()).trim(), true);
        return;
      }
      if (type === "application/sparql-results+json") {
        const data = await resp.json();
        if (typeof data.boolean === "boolean") {
          const p = document.createElement("p");
          p.className = "boolean";
          p.textContent = data.boolean ? "true" : "false";
          results.replaceChildren(p);
          setStatus("ASK answered in " + ms + " ms", false);
        } else {
          const n = renderTable(data);
          setStatus(n + (n === 1 ? " row" : " rows") + " in " + ms + " ms", false);
          offerCsv(text);
        }
      } else {
        const pre = document.createElement("pre");
        pre.className = "graph";
        pre.textContent = await resp.text();
        results.replaceChildren(pre);
        setStatus("graph (" + type + ") in " + ms + " ms", false);
      }
    } catch (err) {
      setStatus("request failed: " + err, true);
    } finally {
      run.disabled = false;
    }
  }

  function offerCsv(text) {
    if (lastCsvUrl) URL.revokeObjectURL(lastCsvUrl);
    lastCsvUrl = null;
    download.hidden = false;
    download.onclick = async (ev) => {
      ev.preventDefault();
      const resp = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv" },
        body: new URLSearchParams({ query: text }),
      });
      if (!resp.ok) { setStatus("HTTP " + resp.status + ": " + (await resp.text()).trim(), true); return; }
      lastCsvUrl = URL.createObjectURL(await resp.blob());
      const a = document.createElement("a");
      a.href = lastCsvUrl;
      a.download = "results.csv";
      a.click();
    };
  }

  async function loadExamples() {
    try {
      const resp = await fetch("/api/examples");
      const data = await resp.json();
      prefixes = data.prefixes || {};
      for (const ex of data.examples || []) {
        const opt = document.createElement("option");
        opt.value = ex.query;
        opt.textContent = ex.title + " (" + ex.name + ")";
        examples.appendChild(opt);
      }
    } catch (err) {
      setStatus("could not load the example queries: " + err, true);
    }
  }

  examples.addEventListener("change", () => {
    if (examples.value) query.value = examples.value;
  });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); execute(); });
  query.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); execute(); }
  });
  $("endpoint").textContent = location.origin + "/sparql";
  loadExamples();
  // a shared link /?query=… opens with that query and runs it
  const shared = new URLSearchParams(location.search).get("query");
  if (shared) { query.value = shared; execute(); }
})();
