/* Wild Goose graph viewer. Reads the graph from the JSON block #kg-data and draws it
   with vis-network. Data is only ever put into the page as text (textContent) or
   drawn on the canvas: never parsed as HTML. The page makes no network request. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var meta = data.meta;
  var classes = data.classes;
  var documents = data.documents;
  var N = data.nodes.length;
  var M = data.edges.length;
  var large = N > 1000 || M > 2000;

  // -- small DOM helpers (text only) ------------------------------------------------------------
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function swatch(colour) { var s = el("span", "swatch"); s.style.backgroundColor = colour; return s; }
  function fmt(x) { return (Math.round(x * 100) / 100).toFixed(2); }
  function fold(s) { return String(s).normalize("NFKC").toLocaleLowerCase(); }

  // -- nodes and edges --------------------------------------------------------------------------
  var nodeById = new Map();
  var edgeById = new Map();
  var edgesOf = new Map();
  data.nodes.forEach(function (n) {
    nodeById.set(n.id, n);
    edgesOf.set(n.id, []);
    n.search = [fold(n.label)].concat(n.aliases.map(fold));
  });
  data.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    edgesOf.get(e.from).push(e);
    if (e.to !== e.from) edgesOf.get(e.to).push(e);
  });

  var edgeLabels = M <= 300;
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var c = classes[n.cls].colour;
    return {
      id: n.id, label: n.label, cls: n.cls, value: n.degree, x: n.x, y: n.y,
      color: { background: c, border: "#333333", highlight: { background: c, border: "#000000" }, hover: { background: c, border: "#000000" } }
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var item = {
      id: e.id, from: e.from, to: e.to, confidence: e.confidence,
      width: 0.5 + 2.5 * e.confidence,
      color: { color: "#6b7785", highlight: "#111111", hover: "#111111", opacity: 0.35 + 0.65 * e.confidence }
    };
    if (edgeLabels) item.label = e.label;
    item.smooth = e.curve ? { enabled: true, type: e.curve % 2 ? "curvedCW" : "curvedCCW", roundness: 0.15 * Math.ceil(e.curve / 2) } : { enabled: false };
    return item;
  }));

  var hiddenClasses = new Set();
  var minConfidence = 0;
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return !hiddenClasses.has(n.cls); } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) {
      return e.confidence >= minConfidence - 1e-9 &&
        !hiddenClasses.has(nodeById.get(e.from).cls) && !hiddenClasses.has(nodeById.get(e.to).cls);
    }
  });

  var options = {
    autoResize: true,
    nodes: {
      shape: "dot",
      scaling: { min: 8, max: 34, label: { enabled: false } },
      font: { size: 13, face: "DejaVu Sans, Arial, sans-serif", color: "#1d1d1f", strokeWidth: 3, strokeColor: "#ffffff", multi: false },
      widthConstraint: { maximum: 150 },
      borderWidth: 1
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      font: { size: 10, color: "#444444", strokeWidth: 3, strokeColor: "#ffffff", align: "horizontal", multi: false },
      selectionWidth: 1.5
    },
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: {
      hover: !large, tooltipDelay: 300, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
      multiselect: true, navigationButtons: false, keyboard: false
    },
    physics: { enabled: false } // positions come precomputed (kg/export/layout.py)
  };

  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  // -- status line ------------------------------------------------------------------------------
  function updateStatus() {
    document.getElementById("count-nodes").textContent = String(nodeView.length);
    document.getElementById("count-edges").textContent = String(edgeView.length);
  }
  document.getElementById("total-nodes").textContent = String(N);
  document.getElementById("total-edges").textContent = String(M);

  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    updateStatus();
  }

  // -- legend / class filter --------------------------------------------------------------------
  var legend = document.getElementById("legend");
  var classBoxes = [];
  classes.forEach(function (c, i) {
    var li = el("li");
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.cls = String(i);
    box.addEventListener("change", function () {
      if (box.checked) hiddenClasses.delete(i); else hiddenClasses.add(i);
      refresh();
    });
    classBoxes.push(box);
    label.appendChild(box);
    label.appendChild(swatch(c.colour));
    label.appendChild(el("span", "name", c.name));
    label.appendChild(el("span", "count", c.count));
    li.appendChild(label);
    legend.appendChild(li);
  });
  function setAllClasses(on) {
    hiddenClasses.clear();
    classBoxes.forEach(function (box, i) { box.checked = on; if (!on) hiddenClasses.add(i); });
    refresh();
  }
  document.getElementById("classes-all").addEventListener("click", function () { setAllClasses(true); });
  document.getElementById("classes-none").addEventListener("click", function () { setAllClasses(false); });

  // -- confidence filter ------------------------------------------------------------------------
  var slider = document.getElementById("min-confidence");
  var sliderValue = document.getElementById("min-confidence-value");
  slider.addEventListener("input", function () {
    minConfidence = parseFloat(slider.value) || 0;
    sliderValue.textContent = fmt(minConfidence);
    edgeView.refresh();
    updateStatus();
  });

  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  // -- details panel ----------------------------------------------------------------------------
  var details = document.getElementById("details");

  function docItem(ev) {
    var d = documents[ev];
    var li = el("li");
    li.appendChild(el("span", null, d.title || d.source || d.iri));
    if (d.date) li.appendChild(el("span", "meta", " · " + d.date));
    li.appendChild(el("div", "iri", d.iri));
    return li;
  }

  function nodeButton(id) {
    var b = el("button", "link", nodeById.get(id).label);
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }

  function field(dl, name, value) {
    dl.appendChild(el("dt", null, name));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
    return dd;
  }

  function list(items, render) {
    var ul = el("ul");
    items.forEach(function (x) { ul.appendChild(render(x)); });
    return ul;
  }

  function showNode(id) {
    var n = nodeById.get(id);
    clear(details);
    details.dataset.kind = "node";
    details.appendChild(el("h3", "label", n.label));
    var kind = el("p", "kind");
    kind.appendChild(swatch(classes[n.cls].colour));
    kind.appendChild(el("span", null, classes[n.cls].name));
    details.appendChild(kind);
    var dl = el("dl");
    field(dl, "IRI", el("span", "iri", n.iri));
    field(dl, "Aliases", n.aliases.length ? list(n.aliases, function (a) { return el("li", "alias", a); }) : "none");
    if (n.wikidata.length) field(dl, "Wikidata", n.wikidata.join(", "));
    field(dl, "Mentions", n.mentions + " in " + n.docs.length + " document" + (n.docs.length === 1 ? "" : "s"));
    field(dl, "Documents", list(n.docs, docItem));
    var rel = edgesOf.get(id);
    if (rel.length) {
      var relations = list(rel.slice(0, 200), function (e) {
        var li = el("li");
        var b = el("button", "link", (e.from === id ? "→ " : "← ") + e.label + " " + nodeById.get(e.from === id ? e.to : e.from).label);
        b.type = "button";
        b.addEventListener("click", function () { network.selectEdges([e.id]); showEdge(e.id); });
        li.appendChild(b);
        li.appendChild(el("span", "meta", " " + fmt(e.confidence)));
        return li;
      });
      relations.className = "relations";
      field(dl, "Relations (" + rel.length + ")" + (rel.length > 200 ? ", first 200" : ""), relations);
    }
    details.appendChild(dl);
  }

  function showEdge(id) {
    var e = edgeById.get(id);
    clear(details);
    details.dataset.kind = "edge";
    var h = el("h3", "label");
    h.appendChild(nodeButton(e.from));
    h.appendChild(el("span", "property", " " + e.label + " "));
    h.appendChild(nodeButton(e.to));
    details.appendChild(h);
    var dl = el("dl");
    field(dl, "Property", e.property);
    if (e.role) field(dl, "Role", e.role);
    field(dl, "Confidence", fmt(e.confidence));
    field(dl, "Statement IRI", el("span", "iri", e.iri));
    field(dl, "Evidence (" + e.evidence.length + ")", list(e.evidence, function (ev) {
      var li = el("li");
      li.appendChild(el("blockquote", "sentence", ev.sentence));
      var d = documents[ev.doc];
      li.appendChild(el("div", "meta", (d.title || d.source || d.iri) + " · " + ev.extractor + " · " + fmt(ev.confidence)));
      return li;
    }));
    details.appendChild(dl);
  }

  function clearDetails() {
    clear(details);
    delete details.dataset.kind;
    details.appendChild(el("p", "hint", "Click an entity or a relation to see its details."));
  }

  var labelled = null; // edge whose label is shown while selected (large graphs draw no edge labels)
  function labelSelected(id) {
    if (edgeLabels) return;
    if (labelled !== null) edges.update({ id: labelled, label: "" });
    labelled = id;
    if (id !== null) edges.update({ id: id, label: edgeById.get(id).label });
  }

  network.on("click", function (params) {
    if (params.nodes.length) { labelSelected(null); showNode(params.nodes[0]); }
    else if (params.edges.length) { labelSelected(params.edges[0]); showEdge(params.edges[0]); }
    else { labelSelected(null); clearDetails(); }
  });

  function focusNode(id) {
    var n = nodeById.get(id);
    if (hiddenClasses.has(n.cls)) {
      hiddenClasses.delete(n.cls);
      classBoxes[n.cls].checked = true;
      refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showNode(id);
  }

  // -- search -----------------------------------------------------------------------------------
  var search = document.getElementById("search");
  var results = document.getElementById("search-results");
  var timer = null;
  function runSearch(query) {
    if (typeof query === "string") search.value = query;
    var q = fold(search.value.trim());
    clear(results);
    if (!q) { results.hidden = true; return []; }
    var matches = [];
    for (var i = 0; i < data.nodes.length && matches.length < 50; i++) {
      var n = data.nodes[i];
      for (var j = 0; j < n.search.length; j++) {
        if (n.search[j].indexOf(q) !== -1) { matches.push([n, j]); break; }
      }
    }
    matches.sort(function (a, b) {
      var pa = a[0].search[a[1]].indexOf(q) === 0 ? 0 : 1, pb = b[0].search[b[1]].indexOf(q) === 0 ? 0 : 1;
      return pa - pb || b[0].degree - a[0].degree || a[0].label.localeCompare(b[0].label);
    });
    if (!matches.length) results.appendChild(el("li", "empty", "No entity matches."));
    matches.forEach(function (m) {
      var n = m[0];
      var li = el("li");
      var b = el("button");
      b.type = "button";
      b.appendChild(swatch(classes[n.cls].colour));
      b.appendChild(el("span", "match-label", n.label));
      if (m[1] > 0) b.appendChild(el("span", "match-alias", "alias: " + n.aliases[m[1] - 1]));
      b.addEventListener("click", function () { results.hidden = true; focusNode(n.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    results.hidden = false;
    network.selectNodes(matches.map(function (m) { return m[0].id; }).filter(function (id) { return !hiddenClasses.has(nodeById.get(id).cls); }));
    return matches;
  }
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { runSearch(); }, 120); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var m = runSearch(); if (m.length) { results.hidden = true; focusNode(m[0][0].id); } }
    else if (ev.key === "Escape") { search.value = ""; runSearch(); }
  });
  document.addEventListener("click", function (ev) { if (!document.getElementById("search-box").contains(ev.target)) results.hidden = true; });

  // -- ready --------------------------------------------------------------------------------------
  function ready() {
    updateStatus();
    document.documentElement.dataset.ready = "true";
  }
  if (N === 0) {
    ready();
  } else {
    network.once("afterDrawing", ready);
  }
  updateStatus();

  window.kgViewer = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    focusNode: focusNode, showNode: showNode, showEdge: showEdge, search: runSearch,
    nodeByIri: function (iri) { for (var i = 0; i < data.nodes.length; i++) if (data.nodes[i].iri === iri) return data.nodes[i].id; return null; }
  };
})();
