"""SPARQL syntax errors as one line a person can act on.

Oxigraph's parser says where it stopped and lists every token it would have
accepted there, counting lines from the start of the predeclared prefixes and
spelling character classes as Unicode ranges. :func:`explain` turns that into
one line in the user's terms: the position in *their* query, the word found
there, and the likely fix. Two mistakes get a message of their own: a prefix
that is neither declared nor predeclared (named, with the predeclared ones
listed), and an unknown first keyword (``SELEC``: the four query forms listed).
"""

from __future__ import annotations

import difflib
import re

__all__ = ["explain"]

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_MAX_EXPECTED = 8

#: strings, IRIs and comments, which hold no prefixed names or keywords
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)
_DECLARED = re.compile(r"\bPREFIX\s+([^\W\d][\w.-]*)?:", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w?$:.-])([^\W\d][\w.-]*)?:")
#: BASE and PREFIX declarations (their IRIs already blanked)
_PROLOGUE = re.compile(r"(?:\s*(?:BASE\b|PREFIX\s+(?:[^\W\d][\w.-]*)?:))*\s*", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[A-Za-z_]\w*")
_BARE_SELECT = re.compile(r"\b(SELECT)(?:\s+(?:DISTINCT|REDUCED))?\s*(?:WHERE\b|\{)", re.IGNORECASE)
#: one item of Oxigraph's list: a quoted token, a character class in brackets, or a keyword
_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|[^,\s]+')
_POSITION = re.compile(r"\bat (\d+):(\d+)")


def explain(query: str, message: str, *, predeclared: dict[str, str], prologue_lines: int) -> str:
    """The one-line explanation of Oxigraph's syntax error ``message`` for ``query``."""
    blanked = _OPAQUE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), query)
    if not blanked.strip():
        return "invalid SPARQL: the query is empty; write a SELECT, CONSTRUCT, ASK or DESCRIBE query"
    unknown = _unknown_prefix(blanked, predeclared)
    if unknown is not None:
        name, offset = unknown
        line, col = _line_col(query, offset)
        known = ", ".join(sorted(predeclared))
        return (f"invalid SPARQL: unknown prefix {name}: at line {line}, column {col}; declare it "
                f"(PREFIX {name}: <...>) or use a predeclared one: {known}")
    first = _first_keyword(blanked)
    if first is not None:
        word, offset = first
        line, col = _line_col(query, offset)
        close = difflib.get_close_matches(word.upper(), QUERY_FORMS, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        what = f"unknown keyword {word}" if word[:1].isalpha() else f"{word!r}"
        return f"invalid SPARQL: {what} at line {line}, column {col}; expected SELECT, CONSTRUCT, ASK or DESCRIBE{hint}"
    bare = _BARE_SELECT.search(blanked)
    if bare is not None:
        line, col = _line_col(query, bare.start(1))
        return f"invalid SPARQL: SELECT at line {line}, column {col} names no variables; write SELECT ?x ... or SELECT *"
    return _general(query, message, prologue_lines)


def _unknown_prefix(blanked: str, predeclared: dict[str, str]) -> tuple[str, int] | None:
    declared = set(predeclared) | {m.group(1) or "" for m in _DECLARED.finditer(blanked)}
    for m in _PREFIXED.finditer(blanked):
        name = m.group(1) or ""
        if name not in declared and name != "_":  # _: starts a blank node label
            return name, m.start()
    return None


def _first_keyword(blanked: str) -> tuple[str, int] | None:
    """The first word (or character) after the prologue when it is no query form (else None)."""
    start = _PROLOGUE.match(blanked).end()
    if start >= len(blanked):
        return None
    word = _FIRST_WORD.match(blanked, start)
    token = word.group(0) if word else blanked[start]
    if token.upper() in QUERY_FORMS:
        return None
    return token, start


def _general(query: str, message: str, prologue_lines: int) -> str:
    m = _POSITION.search(message)
    where, near = "", ""
    if m:
        line, col = max(int(m[1]) - prologue_lines, 1), int(m[2])
        where = f" at line {line}, column {col}"
        lines = query.splitlines() or [""]
        text = lines[min(line, len(lines)) - 1][max(col - 1, 0):].strip()
        end = "query" if line >= len(lines) else "line"
        near = f" (near {text[:20]!r})" if text else f" (at the end of the {end})"
    expected = _expected(message)
    return f"invalid SPARQL: syntax error{where}{near}" + (f"; expected {expected}" if expected else "")


def _expected(message: str) -> str:
    """``expected one of ",", ".", [_]`` -> ``one of ',' '.'``: tokens only, no character classes."""
    m = re.search(r"expected (?:one of )?(.*)", message, re.DOTALL)
    if not m:
        return ""
    items = _ITEM.findall(m.group(1))
    tokens = []
    for item in items:
        if item.startswith("[") or not item:  # a character class such as ['0'..='9']
            continue
        tokens.append(item)
    if not tokens:
        return ""
    shown = ", ".join(tokens[:_MAX_EXPECTED]) + (", ..." if len(tokens) > _MAX_EXPECTED else "")
    return shown if len(tokens) == 1 else f"one of {shown}"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col
