"""The article in an HTML page: its text (blocks separated by blank lines), title and date.

With `trafilatura <https://trafilatura.readthedocs.io>`_ installed (the
``html`` extra), it picks the article out of the page and drops the site's
furniture: menus, sidebars, footers, cookie banners, comment sections, "read
more" lists. Without it, or when it finds no article, a plain parser keeps the
visible text but leaves out ``nav``, ``aside``, ``header``, ``footer``,
``form`` and ``dialog`` elements (but an article's own ``header``), their ARIA equivalents (``role="navigation"``
and so on) and, when the page marks its article with ``<article>`` or
``<main>``, everything outside it. Scripts, styles and templates never count
as text.

The title is the page's ``og:title``, ``<title>`` or first ``<h1>``; the date
is ``article:published_time`` (or a similar ``<meta>``), the first
``<time datetime>``, else the date trafilatura finds, in ISO 8601.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

__all__ = ["html_to_text", "page_text"]

log = logging.getLogger(__name__)

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "figcaption", "main",
}
#: never text
_CODE_TAGS = {"script", "style", "noscript", "template", "svg"}
#: the site around the article
_FURNITURE_TAGS = {"nav", "aside", "header", "footer", "form", "dialog", "menu"}
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu", "menubar"}
_CONTENT_TAGS = {"article", "main"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_DATE_META = {"article:published_time", "date", "pubdate", "publishdate", "dc.date", "dcterms.date", "dc.date.issued", "datepublished"}


class _PageParser(HTMLParser):
    """Visible text outside furniture, split by blocks; and whether the page marks its content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[bool, str]] = []  # (inside article/main, text)
        self.title: str | None = None
        self.og_title: str | None = None
        self.h1: str | None = None
        self.date: str | None = None
        self.has_content_element = False
        self._stack: list[tuple[str, bool]] = []  # open elements: (tag, hides its content)
        self._hidden = 0
        self._content = 0
        self._in: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        from kg.ingest import parse_date

        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in _DATE_META and self.date is None:
                self.date = parse_date(a.get("content", ""))
            if key == "og:title" and self.og_title is None:
                self.og_title = " ".join(a.get("content", "").split()) or None
        if tag == "time" and self.date is None and a.get("datetime") and not self._hidden:
            self.date = parse_date(a["datetime"])
        if tag in _VOID_TAGS:
            if tag == "br":
                self._emit("\n\n")
            return
        if tag in ("title", "h1") and self._in is None:
            self._in, self._buf = tag, []
        furniture = tag in _FURNITURE_TAGS and not (tag == "header" and self._content)  # an article's own header stays
        hides = tag in _CODE_TAGS or furniture or (a.get("role") or "").lower() in _FURNITURE_ROLES
        hides = hides or "hidden" in a or a.get("aria-hidden") == "true"
        self._stack.append((tag, hides))
        self._hidden += hides
        if tag in _CONTENT_TAGS:
            self._content += 1
            self.has_content_element = True
        if tag in _BLOCK_TAGS:
            self._emit("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            value = " ".join("".join(self._buf).split()) or None
            if tag == "title" and self.title is None:
                self.title = value
            elif tag == "h1" and self.h1 is None:
                self.h1 = value
            self._in = None
        if tag in _VOID_TAGS or not any(t == tag for t, _h in self._stack):
            return  # a stray end tag closes nothing
        while self._stack:  # close what was left open inside it (HTML's implied end tags)
            open_tag, hides = self._stack.pop()
            self._hidden -= hides
            if open_tag in _CONTENT_TAGS:
                self._content -= 1
            if open_tag == tag:
                break
        if tag in _BLOCK_TAGS:
            self._emit("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in and not self._hidden:
            self._buf.append(data)
        if self._in == "title":
            return
        self._emit(data)

    def _emit(self, text: str) -> None:
        if not self._hidden:
            self.parts.append((self._content > 0, text))


def _blocks(raw: str) -> str:
    blocks = (" ".join(b.split()) for b in re.split(r"\n\s*\n", raw))
    return "\n\n".join(b for b in blocks if b)


def page_text(markup: str) -> tuple[str, str | None, str | None]:
    """The page without furniture, by the plain parser: ``(text, title, date)`` (no trafilatura)."""
    parser = _PageParser()
    parser.feed(markup)
    parser.close()
    inside = parser.has_content_element and any(c and t.strip() for c, t in parser.parts)
    raw = "".join(t for c, t in parser.parts if c or not inside)
    return _blocks(raw), parser.og_title or parser.title or parser.h1, parser.date


def _trafilatura(markup: str) -> tuple[str, str | None, str | None] | None:
    """``(text, title, date)`` of the article trafilatura finds; None without trafilatura or an article."""
    try:
        import trafilatura
    except ImportError:
        return None
    from kg.ingest import parse_date

    try:
        found = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=True
        )
    except (ValueError, TypeError, RecursionError) as exc:  # a page it cannot parse: the plain parser reads it
        log.debug("trafilatura failed (%s); reading the page without it", exc)
        return None
    if found is None:
        return None
    data = found if isinstance(found, dict) else found.as_dict()
    text = "\n\n".join(" ".join(line.split()) for line in (data.get("text") or "").splitlines() if line.strip())
    if not text:
        return None
    date = parse_date(str(data["date"])) if data.get("date") else None
    return text, data.get("title") or None, date


def html_to_text(markup: str) -> tuple[str, str | None, str | None]:
    """The article of an HTML page: ``(text with blocks separated by blank lines, title, date)``.

    >>> page = ("<title>Port news</title><nav>Home | World</nav>"
    ...         "<article><p>The Bayport terminal opened.</p></article><footer>Contact us</footer>")
    >>> html_to_text(page)
    ('The Bayport terminal opened.', 'Port news', None)
    """
    text, title, date = page_text(markup)
    article = _trafilatura(markup)
    if article is None:
        return text, title, date
    body, found_title, found_date = article
    return body, title or found_title, date or found_date
