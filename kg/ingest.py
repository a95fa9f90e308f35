"""Read sources into :class:`~kg.model.Document` records.

Supported: ``.txt``/``.md`` (plain text), ``.html``/``.htm`` (the article,
see :mod:`kg.html_text`) and ``.jsonl`` (one document per line: ``text`` required;
``id``, ``title``, ``date``, ``url`` optional). Files are UTF-8; a BOM is fine.

Plain-text files may be news dumps: a line printed twice in a row is the title
of a new article, a line that repeats verbatim later in the file (a page
header) is read once, and ``Release time: …`` style lines give the date.
Paragraphs (blocks separated by blank lines) are the units given to spaCy;
offsets are kept relative to the text of the source.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kg.chars import xml_safe
from kg.errors import InputError
from kg.html_text import html_to_text
from kg.model import DocInfo, Document, Paragraph, Problem

__all__ = ["SUFFIXES", "MAX_FILE_SIZE", "MAX_BLOCK_CHARS", "ReadReport", "iter_files", "read_file", "read_sources",
           "parse_date", "slugify"]

log = logging.getLogger(__name__)

SUFFIXES = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
#: files larger than this (bytes) are skipped unless the caller raises the limit (``--max-file-size``)
MAX_FILE_SIZE = 50 * 1024 * 1024
#: a block longer than this (characters) is cut at sentence, line or word boundaries before spaCy
MAX_BLOCK_CHARS = 20_000

_DATE_LINE = re.compile(
    r"^\s*(?:release\s*time|released|published(?:\s+on)?|publication\s+date|posted(?:\s+on)?|"
    r"updated(?:\s+on)?|date)\s*[:：]\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_DATE_FORMATS = (
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
    "%B %d, %Y %H:%M",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y年%m月%d日",
)


def parse_date(value: str) -> str | None:
    """Parse a date as written in news dumps into ISO 8601 (``None`` if not a date).

    >>> parse_date("Apr 15, 2024 01:21 AM")
    '2024-04-15T01:21:00'
    >>> parse_date("2023-06-30")
    '2023-06-30'
    """
    value = " ".join(value.split())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return None
        return value
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        has_time = "%H" in fmt or "%I" in fmt
        return parsed.isoformat() if has_time else parsed.date().isoformat()
    return None


def slugify(text: str, max_len: int = 80) -> str:
    """Lower-case ASCII slug: ``"Lingang New Area"`` → ``"lingang-new-area"``."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_len].rstrip("-")


# --------------------------------------------------------------------------- text


