"""Reading sources: paragraphs with exact offsets, news dumps, formats, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import ReadReport, parse_date, read_file, read_sources
from tests.conftest import ROOT


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def read_all(*paths: Path) -> tuple[list, ReadReport]:
    report = ReadReport()
    docs = list(read_sources(paths, report))
    return docs, report


def source_of(path: Path) -> str:
    """The text offsets refer to: the file decoded as is (no newline translation, no BOM)."""
    return path.read_bytes().decode("utf-8-sig")


def assert_offsets_exact(source_text: str, doc) -> None:
    for p in doc.paragraphs:
        assert source_text[p.start : p.start + len(p.text)] == p.text


# --------------------------------------------------------------------------- plain text


def test_paragraphs_are_blank_line_blocks_with_exact_offsets(tmp_path):
    text = (
        "Bayport Opens a Ferry Terminal\n"
        "\n"
        "The Bayport Harbor Authority opened a ferry terminal on Monday.\n"
        "It serves three islands.\n"
        "\n"
        "\n"
        "   Indented second paragraph about the Westbrook Science Park.   \n"
        "\r\n"
        "Last paragraph without a final newline."
    )
    path = write(tmp_path / "ferry.txt", text)
    (doc,), problems = read_file(path)
    assert problems == []
    # offsets count characters of the decoded file, line endings as written
    assert_offsets_exact(source_of(path), doc)
    assert [p.text for p in doc.paragraphs] == [
        "Bayport Opens a Ferry Terminal",
        "The Bayport Harbor Authority opened a ferry terminal on Monday.\nIt serves three islands.",
        "Indented second paragraph about the Westbrook Science Park.",
        "Last paragraph without a final newline.",
    ]
    # a one-line first block without a final period is the title
    assert doc.info.title == "Bayport Opens a Ferry Terminal"
    assert doc.info.id == "ferry"
    assert doc.info.source == str(path)


NEWS_DUMP = """\
Harbor Board Approves Eastern Port Expansion

Release time:Apr 15, 2024 01:21 AM

The Harbor Board approved the expansion of the eastern port on Monday.

Harbor Board Approves Eastern Port Expansion

Work on the three new berths starts in May.

City Parks Open Night Gardens
City Parks Open Night Gardens

The parks department opened the Westbrook gardens at night.

City Parks Open Night Gardens

