"""The reduce: per-document records in, one :class:`~kg.graph.KnowledgeGraph` out.

Entities are resolved across the corpus (:mod:`kg.resolve`) and each record's
relations and facts become statements and observations with their evidence.
Only plain records are needed (no spaCy, no pipeline), so the store
(:mod:`kg.store`) assembles a generation from its stored records with it.
"""

from __future__ import annotations

from datetime import datetime, timezone

from kg import __version__
from kg.config import PipelineConfig
from kg.graph import Evidence, KnowledgeGraph, Observation, RunInfo, Statement
from kg.iri import digest, document_iri
from kg.lexicon import load_lexicon
from kg.model import DocResult
from kg.resolve import resolve

__all__ = ["assemble"]


def _run_info(results: list[DocResult], config: PipelineConfig) -> RunInfo:
    from kg.nlp import resolve_model_name

    model = resolve_model_name(config.model)
    ident = digest(__version__, model, repr(config), *sorted(r.info.id for r in results))
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return RunInfo(id=ident, started=started, software_version=__version__, model=model)


def assemble(
    results: list[DocResult], *, config: PipelineConfig | None = None, min_confidence: float = 0.0
) -> KnowledgeGraph:
    """The reduce: resolve entities across ``results`` and attach statements."""
    config = config or PipelineConfig()
    lex = load_lexicon(config.lexicon)
    resolution = resolve(results, lex)
    me = resolution.mention_entity
    statements: dict[tuple[str, str, str, str | None, str | None], Statement] = {}
    observations: dict[tuple[str, str, str, str, str | None], Observation] = {}
    for res in results:
        doc_iri = document_iri(res.info.id)
        for rel in res.relations:
            s, o = me.get((res.info.id, rel.subject)), me.get((res.info.id, rel.object))
            if s is None or o is None or s == o or rel.confidence < min_confidence:
                continue
            if rel.property in ("partnerOf", "relatedTo") and o < s and not rel.predicate_text:
                s, o = o, s  # symmetric: one direction only
            sm, om = res.mentions[rel.subject], res.mentions[rel.object]
            key = (s, rel.property, o, rel.role, rel.predicate_text)
            st = statements.setdefault(key, Statement(s, rel.property, o, role=rel.role, predicate_text=rel.predicate_text))
            st.evidence.append(
                Evidence(doc_iri, rel.sentence, rel.sent_start, rel.sent_end, rel.extractor, rel.confidence,
                         sm.start, sm.end, om.start, om.end)
            )
        for fact in res.facts:
            s = me.get((res.info.id, fact.subject))
            if s is None or fact.confidence < min_confidence:
                continue
            sm = res.mentions[fact.subject]
            okey = (s, fact.measure, fact.value, fact.unit, fact.date)
            ob = observations.setdefault(okey, Observation(s, fact.measure, fact.value, fact.unit, fact.date))
            ob.evidence.append(
                Evidence(doc_iri, fact.sentence, fact.sent_start, fact.sent_end, fact.extractor, fact.confidence,
                         sm.start, sm.end)
            )
    for st in statements.values():
        st.evidence = sorted(set(st.evidence), key=lambda e: (e.document, e.sent_start, e.extractor, e.subject_start or 0))
    return KnowledgeGraph(
        documents=[r.info for r in results],
        entities=resolution.entities,
        statements=sorted(statements.values(), key=lambda s: (s.subject, s.property, s.object, s.role or "")),
        observations=sorted(observations.values(), key=lambda o: (o.subject, o.measure, o.value)),
        run=_run_info(results, config),
    )
