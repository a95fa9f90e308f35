"""The HTML viewer: self-contained, offline, escaped (static checks; the browser tests are separate)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from kg.export import export
from kg.export.common import safe_text
from kg.export.html import VIS_NETWORK_VERSION, html_page, script_json, viewer_data
from kg.export.layout import layout
from tests.export.conftest import NASTY_LABELS, make_large_graph, make_nasty_graph, make_small_graph


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _data_block(page: str) -> str:
    return re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)


def test_script_json_cannot_close_the_script_tag():
    text = script_json({"a": "</script><script>alert(1)</script>", "b": "<!-- & \u2028\u2029"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "<!-- & \u2028\u2029"}


def test_hostile_labels_stay_inside_the_data_block():
    page = html_page(make_nasty_graph())
    tags = _tags(page)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "kg-data"}, {}, {}], "exactly the data block and two scripts"
    assert page.count("</script>") == 3
    data = json.loads(_data_block(page))
    labels = [n["label"] for n in data["nodes"]]
    assert sorted(labels) == sorted(safe_text(label) for label in NASTY_LABELS)
    assert "</script><script>alert(1)</script>" in labels  # kept as text, not dropped
    assert not [t for t, _ in tags if t in ("img", "iframe", "object", "embed", "link", "base", "form")]


def test_the_page_loads_nothing_from_anywhere():
    page = html_page(make_small_graph())
    for tag, attrs in _tags(page):
        assert not {"src", "href", "action", "srcset", "poster", "data"} & set(attrs), (tag, attrs)
    csp = next(a["content"] for t, a in _tags(page) if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "'unsafe-eval'" not in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert len(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", csp)) == 2


def test_csp_hashes_match_the_inline_scripts():
    import base64
    import hashlib

    page = html_page(make_small_graph())
    bodies = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(bodies) == 2
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in page


def test_vis_network_is_inlined_with_its_licences():
    from importlib import resources

    assets = resources.files("kg.export").joinpath("assets")
    vis = assets.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    assert f"@version {VIS_NETWORK_VERSION}" in vis[:500]
    assert assets.joinpath("LICENSE-MIT").is_file() and assets.joinpath("LICENSE-APACHE-2.0").is_file()
    assert "npm pack vis-network" in assets.joinpath("UPDATING.md").read_text(encoding="utf-8")
    assert vis in html_page(make_small_graph())


def test_viewer_data_carries_what_the_panels_show():
    data = viewer_data(make_small_graph())
    by_label = {n["label"]: n for n in data["nodes"]}
    lingang = by_label["Lingang New Area"]
    assert lingang["aliases"] == ["Lingang", "Lingang Special Area"]
    assert lingang["iri"].endswith("/economiczone/lingang-new-area")
    assert [data["documents"][d]["title"] for d in lingang["docs"]] == ["Lingang opens a port", "Tesla in Shanghai"]
    assert data["classes"][lingang["cls"]]["name"] == "EconomicZone"
    locate = next(e for e in data["edges"] if e["property"] == "locatedIn")
    assert locate["evidence"][0]["sentence"] == "Lingang New Area is located in Shanghai."
    assert locate["confidence"] == pytest.approx(0.95)
    curves = sorted(e["curve"] for e in data["edges"] if {e["from"], e["to"]} == {by_label["Tesla"]["id"], lingang["id"]})
    assert curves == [0, 1], "parallel edges are drawn apart"
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_layout_keeps_nodes_apart_and_is_deterministic():
    g = make_large_graph(600, 700, components=3)
    nodes = [e.iri for e in g.entities]
    edges = [(s.subject, s.object) for s in g.statements]
    a, b = layout(nodes, edges), layout(nodes, edges)
    assert a.positions == b.positions and set(a.positions) == set(nodes)
    pts = sorted(a.positions.values())
    assert len(set(pts)) == len(pts), "no two nodes on the same spot"


def test_write_html(tmp_path):
    (path,) = export(make_small_graph(), "html", tmp_path / "viewer.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>viewer · Wild Goose</title>" in page