Entry stays free until October.
"""


def test_news_dump_splits_articles_reads_page_headers_once_and_takes_the_date(tmp_path):
    path = write(tmp_path / "dump.txt", NEWS_DUMP)
    docs, problems = read_file(path)
    assert problems == []
    assert [d.info.title for d in docs] == [
        "Harbor Board Approves Eastern Port Expansion",
        "City Parks Open Night Gardens",
    ]
    first, second = docs
    assert first.info.date == "2024-04-15T01:21:00"
    assert second.info.date is None
    # ids are unique and readable
    assert len({d.id for d in docs}) == 2
    assert all(d.id.startswith("dump/") for d in docs)

    first_texts = [p.text for p in first.paragraphs]
    assert first_texts == [
        "Harbor Board Approves Eastern Port Expansion",
        "The Harbor Board approved the expansion of the eastern port on Monday.",
        "Work on the three new berths starts in May.",
    ]
    # the doubled title line opens the second article and is read once
    assert [p.text for p in second.paragraphs] == [
        "City Parks Open Night Gardens",
        "The parks department opened the Westbrook gardens at night.",
        "Entry stays free until October.",
    ]
    for doc in docs:
        assert_offsets_exact(NEWS_DUMP, doc)
        assert not any("Release time" in p.text for p in doc.paragraphs)


def test_the_example_corpus_is_split_into_dated_articles():
    path = ROOT / "examples" / "corpus" / "lingang-news.txt"
    docs, _ = read_file(path)
    assert len(docs) > 1
    assert docs[0].info.date == "2024-04-15T01:21:00"
    source = source_of(path)
    for doc in docs:
        assert_offsets_exact(source, doc)
    # the page header (the first title, repeated on each page) is read once
    title = docs[0].info.title
    assert sum(p.text == title for d in docs for p in d.paragraphs) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Apr 15, 2024 01:21 AM", "2024-04-15T01:21:00"),
        ("Apr 15, 2024 01:21 PM", "2024-04-15T13:21:00"),
        ("Apr 15, 2024 13:21", "2024-04-15T13:21:00"),
        ("  Apr  15,  2024 ", "2024-04-15"),
        ("April 15, 2024", "2024-04-15"),
        ("15 April 2024", "2024-04-15"),
        ("15 Apr 2024", "2024-04-15"),
        ("2023-06-30", "2023-06-30"),
        ("2024-04-15 13:05", "2024-04-15T13:05:00"),
        ("2024/04/15", "2024-04-15"),
        ("2024/04/15 08:00", "2024-04-15T08:00:00"),
        ("2024-04-15T01:21:00Z", "2024-04-15T01:21:00+00:00"),
        ("2024年4月15日", "2024-04-15"),
        # not dates
        ("yesterday", None),
        ("", None),
        ("Lingang New Area", None),
        ("2024-13-45", None),
        ("Apr 31, 2024", None),
        ("12345", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_windows_line_endings_keep_offsets_exact(tmp_path):
    text = "Ferry Timetable\r\n\r\nThe first ferry leaves at six.\r\nThe last at ten.\r\n\r\nTickets cost two dollars.\r\n"
    path = write(tmp_path / "crlf.txt", text.encode("utf-8"))
    (doc,), _ = read_file(path)
    assert_offsets_exact(text, doc)
    assert [p.text.replace("\r", "") for p in doc.paragraphs] == [
        "Ferry Timetable",
        "The first ferry leaves at six.\nThe last at ten.",
        "Tickets cost two dollars.",
    ]


def test_markdown_headings_become_paragraphs_without_hashes(tmp_path):
    text = "# Westbrook Port Report\n\nThe port grew fast.\n\n## Outlook\n\nMore ships are expected.\n\n#\n"
    path = write(tmp_path / "report.md", text)
    (doc,), _ = read_file(path)
    assert doc.info.title == "Westbrook Port Report"
    assert [p.text for p in doc.paragraphs] == [
        "Westbrook Port Report",
        "The port grew fast.",
        "Outlook",
        "More ships are expected.",
    ]
    assert_offsets_exact(text, doc)
    assert not any("#" in p.text for p in doc.paragraphs)


HTML = """<!DOCTYPE html>
<html><head>
<title>Harbor News: Terminal Opens</title>
<meta property="article:published_time" content="2024-05-02T09:30:00Z">
<style>body { color: red; } .secret-style {}</style>
<script>var tracker = "secret tracking code";</script>
</head>
<body>
<h1>Terminal Opens</h1>
<p>The Bayport Harbor Authority opened a terminal.</p>
<script type="text/javascript">alert("hidden script text");</script>
<p>Ships &amp; ferries will use it.</p>
</body></html>
"""


def test_html_drops_script_and_style_and_takes_title_and_date(tmp_path):
    path = write(tmp_path / "page.html", HTML)
    (doc,), _ = read_file(path)
    texts = [p.text for p in doc.paragraphs]
    joined = "\n".join(texts)
    assert "The Bayport Harbor Authority opened a terminal." in texts
    assert "Ships & ferries will use it." in texts  # entities decoded
    for hidden in ("secret tracking code", "hidden script text", "color: red", "secret-style"):
        assert hidden not in joined
    assert doc.info.title == "Harbor News: Terminal Opens"
    assert doc.info.date == "2024-05-02T09:30:00+00:00"


def test_jsonl_records_give_id_title_date_url(tmp_path):
    lines = [
        {"id": "bay-1", "title": "Ferry terminal", "date": "Apr 15, 2024", "url": "https://example.org/bay-1",
         "text": "The terminal opened.\n\nIt has four berths."},
        {"text": "A record with text only."},
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in lines) + "\n")
    docs, problems = read_file(path)
    assert problems == []
    first, second = docs
    assert first.info.id == "bay-1"
    assert first.info.title == "Ferry terminal"
    assert first.info.date == "2024-04-15"
    assert first.info.url == "https://example.org/bay-1"
    assert [p.text for p in first.paragraphs] == ["The terminal opened.", "It has four berths."]
    assert_offsets_exact(lines[0]["text"], first)
    assert second.info.url is None and second.info.date is None
    assert second.id != first.id


def test_utf8_bom_is_tolerated(tmp_path):
    path = write(tmp_path / "bom.txt", "\ufeffThe Bayport ferry runs daily.\n".encode("utf-8"))
    (doc,), _ = read_file(path)
    assert doc.paragraphs[0].text == "The Bayport ferry runs daily."
    assert "\ufeff" not in doc.paragraphs[0].text


def test_directories_are_read_recursively_in_sorted_order(tmp_path):
    write(tmp_path / "b.txt", "Second file.")
    write(tmp_path / "a.txt", "First file.")
    write(tmp_path / "sub" / "deeper" / "c.md", "Deep file.")
    write(tmp_path / "sub" / "a.jsonl", json.dumps({"id": "j", "text": "Line file."}))
    write(tmp_path / ".hidden" / "x.txt", "Hidden file.")
    docs, report = read_all(tmp_path)
    assert report.problems == []
    assert [d.paragraphs[0].text for d in docs] == ["First file.", "Second file.", "Line file.", "Deep file."]
    assert [d.info.source for d in docs] == sorted(d.info.source for d in docs)
    assert report.files == 4 and report.documents == 4
    # ids include the sub-folder, so equal names in two folders do not collide
    assert docs[3].id == "sub/deeper/c"


def test_same_document_id_twice_is_made_unique(tmp_path):
    a = write(tmp_path / "one" / "news.txt", "From folder one.")
    b = write(tmp_path / "two" / "news.txt", "From folder two.")
    docs, _ = read_all(a, b)
    assert len(docs) == 2
    assert len({d.id for d in docs}) == 2


# --------------------------------------------------------------------------- bad input


GOOD = "The Westbrook ferry runs daily."


def _problem_for(report: ReadReport, name: str):
    found = [p for p in report.problems if Path(p.source.split(":")[0]).name == name or p.source.endswith(name)]
    assert found, f"no problem reported for {name}: {report.problems}"
    return found[0]


def _assert_good_read(docs):
    assert [d.paragraphs[0].text for d in docs] == [GOOD]


def test_binary_file_is_skipped_with_reason(tmp_path):
    write(tmp_path / "good.txt", GOOD)
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    docs, report = read_all(tmp_path)
    _assert_good_read(docs)
    problem = _problem_for(report, "image.txt")
    assert problem.source == str(tmp_path / "image.txt")
    assert "binary" in problem.reason


def test_invalid_utf8_is_skipped_with_reason(tmp_path):
    write(tmp_path / "good.txt", GOOD)
    write(tmp_path / "latin1.txt", "Caf\u00e9 in Westbrook.".encode("latin-1"))
    docs, report = read_all(tmp_path)
    _assert_good_read(docs)
    assert "UTF-8" in _problem_for(report, "latin1.txt").reason


def test_empty_file_is_skipped_with_reason(tmp_path):
    write(tmp_path / "good.txt", GOOD)
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.md", "  \n\n \t\n")
    docs, report = read_all(tmp_path)
    _assert_good_read(docs)
    assert "empty" in _problem_for(report, "empty.txt").reason
    assert "empty" in _problem_for(report, "blank.md").reason


def test_jsonl_line_without_text_is_reported_and_the_other_lines_read(tmp_path):
    lines = [
        json.dumps({"id": "ok-1", "text": "First good line."}),
        json.dumps({"id": "bad", "title": "no text here"}),
        "this is not json",
        json.dumps({"id": "ok-2", "text": "Second good line."}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines))
    docs, report = read_all(path)
    assert [d.id for d in docs] == ["ok-1", "ok-2"]
    reasons = {p.source: p.reason for p in report.problems}
    assert reasons[f"{path}:2"] == "line has no 'text' string"
    assert reasons[f"{path}:3"].startswith("invalid JSON")
    assert report.files == 1


def test_unsupported_extension_given_explicitly_is_reported(tmp_path):
    good = write(tmp_path / "good.txt", GOOD)
    pdf = write(tmp_path / "scan.pdf", b"%PDF-1.4 ...")
    docs, report = read_all(pdf, good)
    _assert_good_read(docs)
    problem = _problem_for(report, "scan.pdf")
    assert "unsupported file type '.pdf'" in problem.reason
    with pytest.raises(InputError, match="scan.pdf: unsupported file type"):
        read_file(pdf)


def test_missing_path_is_reported(tmp_path):
    good = write(tmp_path / "good.txt", GOOD)
    missing = tmp_path / "no-such-folder"
    docs, report = read_all(missing, good)
    _assert_good_read(docs)
    assert [(p.source, p.reason) for p in report.problems] == [(str(missing), "no such file or directory")]


_NOBODY_SCRIPT = r"""
import json, sys
from kg.ingest import ReadReport, read_sources
root, locked = sys.argv[1], sys.argv[2]
out = {}
for name, paths in (("tree", [root]), ("locked", [locked])):
    report = ReadReport()
    docs = [d.paragraphs[0].text for d in read_sources(paths, report)]
    out[name] = {"docs": docs, "problems": [[p.source, p.reason] for p in report.problems]}
