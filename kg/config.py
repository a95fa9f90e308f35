"""The settings of the map step, apart from the map step itself.

:class:`PipelineConfig` lives here so that the store (:mod:`kg.store`) and the
reduce (:mod:`kg.assemble`) can read and describe the settings a document was
extracted with without importing spaCy or the pipeline (:mod:`kg.pipeline`
re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.engine import DEFAULT_MODEL

__all__ = ["PipelineConfig"]


@dataclass(frozen=True)
class PipelineConfig:
    """Settings of the map step (hashable: it keys caches and worker state)."""

    model: str | None = None
    lexicon: str | None = None
    gazetteer: str | None = None
    extractors: tuple[str, ...] | None = None
    batch_size: int = 128
    #: the relation engine's weights: "default" (bundled), a file, or "rules" (hand-written extractors alone)
    relation_model: str | None = DEFAULT_MODEL
    #: keep every candidate pair and its features on the DocResult (training data)
    collect_candidates: bool = False
