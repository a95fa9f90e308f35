"""Which characters may reach an output: one policy for every writer and every terminal line.

- :func:`xml_safe` is applied to every literal the RDF writers emit and to every
  text read from a source: the characters XML 1.0 cannot hold even escaped
  (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) and lone surrogates
  (which no UTF-8 file can hold) become U+FFFD, one character for one, so
  character offsets into a source stay exact.
- :func:`terminal_safe` is applied to data printed on a terminal (file names
  in ``skipped …`` lines, query result tables): ESC and every other C0/C1
  control, DEL and the bidi controls are shown as ``\\x1b``-style escapes, so
  a file name cannot move the cursor, retitle the window (OSC) or reorder a line.
"""

from __future__ import annotations

import re

__all__ = ["XML_FORBIDDEN", "xml_safe", "terminal_safe"]

#: characters XML 1.0 forbids (below U+0020 but tab, LF, CR; U+FFFE, U+FFFF) and lone surrogates
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD (same length).

    >>> xml_safe("a\\x00b\\ufffe\\r\\n")
    'a\ufffdb\ufffd\\r\\n'
    """
    return XML_FORBIDDEN.sub("\ufffd", text) if XML_FORBIDDEN.search(text) else text


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with control and bidi characters written as escapes, for a terminal.

    >>> terminal_safe("evil\\x1b]0;owned\\x07.txt")
    'evil\\\\x1b]0;owned\\\\x07.txt'
    """
    return _TERMINAL_UNSAFE.sub(_escape, text)