print(json.dumps(out))
"""


def _interpreters_for_nobody() -> list[str]:
    """Python interpreters (3.11+) to try as user ``nobody``: ours, then the system's."""
    found = [sys.executable]
    for name in ("python3.12", "python3.11", "python3"):
        path = shutil.which(name, path="/usr/local/bin:/usr/bin:/bin")
        if path and path not in found:
            found.append(path)
    return found


def test_unreadable_directory_is_reported_and_the_rest_read():
    """Run as ``nobody``: root can read every directory, whatever its mode."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("the test drops to user nobody and needs to start as root")
    tmp = Path(tempfile.mkdtemp(prefix="kg-unreadable-", dir="/tmp"))
    cleanup = [tmp]
    try:
        tmp.chmod(0o755)
        write(tmp / "open" / "good.txt", GOOD).chmod(0o644)
        (tmp / "open").chmod(0o755)
        write(tmp / "locked" / "secret.txt", "Never read.").chmod(0o644)
        (tmp / "locked").chmod(0o700)  # owned by root: nobody cannot list it
        # a world-readable copy of the package: the checkout itself may sit in a private folder
        pkg = Path(tempfile.mkdtemp(prefix="kg-package-", dir="/tmp"))
        cleanup.append(pkg)
        shutil.copytree(ROOT / "kg", pkg / "kg", ignore=shutil.ignore_patterns("__pycache__"))
        for path in [pkg, *pkg.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        env = {"PYTHONPATH": str(pkg), "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LC_ALL": "C.UTF-8"}
        errors = []
        for python in _interpreters_for_nobody():
            try:
                proc = subprocess.run(
                    [python, "-c", _NOBODY_SCRIPT, str(tmp), str(tmp / "locked")],
                    user=65534, group=65534, extra_groups=[], env=env, cwd="/tmp",
                    capture_output=True, text=True, timeout=60,
                )
            except (PermissionError, OSError) as exc:
                errors.append(f"{python}: {exc}")
                continue
            if proc.returncode != 0:
                errors.append(f"{python}: exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
                continue
            break
        else:
            pytest.skip("cannot run Python as user nobody (" + "; ".join(errors) + ")")
        result = json.loads(proc.stdout)
        # inside a tree: the locked folder is reported, the open one read
        assert result["tree"]["docs"] == [GOOD]
        ((source, reason),) = result["tree"]["problems"]
        assert source == str(tmp / "locked")
        assert "not readable" in reason and "ermission denied" in reason
        # given directly
        assert result["locked"]["docs"] == []
        ((source, reason),) = result["locked"]["problems"]
        assert source == str(tmp / "locked")
        assert "not readable" in reason
    finally:
        for path in cleanup:
            shutil.rmtree(path, ignore_errors=True)


def test_jsonl_lone_surrogate_escape_becomes_replacement_character(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "s", "text": "Acme \\ud83d opened a plant."}\n', encoding="utf-8")
    (doc,), problems = read_file(path)
    assert not problems
    assert "\ufffd" in doc.paragraphs[0].text
    doc.paragraphs[0].text.encode("utf-8")  # encodable
