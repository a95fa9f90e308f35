"""A folder of hostile inputs for ``kg build``, generated (nothing hostile is checked in).

:func:`make_corpus` writes the files and returns what a build must do with
each: ``built`` (its document is in the graph) or ``skipped`` (one
``skipped`` line names it); ``ignored`` files are not inputs at all
(hidden files, directory links that are not followed).
"""

from __future__ import annotations

import gzip
import json
import os
import random
from pathlib import Path

GOOD = "Alice Smith works for Acme Corp in Paris.\n\nBob Jones, chief executive of Globex Group, visited Berlin.\n"


def _html(canary: str) -> str:
    return f"""<!DOCTYPE html SYSTEM "{canary}html.dtd" [
<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY ext SYSTEM "{canary}ext">]>
<html><head><title>Acme &amp; Co &#x1b;[31m title</title>
<link rel="stylesheet" href="{canary}style.css"><script src="{canary}x.js">fetch("{canary}js")</script>
<meta http-equiv="refresh" content="0;url={canary}refresh"><style>@import url({canary}i.css);</style></head>
<body><img src="{canary}img.png"><iframe src="{canary}frame"></iframe>
<p>Alice Smith works for Acme Corp in Paris. &lol2; &ext; &#0; &#xFFFE; &#xD800; &#x1b;]0;owned&#x7;</p>
<object data="{canary}obj"></object><p>Bob Jones visited Berlin.</p></body></html>
"""


