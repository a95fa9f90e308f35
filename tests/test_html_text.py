"""HTML input keeps the article: no menus, sidebars, footers or cookie banners, with and without trafilatura."""

from __future__ import annotations

import re
import shutil
import sys

import pytest

from kg.html_text import html_to_text
from kg.ingest import read_file
from tests.conftest import ROOT

PAGE = ROOT / "tests" / "fixtures" / "news-page.html"
#: names that the page's furniture (banner, header, menu, sidebar, footer) holds, and its article does not
FURNITURE = ["Google", "Meta Platforms", "Coastal Media", "Portsmouth", "Arsenal", "Westminster", "Tesla",
             "Manchester United", "Goldman Sachs", "Frankfurt", "Southampton", "Independent Press Standards"]
ARTICLE = ["Bayport Harbor Authority", "Anna Fischer", "European Investment Bank", "Keller Marine"]


@pytest.fixture(params=["trafilatura", "plain parser"])
def extractor(request, monkeypatch):
    """Both ways of reading a page: trafilatura (the ``html`` extra) and the parser used without it."""
    if request.param == "trafilatura":
        pytest.importorskip("trafilatura")
    else:
        monkeypatch.setitem(sys.modules, "trafilatura", None)  # import trafilatura now raises ImportError
    return request.param


def _article_text() -> str:
    markup = PAGE.read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", " ", markup[markup.index("<article"): markup.index("</article>")])


def test_the_fixture_is_what_the_test_claims():
    article, markup = _article_text(), PAGE.read_text(encoding="utf-8")
    assert all(name in markup and name not in article for name in FURNITURE)
    assert all(name in " ".join(article.split()) for name in ARTICLE)


def test_a_news_page_gives_its_article_title_and_date(extractor, tmp_path):
    path = tmp_path / "bayport.html"
    shutil.copy(PAGE, path)
    (doc,), _ = read_file(path)
    text = "\n".join(p.text for p in doc.paragraphs)
    for name in FURNITURE:
        assert name not in text
    for word in ("cookies", "Subscribe", "Most read", "Search", "About us", "gtag"):
        assert word not in text
    assert "The Bayport Harbor Authority opened a deep-water container terminal on Thursday" in text
    assert "Bayport Harbor Authority plans a second berth for 2026." in text
    assert doc.info.title == "Bayport opens deep-water terminal"
    assert doc.info.date == "2024-05-02T09:30:00+00:00"


def test_without_trafilatura_the_furniture_elements_are_dropped(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    page = """<html><head><title>Ferry news</title></head><body>
    <header>Harbour Times: Pacific Edition</header>
    <nav><a href="/">Home</a> <a href="/x">Vancouver</a></nav>
    <form><label>Newsletter from Seattle</label><input name="mail"></form>
    <p>The Orca Ferry Company added a sailing to Victoria.</p>
    <div role="navigation">Portland | Tacoma</div>
    <aside>Boeing shares fell.</aside>
    <p>It starts on <time datetime="2024-06-01">1 June</time>.</p>
    <footer>Copyright Pacific Media Group</footer>
    </body></html>"""
    text, title, date = html_to_text(page)
    assert text == "The Orca Ferry Company added a sailing to Victoria.\n\nIt starts on 1 June."
    assert (title, date) == ("Ferry news", "2024-06-01")


def test_unclosed_paragraphs_inside_furniture_do_not_hide_the_rest(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    text, _title, _date = html_to_text("<nav><p>Menu<p>More</nav><p>Kept text.</p><aside><p>Side</aside></p><p>Also kept.")
    assert text == "Kept text.\n\nAlso kept."


@pytest.mark.model
def test_no_entity_of_the_graph_comes_from_the_furniture(extractor, tmp_path):
    import kg

    path = tmp_path / "bayport.html"
    shutil.copy(PAGE, path)
    graph = kg.build([path])
    labels = {e.label for e in graph.entities}
    article = " ".join(_article_text().split())
    assert not [label for label in labels if any(label in name or name in label for name in FURNITURE)]
    assert all(label in article for label in labels), labels - {lb for lb in labels if lb in article}
    assert {"Bayport Harbor Authority", "Anna Fischer", "European Investment Bank"} <= labels
