"""NLTK's Porter stemmer and Treebank tokenizer, imported on first use.

Only the own-ontology features need NLTK (the ``ontology`` extra): the learned
extractor stems words, the Text2KGBench scorer tokenises and stems as the
benchmark does. No NLTK data is downloaded.
"""

from __future__ import annotations

import functools
from typing import Any

from kg.errors import MissingDependencyError

__all__ = ["porter_stemmer", "word_tokenizer"]


def _nltk(module: str, name: str, feature: str) -> Any:
    try:
        mod = __import__(module, fromlist=[name])
    except ImportError:
        raise MissingDependencyError(
            f"{feature} needs the Python package 'nltk'; install it with: pip install 'wild-goose-kg[ontology]'"
        ) from None
    return getattr(mod, name)()


@functools.lru_cache(maxsize=1)
def porter_stemmer(feature: str = "your own ontology (kg learn, kg build --ontology)") -> Any:
    return _nltk("nltk.stem", "PorterStemmer", feature)


@functools.lru_cache(maxsize=1)
def word_tokenizer(feature: str = "the Text2KGBench scorer") -> Any:
    return _nltk("nltk.tokenize", "NLTKWordTokenizer", feature)