@dataclass(slots=True)
class _Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _lines(text: str) -> Iterator[_Line | None]:
    """Lines with offsets; ``None`` marks a blank line (a paragraph break)."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            yield None
        else:
            lead = len(body) - len(body.lstrip())
            yield _Line(stripped, pos + lead)
        pos += len(raw)


@dataclass(slots=True)
class _Article:
    title: str | None = None
    date: str | None = None
    blocks: list[list[_Line]] = field(default_factory=list)


def _split_articles(text: str, markdown: bool) -> list[_Article]:
    lines = list(_lines(text))
    seen: set[str] = set()
    articles: list[_Article] = [_Article()]
    block: list[_Line] = []

    def flush() -> None:
        if block:
            articles[-1].blocks.append(list(block))
            block.clear()

    first_line = next((ln for ln in lines if ln is not None), None)
    for i, line in enumerate(lines):
        if line is None:
            flush()
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        prev = lines[i - 1] if i > 0 else None
        if prev is not None and prev.text == line.text:
            continue  # second copy of a doubled title line
        if nxt is not None and nxt.text == line.text:
            # a title printed twice opens a new article
            flush()
            if articles[-1].blocks or articles[-1].title:
                articles.append(_Article())
            articles[-1].title = line.text
            seen.add(line.text)
            block.append(line)
            flush()
            continue
        if line.text in seen:
            continue  # page header or other verbatim repeat: read once
        seen.add(line.text)
        m = _DATE_LINE.match(line.text)
        if m and (date := parse_date(m.group("value"))):
            if articles[-1].date is None:
                articles[-1].date = date
            continue
        if markdown and line.text.startswith("#"):
            heading = line.text.lstrip("#").strip()
            if not heading:
                continue
            flush()
            offset = line.start + line.text.index(heading)
            if articles[-1].title is None and not articles[-1].blocks:
                articles[-1].title = heading
            articles[-1].blocks.append([_Line(heading, offset)])
            continue
        block.append(line)
    flush()
    first = articles[0]
    if first.title is None and first_line is not None and first.blocks:
        head = first.blocks[0]
        if len(head) == 1 and head[0] is first_line and len(first_line.text) < 300 and not first_line.text.endswith("."):
            first.title = first_line.text
    return [a for a in articles if a.blocks]


def _paragraphs(text: str, blocks: list[list[_Line]]) -> tuple[Paragraph, ...]:
    out = []
    for block in blocks:
        # consecutive kept lines of a block form one paragraph; the source text
        # between them (line breaks) is kept so offsets stay exact
        run: list[_Line] = [block[0]]
        for line in block[1:]:
            if text[run[-1].end : line.start].strip():  # a skipped line sits between
                out.extend(_bounded(text, run[0].start, run[-1].end))
                run = [line]
            else:
                run.append(line)
        out.extend(_bounded(text, run[0].start, run[-1].end))
    return tuple(out)


_SENTENCE_END = re.compile(r"[.!?…。][\"'”’)\]]*\s+")


def _bounded(text: str, start: int, end: int, limit: int = MAX_BLOCK_CHARS) -> Iterator[Paragraph]:
    """``text[start:end]`` as paragraphs of at most ``limit`` characters, cut after the
    last sentence end, else line break, else space before the limit (else at it)."""
    while end - start > limit:
        window = text[start : start + limit]
        cut = 0
        for m in _SENTENCE_END.finditer(window, limit // 2):
            cut = m.end()
        if not cut:
            cut = max(window.rfind("\n", limit // 2), window.rfind(" ", limit // 2)) + 1
        if cut <= 0:
            cut = limit
        piece = text[start : start + cut]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            yield Paragraph(piece.strip(), start + lead)
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if text[start:end].strip():
        yield Paragraph(text[start:end], start)


def documents_from_text(text: str, *, source: str, doc_id: str, markdown: bool = False) -> list[Document]:
    """Split one plain text into its articles."""
    articles = _split_articles(text, markdown)
    docs: list[Document] = []
    used: set[str] = set()
    for n, art in enumerate(articles):
        if len(articles) == 1:
            ident = doc_id
        else:
            ident = f"{doc_id}/{slugify(art.title or '', 60) or f'part-{n + 1}'}"
            base, k = ident, 2
            while ident in used:
                ident, k = f"{base}-{k}", k + 1
        used.add(ident)
        info = DocInfo(id=ident, source=source, title=art.title, date=art.date)
        docs.append(Document(info, _paragraphs(text, art.blocks)))
    return docs


# --------------------------------------------------------------------------- files


def display_path(path: str | Path) -> str:
    """``path`` as text that any writer can hold: bytes of a file name that are
    not UTF-8 are shown as ``\\xNN`` (``caf\\xe9.txt``), never as lone surrogates."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _decode(path: str, data: bytes) -> str:
    if not data.strip():
        raise InputError(path, "empty file")
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file (contains NUL bytes)")
    try:
        return xml_safe(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid UTF-8 (byte {exc.start}: {exc.reason})") from None


def _file_kind(mode: int) -> str | None:
    """What a non-regular file is (``None`` for a regular file)."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def _read_bytes(path: Path, where: str, max_size: int) -> bytes:
    """The bytes of the regular file ``path``; a FIFO, device or file over ``max_size``
    is refused without blocking and without reading it."""
    try:
        kind = _file_kind(os.stat(path).st_mode)
        if kind is None:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
            try:
                info = os.fstat(fd)  # the file opened, not the one looked at: it may have been swapped
                kind = _file_kind(info.st_mode)
                if kind is None and info.st_size <= max_size:
                    with os.fdopen(fd, "rb", closefd=False) as fh:
                        data = fh.read(max_size + 1)
                    if len(data) <= max_size:
                        return data
            finally:
                os.close(fd)
    except OSError as exc:
        raise InputError(where, f"cannot read: {exc.strerror or exc}") from None
    if kind is not None:
        raise InputError(where, f"{kind}, not a regular file")
    raise InputError(where, f"larger than the {max_size:,}-byte limit (raise it with --max-file-size)")


def read_file(
    path: str | Path, *, doc_id: str | None = None, max_file_size: int = MAX_FILE_SIZE
) -> tuple[list[Document], list[Problem]]:
    """Read one file into documents; problems with single JSONL lines are returned.

    Raises :class:`~kg.errors.InputError` when the whole file cannot be read: a
    FIFO, device or other non-regular file, a file over ``max_file_size`` bytes,
    binary or not UTF-8.
    """
    path = Path(path)
    source = display_path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(source, f"unsupported file type {display_path(path.suffix)!r} (use {', '.join(sorted(SUFFIXES))})")
    text = _decode(source, _read_bytes(path, source, max_file_size))  # type: ignore[arg-type]
    ident = doc_id or slugify(path.stem) or "doc"
    if kind == "text":
        docs = documents_from_text(text, source=source, doc_id=ident, markdown=path.suffix.lower() == ".md")
        if not docs:
            raise InputError(source, "no text found")
        return docs, []
    if kind == "html":
        body, title, date = html_to_text(text)
        if not body.strip():
            raise InputError(source, "no visible text in the page")
        docs = documents_from_text(body, source=source, doc_id=ident)
        if len(docs) == 1:
            docs = [Document(DocInfo(ident, source, title or docs[0].info.title, date), docs[0].paragraphs)]
        return docs, []
    return _read_jsonl(source, text, ident)


def _url(value: object) -> tuple[str | None, str | None]:
    """A JSONL ``url`` as an IRI (characters an IRI cannot hold percent-encoded), else as
    text, or ``None`` and the reason it is left out."""
    from kg.iri import encode_iri

    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        return None, f"'url' {json.dumps(value)[:80]} is not a string (url left out, the document is built)"
    return encode_iri(value) or value, None  # a url that is no IRI is kept as text (a literal)


def _read_jsonl(path: str, text: str, ident: str) -> tuple[list[Document], list[Problem]]:
    docs: list[Document] = []
    problems: list[Problem] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(where, f"invalid JSON ({exc.msg})"))
            continue
        except RecursionError:
            problems.append(Problem(where, "invalid JSON (nested too deeply)"))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            problems.append(Problem(where, "line has no 'text' string"))
            continue
        record = {k: xml_safe(v) if isinstance(v, str) else v for k, v in record.items()}
        if not record["text"].strip():
            problems.append(Problem(where, "empty 'text'"))
            continue
        doc_id = xml_safe(str(record.get("id") or f"{ident}-{lineno}"))
        url, why = _url(record.get("url"))
        if why:
            problems.append(Problem(where, why))
        parts = documents_from_text(record["text"], source=path, doc_id=doc_id)
        paragraphs = tuple(p for d in parts for p in d.paragraphs)
        date = record.get("date")
        title = record.get("title")
        info = DocInfo(
            id=doc_id,
            source=path,
            title=(title if isinstance(title, str) else None) or (parts[0].info.title if parts else None),
            date=parse_date(str(date)) if date else (parts[0].info.date if parts else None),
            url=url,
        )
        docs.append(Document(info, paragraphs))
    if not docs and not problems:
        raise InputError(path, "no documents in file")
    return docs, problems


def iter_files(paths: Iterable[str | Path], problems: list[Problem]) -> Iterator[tuple[Path, str]]:
    """Files under ``paths`` (recursively, sorted) with a document id prefix each.

    A missing path or unreadable directory is appended to ``problems``.
    """
    for root in paths:
        root = Path(root)
        if not root.exists() and not root.is_symlink():
            problems.append(Problem(display_path(root), "no such file or directory"))
            continue
        if not root.is_dir():  # a file, or a FIFO, device or broken link that read_file explains
            yield root, slugify(root.stem) or "doc"
            continue
        if not os.access(root, os.R_OK | os.X_OK):
            problems.append(Problem(display_path(root), "directory is not readable (permission denied)"))
            continue
        found: list[Path] = []

        def on_error(exc: OSError) -> None:
            problems.append(Problem(display_path(exc.filename), f"directory is not readable ({exc.strerror})"))

        for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if Path(name).suffix.lower() in SUFFIXES and not name.startswith("."):
                    found.append(Path(dirpath) / name)
        for path in sorted(found):
            rel = path.relative_to(root).with_suffix("")
            yield path, "/".join(slugify(p) or "x" for p in rel.parts)


@dataclass(slots=True)
class ReadReport:
    """What :func:`read_sources` read and skipped."""

    files: int = 0
    documents: int = 0
    problems: list[Problem] = field(default_factory=list)


def read_sources(
    paths: Iterable[str | Path], report: ReadReport | None = None, *, max_file_size: int = MAX_FILE_SIZE
) -> Iterator[Document]:
    """Stream the documents of every readable file under ``paths``.

    Bad files and lines are logged and recorded in ``report.problems``; the
    rest is read. Document ids are unique within one call.
    """
    report = report if report is not None else ReadReport()
    used: set[str] = set()
    for path, ident in iter_files(paths, report.problems):
        try:
            docs, problems = read_file(path, doc_id=ident, max_file_size=max_file_size)
        except InputError as exc:
            log.info("skipped %s", exc)
            report.problems.append(Problem(exc.path, exc.reason))
            continue
        report.files += 1
        report.problems.extend(problems)
        for doc in docs:
            if doc.id in used:
                base, k = doc.id, 2
                while f"{base}-{k}" in used:
                    k += 1
                doc = Document(DocInfo(f"{base}-{k}", *_info_rest(doc.info)), doc.paragraphs)
            used.add(doc.id)
            report.documents += 1
            yield doc


def _info_rest(info: DocInfo) -> tuple[str, str | None, str | None, str | None]:
    return info.source, info.title, info.date, info.url
