"""The registry of relation extractors.

An extractor is a plain function registered by name::

    @extractors.register("kg.apposition.v1")
    def apposition(sent: SentenceContext) -> Iterable[Relation]: ...

It receives one parsed sentence with the mentions inside it and yields
:class:`~kg.model.Relation` records; it never touches rdflib or networkx.
Configuration switches extractors on and off by name; an unknown name raises
:class:`~kg.errors.UnknownNameError` listing the known ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import catalogue
from spacy.tokens import Span

from kg.errors import UnknownNameError
from kg.lexicon import Lexicon
from kg.model import Mention, Relation

__all__ = ["SentenceContext", "Extractor", "extractors", "get_extractors", "known_extractors"]


@dataclass(frozen=True)
class SentenceContext:
    """One sentence, its paragraph offset, and the mentions inside it.

    ``mentions`` pairs each mention's index in the document's mention list with
    the mention and its token span in ``sent.doc``.
    """

    sent: Span
    offset: int
    mentions: Sequence[tuple[int, Mention, Span]]
    all_mentions: Sequence[Mention]
    lex: Lexicon

    @property
    def text(self) -> str:
        return self.sent.text

    @property
    def start(self) -> int:
        return self.offset + self.sent.start_char

    @property
    def end(self) -> int:
        return self.offset + self.sent.end_char

    def relation(
        self, subject: int, prop: str, obj: int, extractor: str, confidence: float, **extra: str | None
    ) -> Relation:
        """A :class:`Relation` with this sentence as evidence."""
        return Relation(
            subject=subject,
            property=prop,
            object=obj,
            sentence=" ".join(self.sent.text.split()),
            sent_start=self.start,
            sent_end=self.end,
            extractor=extractor,
            confidence=confidence,
            **extra,  # type: ignore[arg-type]
        )


Extractor = Callable[[SentenceContext], Iterable[Relation]]

extractors = catalogue.create("kg", "extractors", entry_points=False)


def known_extractors() -> list[str]:
    _load_builtin()
    return sorted(extractors.get_all())


def get_extractors(names: Iterable[str] | None = None) -> list[tuple[str, Extractor]]:
    """The extractors to run: ``names`` (in order) or every registered one."""
    _load_builtin()
    available = extractors.get_all()
    if names is None:
        return sorted(available.items())
    out = []
    for name in names:
        if name not in available:
            raise UnknownNameError("extractor", name, list(available))
        out.append((name, available[name]))
    return out


def _load_builtin() -> None:
    import importlib
    import pkgutil

    import kg.extract.relations as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{info.name}")