def make_corpus(root: Path, canary: str) -> dict[str, list[str]]:
    """Write the hostile corpus under ``root``; return ``{"built": [...], "skipped": [...], "ignored": [...]}``
    (paths relative to ``root``, as ``bytes`` decoded with surrogateescape where a name is not UTF-8)."""
    root.mkdir(parents=True, exist_ok=True)
    expect: dict[str, list[str]] = {"built": [], "skipped": [], "ignored": []}
    rng = random.Random(15)

    def put(name: str | bytes, data: bytes | str, outcome: str) -> None:
        rel = os.fsdecode(name)
        path = os.path.join(os.fsencode(root), os.fsencode(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        expect[outcome].append(rel)

    # -- encodings
    put("enc/utf8-bom.txt", b"\xef\xbb\xbf" + GOOD.encode(), "built")
    put("enc/utf16-le-bom.txt", GOOD.encode("utf-16"), "skipped")
    put("enc/utf16-be-bom.txt", b"\xfe\xff" + GOOD.encode("utf-16-be"), "skipped")
    put("enc/utf16-nobom.txt", GOOD.encode("utf-16-le"), "skipped")
    put("enc/utf32.txt", GOOD.encode("utf-32"), "skipped")
    put("enc/latin1.txt", ("Caf\u00e9 " + GOOD).encode("latin-1"), "skipped")
    put("enc/mixed.txt", GOOD.encode() + "Caf\u00e9 Z\u00fcrich".encode("latin-1"), "skipped")
    put("enc/cp1252.txt", "\u201cAcme\u201d Corp said.".encode("cp1252"), "skipped")
    put("enc/overlong.txt", b"Acme \xc0\xaf Corp", "skipped")
    put("enc/encoded-surrogate.txt", b"Acme \xed\xa0\x80 Corp", "skipped")
    put("enc/crlf.txt", GOOD.replace("\n", "\r\n"), "built")
    put("enc/cr-only.txt", GOOD.replace("\n", "\r"), "built")
    # -- Unicode controls and bidi
    put("uni/c0-controls.txt", "Alice\x01 Smith\x02 works\x08 for Acme\x0b Corp\x0c in\x1b[31m Paris\x7f.\n\nBob\x85 Jones visited Berlin.", "built")
    put("uni/bidi.txt", "Alice \u202eSmith\u202c works for \u2066Acme\u2069 Corp in \u200fParis.\n\nBob Jones\u200d visited Berlin.", "built")
    put("uni/nonchars.txt", "Alice Smith \ufffe works for Acme \uffff Corp \ufeff in Paris.", "built")
    put("uni/line-separators.txt", "Alice Smith works for Acme Corp.\u2028Bob Jones visited Berlin.\u2029\u2029Carol met Dave.", "built")
    put("uni/nul-late.txt", "Alice Smith works for Acme Corp. " * 300 + "\x00 and Bob Jones visited Berlin.", "built")
    put("uni/osc-in-text.txt", "Acme Corp \x1b]0;pwned\x07 hired Alice Smith \x1b[2J in Paris.", "built")
    put("uni/combining.txt", "A\u0301\u0302\u0303lice Smith works for Acme Corp." + "e\u0301" * 500, "built")
    put("uni/emoji.txt", "Alice Smith \U0001f600 works for Acme \U0001f3e2 Corp in Paris \U0001f1eb\U0001f1f7.", "built")
    # -- sizes
    put("size/long-paragraph.txt", "Alice Smith joined Acme Corp in Paris. " + " ".join(["a" * 999] * 1100), "built")
    put("size/long-line-nospace.txt", "Acme" + "x" * 1_100_000, "built")
    put("size/over-limit.txt", b"Acme Corp. " * 300_000, "skipped")  # 3.3 MB > --max-file-size 2
    put("size/empty.txt", b"", "skipped")
    put("size/whitespace.txt", b" \n\t\r\n  \n", "skipped")
    put("size/many-paragraphs.txt", "".join(f"Person{k} Smith works for Company{k} Corp.\n\n" for k in range(150)), "built")
    put("size/nested.txt", "(" * 2000 + "Acme Corp" + ")" * 2000, "built")
    # -- binary
    put("bin/png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(512)), "skipped")
    put("bin/random.txt", bytes(rng.randrange(256) for _ in range(4096)), "skipped")
    put("bin/gzip.txt", gzip.compress(GOOD.encode() * 20), "skipped")
    put("bin/elf.md", b"\x7fELF\x02\x01\x01\x00" + bytes(64), "skipped")
    # -- HTML
    put("html/hostile.html", _html(canary), "built")
    put("html/only-script.html", f"<html><script>location='{canary}'</script><style>p{{}}</style></html>", "skipped")
    put("html/utf16.htm", "<p>Acme Corp</p>".encode("utf-16"), "skipped")
    put("html/unclosed.html", "<p>Alice Smith works for Acme Corp <b><i><div " + "<div>" * 3000, "built")
    put("html/comment-bomb.html", "<!--" + "-" * 50000 + "--><p>Alice Smith works for Acme Corp.</p>", "built")
    # -- hostile strings in text
    put("str/markup.txt", "Acme <script>alert(1)</script> Corp hired Alice O'Brien & Sons \"Ltd\" ]]> <![CDATA[x]]> in Paris.", "built")
    put("str/injection.txt", "${jndi:ldap://127.0.0.1/x} Holdings and {{7*7}} Group signed with Robert'); DROP TABLE docs;-- Inc.", "built")
    put("str/rdf-syntax.txt", '"""@prefix x: <http://127.0.0.1/> . <a> <b> "c"^^<d> . \\u0000 _:b1 Acme Corp.', "built")
    put("str/xml-bomb.txt", '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        f'<!ENTITY c SYSTEM "{canary}c">]><l>&b;&c;</l> Acme Corp.', "built")
    put("str/jsonld-context.txt", json.dumps({"@context": f"{canary}ctx.jsonld", "@id": "x", "name": "Acme Corp"}), "built")
    put("str/heading-only.md", "#\n\n##   \n", "skipped")
    # -- odd names (each holds good text)
    for name in ["names/new\nline.txt", "names/esc\x1b[31mred.txt", "names/osc\x1b]0;pwned\x07.txt", "names/rlo\u202etxt.exe.txt",
                 "names/ leading space.txt", "names/tab\tname.txt", "names/quote\"'.txt", "names/<script>.txt",
                 "names/" + "a" * 200 + ".txt", "names/emoji\U0001f600.txt", "names/ctrl\x01\x7f.txt", "names/back\\slash.txt",
                 "names/percent%41.txt", "names/hash#frag?q.txt", "names/UPPER.TXT", "names/dir.txt/inside.txt"]:
        put(name, GOOD, "built")
    put(b"names/latin\xe9.txt", GOOD, "built")
    put(b"names/bad\xff\xfeutf8.md", GOOD, "built")
    put("names/.hidden.txt", GOOD, "ignored")
    # -- JSONL: good lines and bad ones (a bad line is skipped, the file's other lines are built)
    lines = [
        json.dumps({"id": "j-good", "text": GOOD, "url": f"{canary}page"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": 42}),
        json.dumps({"id": "j-space", "text": GOOD, "url": "http://ex.org/a b"}),
        json.dumps({"id": "j-int-url", "text": GOOD, "url": 9}),
        json.dumps({"id": "j-js-url", "text": GOOD, "url": "javascript:alert(1)"}),
        json.dumps({"id": "j-ctrl\x1b[0m", "text": "Alice\x00 Smith works for Acme \ud800 Corp.", "title": "T\x01\x1b]0;x\x07"}),
        json.dumps({"id": "../../etc/passwd", "text": GOOD, "date": "not a date", "title": ["list"]}),
        json.dumps({"@context": f"{canary}ctx", "text": "Acme Corp hired Alice Smith."}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "   "}),
    ]
    put("jsonl/mixed.jsonl", "\n".join(lines) + "\n", "built")
    expect["jsonl_bad_lines"] = [f"jsonl/mixed.jsonl:{n}" for n in (2, 3, 4, 6, 11, 12, 13)]
    put("jsonl/all-bad.jsonl", "{\n[1]\n", "built")  # no document, two bad lines: the lines are reported
    expect["jsonl_bad_lines"] += ["jsonl/all-bad.jsonl:1", "jsonl/all-bad.jsonl:2"]
    expect["built"].remove("jsonl/all-bad.jsonl")
    # -- special files and links
    (root / "special").mkdir()
    os.mkfifo(root / "special" / "fifo.txt")
    expect["skipped"].append("special/fifo.txt")
    links = {"special/zero.txt": "/dev/zero", "special/urandom.txt": "/dev/urandom", "special/dangling.txt": "/nonexistent/x.txt",
             "special/loop-a.txt": "loop-b.txt", "special/loop-b.txt": "loop-a.txt"}
    for name, target in links.items():
        os.symlink(target, root / name)
        expect["skipped"].append(name)
    os.symlink("..", root / "special" / "up")  # directory links (loops if followed): not followed
    os.symlink(".", root / "special" / "to-dir.txt")
    expect["ignored"] += ["special/up", "special/to-dir.txt"]
    os.symlink("../enc/crlf.txt", root / "special" / "link-to-good.txt")
    expect["built"].append("special/link-to-good.txt")
    return expect
