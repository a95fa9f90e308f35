"""The HTML viewer in real headless Chromium (Debian's ``chromium`` package).

Each page is opened from a file; the tests check what the page shows, that its
console stays free of errors, and that it makes no request other than the file
itself (the DevTools protocol reports every request, whatever its kind).
Skipped, with the reason, where Chromium or websocket-client is missing.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kg.export import export
from kg.graph import KnowledgeGraph
from tests.export.browser import Chromium, find_chromium
from tests.export.conftest import NASTY_LABELS, make_large_graph, make_nasty_graph, make_small_graph

CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
]
SCREENSHOT = Path("/tmp/wildgoose-html.png")


@pytest.fixture(scope="module")
def browser():
    pytest.importorskip("websocket", reason="websocket-client is not installed (pip install websocket-client)")
    with Chromium(CHROMIUM) as b:
        yield b


def _open(browser: Chromium, graph: KnowledgeGraph, path: Path, *, timeout: float = 30.0) -> str:
    export(graph, "html", path)
    url = path.resolve().as_uri()
    browser.log.requests.clear()
    browser.log.console.clear()
    browser.log.exceptions.clear()
    browser.log.log_entries.clear()
    browser.log.dialogs.clear()
    browser.open(url)
    browser.wait_for("document.documentElement.dataset.ready === 'true'", timeout=timeout)
    browser.pump(0.3)
    return url


def _assert_clean(browser: Chromium, url: str) -> None:
    assert browser.log.errors == [], "console errors"
    assert browser.log.network_requests == [], "network requests"
    assert set(browser.log.requests) == {url}, "the page requested something besides itself"
    assert browser.log.dialogs == []


def _counts(browser: Chromium) -> dict:
    return browser.evaluate(
        """({nodes: kgViewer.nodeView.length, edges: kgViewer.edgeView.length,
             drawnNodes: kgViewer.network.body.nodeIndices.length, drawnEdges: kgViewer.network.body.edgeIndices.length,
             shownNodes: +document.getElementById('count-nodes').textContent,
             shownEdges: +document.getElementById('count-edges').textContent,
             totalNodes: +document.getElementById('total-nodes').textContent,
             totalEdges: +document.getElementById('total-edges').textContent})"""
    )


def _node_point(browser: Chromium, iri: str) -> tuple[float, float]:
    return tuple(browser.evaluate(
        f"""(() => {{ const id = kgViewer.nodeByIri({json.dumps(iri)});
            const p = kgViewer.network.canvasToDOM(kgViewer.network.getPosition(id));
            const r = document.getElementById('network').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y]; }})()"""
    ))


def _details(browser: Chromium) -> dict:
    return browser.evaluate(
        """(() => { const d = document.getElementById('details');
            return {kind: d.dataset.kind || null, title: (d.querySelector('h3') || {}).textContent || null,
                    text: d.textContent, elements: Array.from(d.querySelectorAll('*')).map(e => e.tagName.toLowerCase())}; })()"""
    )


@pytest.mark.model
def test_example_graph_in_chromium(browser, example_rdf_graph, tmp_path):
    graph = example_rdf_graph
    url = _open(browser, graph, tmp_path / "example.html")
    n, m = len(graph.entities), len(graph.statements)
    assert _counts(browser) == {
        "nodes": n, "edges": m, "drawnNodes": n, "drawnEdges": m, "shownNodes": n, "shownEdges": m, "totalNodes": n, "totalEdges": m,
    }
    status = browser.evaluate("document.getElementById('status').textContent")
    assert f"{n} of {n} entities" in status and f"{m} of {m} relations" in status

    # a real click on the canvas opens the entity's details
    entity = max(graph.entities, key=lambda e: (len(e.alt_labels), e.mention_count, e.iri))
    browser.click(*_node_point(browser, entity.iri))
    shown = _details(browser)
    assert shown["kind"] == "node" and shown["title"] == entity.label
    assert entity.iri in shown["text"] and all(a in shown["text"] for a in entity.alt_labels)

    _assert_clean(browser, url)
    for target in (tmp_path / "example.png", SCREENSHOT):
        browser.screenshot(target)
        assert target.stat().st_size > 20_000, "an empty page would compress to almost nothing"


def test_search_click_and_filters(browser, tmp_path):
    graph = make_small_graph()
    url = _open(browser, graph, tmp_path / "small.html")
    assert _counts(browser)["nodes"] == 5 and _counts(browser)["edges"] == 5

    # search by alias, pick the result
    browser.evaluate("document.getElementById('search').focus()")
    browser.type_text("special area")
    browser.pump(0.4)
    results = browser.evaluate(
        "Array.from(document.querySelectorAll('#search-results li')).map(li => [li.querySelector('.match-label').textContent, li.querySelector('.match-alias').textContent])"
    )
    assert results == [["Lingang New Area", "alias: Lingang Special Area"]]
    browser.evaluate("document.querySelector('#search-results button').click()")
    shown = _details(browser)
    assert shown["kind"] == "node" and shown["title"] == "Lingang New Area"
    for text in ("https://w3id.org/wild-goose/id/economiczone/lingang-new-area", "Lingang Special Area",
                 "Lingang opens a port", "Tesla in Shanghai", "Q10883578"):
        assert text in shown["text"]

    # a real click on the middle of a relation shows its evidence sentence
    browser.pump(0.5)  # let the focus animation end
    browser.evaluate("kgViewer.network.fit({animation: false})")
    lingang, shanghai = (e.iri for e in sorted(graph.entities, key=lambda e: e.label) if e.label in ("Lingang New Area", "Shanghai"))
    (x1, y1), (x2, y2) = _node_point(browser, lingang), _node_point(browser, shanghai)
    browser.click((x1 + x2) / 2, (y1 + y2) / 2)
    shown = _details(browser)
    assert shown["kind"] == "edge", shown
    assert "Lingang New Area is located in Shanghai." in shown["text"] and "0.95" in shown["text"]

    # class filter: hide people
    browser.evaluate("Array.from(document.querySelectorAll('#legend input')).find(b => b.parentNode.textContent.startsWith('Person')).click()")
    assert _counts(browser)["nodes"] == 4 and _counts(browser)["edges"] == 3 and _counts(browser)["shownNodes"] == 4
    browser.evaluate("document.getElementById('classes-none').click()")
    assert _counts(browser)["nodes"] == 0 and _counts(browser)["edges"] == 0
    browser.evaluate("document.getElementById('classes-all').click()")
    assert _counts(browser)["nodes"] == 5

    # minimum confidence: 0.95 (locatedIn) and 0.8 (worksFor) stay
    browser.evaluate("const s = document.getElementById('min-confidence'); s.value = '0.75'; s.dispatchEvent(new Event('input'))")
    assert _counts(browser)["edges"] == 2 and _counts(browser)["shownEdges"] == 2
    assert browser.evaluate("document.getElementById('min-confidence-value').textContent") == "0.75"
    _assert_clean(browser, url)


def test_hostile_labels_render_as_text(browser, tmp_path):
    graph = make_nasty_graph()
    url = _open(browser, graph, tmp_path / "nasty.html")
    assert browser.evaluate("typeof window.__xss") == "undefined"
    for entity in graph.entities:
        browser.click(*_node_point(browser, entity.iri))
        shown = _details(browser)
        assert shown["kind"] == "node"
        # what the page shows is the label itself, character for character (lone surrogates aside)
        want = entity.label.replace("\ud800", "\ufffd")
        assert shown["title"] == want
        assert not {"script", "img", "iframe", "a", "svg", "style"} & set(shown["elements"])
    browser.evaluate("document.getElementById('search').focus()")
    browser.type_text("<img")
    browser.pump(0.4)
    assert browser.evaluate("document.querySelectorAll('#search-results img, #search-results script').length") == 0
    assert browser.evaluate("typeof window.__xss") == "undefined"
    titles = browser.evaluate("Array.from(document.querySelectorAll('#search-results .match-label')).map(e => e.textContent)")
    assert NASTY_LABELS[1] in titles
    _assert_clean(browser, url)


def test_five_thousand_nodes_stay_usable(browser, tmp_path):
    graph = make_large_graph(5000, 6000, components=1)
    started = time.monotonic()
    url = _open(browser, graph, tmp_path / "large.html", timeout=60)
    load = time.monotonic() - started
    counts = _counts(browser)
    assert counts["nodes"] == 5000 and counts["edges"] == 6000 and counts["drawnNodes"] == 5000
    assert load < 45, f"export + first drawing took {load:.1f}s"

    def timed(expression: str) -> float:
        t = time.monotonic()
        browser.evaluate(expression + "; new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        return time.monotonic() - t

    assert timed("kgViewer.search('entity 4999')") < 2
    assert browser.evaluate("document.querySelectorAll('#search-results li').length") >= 1
    assert timed("document.getElementById('classes-none').click()") < 5
    assert _counts(browser)["nodes"] == 0
    assert timed("document.getElementById('classes-all').click()") < 5
    assert timed("kgViewer.network.moveTo({scale: 1.5}); kgViewer.network.redraw()") < 3
    assert timed("kgViewer.focusNode(kgViewer.nodeByIri(" + json.dumps(graph.entities[10].iri) + "))") < 3
    _assert_clean(browser, url)
    browser.screenshot(tmp_path / "large.png")

