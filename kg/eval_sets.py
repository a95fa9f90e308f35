"""Score folders of gold texts: one graph per text, one row per folder, a micro-averaged total.

A gold folder holds ``<id>.txt`` beside ``<id>.gold.json`` (``shared/eval/news``,
``shared/eval/docred-dev``). A gold file without a text beside it is built from
the file its ``source`` field names, relative to the folder or one of its parents
(``shared/eval/dev`` points at ``corpus/lingang-news.txt`` of ``shared/``). Each text is built
on its own, with the pipeline loaded once for all of them, and scored with
:func:`kg.eval.evaluate`; a folder's figures add up the counts of its texts (a
micro-average, as ``shared/eval/README.md`` asks).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from kg.errors import GoldFormatError, InputError
from kg.eval import EvalReport, Score, evaluate

__all__ = ["FolderReport", "gold_texts", "evaluate_folders", "add_reports", "scoring_graph"]

GOLD_SUFFIX = ".gold.json"


@dataclass
class FolderReport:
    """The micro-averaged report of one folder, and how many texts it holds."""

    name: str
    texts: int
    report: EvalReport
    per_text: list[tuple[str, EvalReport]] = field(default_factory=list)
    seconds: float = 0.0


def gold_texts(folder: str | Path) -> list[tuple[Path, Path]]:
    """The (text, gold file) pairs of ``folder``, sorted by id."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "not a folder of gold files")
    pairs = []
    for gold in sorted(folder.glob(f"*{GOLD_SUFFIX}")):
        text = folder / (gold.name[: -len(GOLD_SUFFIX)] + ".txt")
        if not text.is_file():
            try:
                source = json.loads(gold.read_text(encoding="utf-8")).get("source")
            except (OSError, ValueError) as exc:
                raise GoldFormatError(f"{gold}: not readable JSON ({exc})") from None
            found = [base / source for base in (folder, *folder.resolve().parents) if isinstance(source, str)]
            found = [p for p in found if p.is_file()]
            if not found:
                raise InputError(gold, f"no {text.name} beside it and no readable 'source' file ({source!r})")
            text = found[0]
        pairs.append((text, gold))
    if not pairs:
        raise InputError(folder, f"no *{GOLD_SUFFIX} files in this folder")
    return pairs


def add_reports(reports: Sequence[EvalReport]) -> EvalReport:
    """The micro-average of reports on disjoint texts: every count added up."""

    def total(name: str) -> Score:
        scores = [getattr(r, name) for r in reports]
        return Score(*(sum(getattr(s, f.name) for s in scores) for f in fields(Score)))

    out = EvalReport(
        [g for r in reports for g in r.gold_ids], total("entities"), total("links"), total("typed"),
        sum(r.duplicates for r in reports), sum(r.type_correct for r in reports), sum(r.facts_gold for r in reports),
    )
    for name in out.details():
        getattr(out, name).extend(item for r in reports for item in getattr(r, name))
    return out


BuildOne = Callable[[Path], object]


def scoring_graph(graph):
    """What the scorer reads of a :class:`~kg.graph.KnowledgeGraph` (classes, names, relation
    triples) as an rdflib graph, without the round trip through the full RDF."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS

    from kg.vocab import VOCAB_IRI

    g = Graph()
    for e in graph.entities:
        node = URIRef(e.iri)
        g.add((node, RDF.type, URIRef(VOCAB_IRI + e.cls)))
        g.add((node, RDFS.label, Literal(e.label)))
        for alt in e.alt_labels:
            g.add((node, SKOS.altLabel, Literal(alt)))
    for st in graph.statements:
        g.add((URIRef(st.subject), URIRef(VOCAB_IRI + st.property), URIRef(st.object)))
    return g


def _default_build(**build_options: object) -> BuildOne:
    from kg.builder import build

    def one(text: Path) -> object:
        return scoring_graph(build([text], **build_options))  # type: ignore[arg-type]

    return one


def evaluate_folders(
    folders: Iterable[str | Path],
    *,
    build_one: BuildOne | None = None,
    limit: int = 0,
    progress: Callable[[str, int, int], None] | None = None,
    **build_options: object,
) -> list[FolderReport]:
    """Build and score every text of every folder; ``limit`` takes the first N texts of each.

    ``build_one(text_path)`` returns the graph of one text (any input of
    :func:`kg.eval.evaluate`); by default :func:`kg.build` with ``build_options``.
    """
    import time

    build_one = build_one or _default_build(**build_options)
    out = []
    for folder in folders:
        t0 = time.perf_counter()
        pairs = gold_texts(folder)
        if limit:
            pairs = pairs[:limit]
        per_text = []
        for n, (text, gold) in enumerate(pairs, 1):
            per_text.append((text.name, evaluate(build_one(text), gold)))  # type: ignore[arg-type]
            if progress:
                progress(Path(folder).name, n, len(pairs))
        report = add_reports([r for _, r in per_text])
        out.append(FolderReport(Path(folder).name, len(pairs), report, per_text, time.perf_counter() - t0))
    return out
