"""The one place where IRIs are minted (stable: from names, never counters)."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from kg.ingest import slugify
from kg.vocab import ID_IRI

__all__ = ["entity_iri", "document_iri", "node_iri", "digest"]


def digest(*parts: str, length: int = 16) -> str:
    """Short, stable hex digest of ``parts``."""
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8"))
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
    return f"{ID_IRI}doc/{quote(doc_id, safe='/-_.~')}"


def node_iri(kind: str, *parts: str) -> str:
    """IRI of a bookkeeping node (statement, evidence, mention count, run)."""
    return f"{ID_IRI}{kind}/{digest(*parts)}"
