"""The one place where IRIs are minted (stable: from names, never counters) and checked.

:func:`check_iri` is the test every writer applies to an IRI it did not mint
(an ontology's terms, a ``--base``, a document's ``url``); :func:`encode_iri`
percent-encodes what a source wrote (``http://ex.org/a b``) into an IRI.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from kg.chars import xml_safe
from kg.errors import GraphFormatError
from kg.ingest import slugify
from kg.vocab import ID_IRI

__all__ = ["entity_iri", "document_iri", "node_iri", "digest", "is_iri", "check_iri", "encode_iri"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
#: characters an IRI may hold as written (RFC 3987 reserved and unreserved, and existing escapes)
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def is_iri(text: str) -> bool:
    """True if ``text`` is an absolute IRI that every RDF syntax can write."""
    import pyoxigraph as ox

    if not _SCHEME.match(text) or xml_safe(text) != text:
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def check_iri(text: str, what: str = "IRI") -> str:
    """``text`` if :func:`is_iri`, else :class:`~kg.errors.GraphFormatError` naming ``what``."""
    if not is_iri(text):
        raise GraphFormatError(f"{what} {text[:200]!r} is not an absolute IRI")
    return text


def encode_iri(text: str) -> str | None:
    """``text`` with the characters an IRI cannot hold percent-encoded (UTF-8), if that
    gives an absolute IRI; else ``None``.

    >>> encode_iri("http://ex.org/a b")
    'http://ex.org/a%20b'
    >>> encode_iri("not a url") is None
    True
    """
    text = text.strip()
    if is_iri(text):
        return text
    encoded = quote(xml_safe(text).replace("\ufffd", ""), safe=_IRI_SAFE)
    return encoded if is_iri(encoded) else None


def digest(*parts: str, length: int = 16) -> str:
    """Short, stable hex digest of ``parts`` (each read as :func:`~kg.chars.xml_safe` text)."""
    h = hashlib.sha1("\x1f".join(xml_safe(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def entity_iri(cls: str, name: str, salt: str = "") -> str:
    """IRI of the entity of class ``cls`` with canonical ``name``.

    >>> entity_iri("EconomicZone", "Lingang New Area")
    'https://w3id.org/wild-goose/id/economiczone/lingang-new-area'
    """
    slug = slugify(name, 80) or digest(name, length=12)
    if salt:
        slug = f"{slug}-{digest(name, salt, length=6)}"
    return f"{ID_IRI}{cls.lower()}/{slug}"


def document_iri(doc_id: str) -> str:
    return f"{ID_IRI}doc/{quote(xml_safe(doc_id), safe='/-_.~')}"


def node_iri(kind: str, *parts: str) -> str:
    """IRI of a bookkeeping node (statement, evidence, mention count, run)."""
    return f"{ID_IRI}{kind}/{digest(*parts)}"
