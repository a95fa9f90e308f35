"""Schema-guided extraction: a user ontology plus a few annotated sentences.

>>> from kg.text2kg import load_ontology, read_examples, learn, extract  # doctest: +SKIP
>>> onto = load_ontology("company.ttl")                                   # doctest: +SKIP
>>> model = learn(read_examples("examples.jsonl"), onto)                   # doctest: +SKIP
>>> extract(["Initech was founded in Austin in 1999."], model)            # doctest: +SKIP

Modules: :mod:`~kg.text2kg.ontology` (OWL/RDFS and Text2KGBench JSON loaders),
:mod:`~kg.text2kg.learn` (learning from examples), :mod:`~kg.text2kg.model`
(the JSON model), :mod:`~kg.text2kg.extract` (extraction, domain/range
enforcement), :mod:`~kg.text2kg.score` (Text2KGBench scoring) and
:mod:`~kg.text2kg.bench` (the benchmark runner). Importing this package loads
no spaCy model; the pipeline is loaded once, on first use
(:func:`kg.text2kg.nlp.load_pipeline`).
"""

from kg.text2kg.bench import cross_validate, run_benchmark
from kg.text2kg.extract import ExtractedTriple, enforce_domain_range, extract, extract_doc
from kg.text2kg.learn import Example, learn, read_examples
from kg.text2kg.model import ExtractionModel, load_model, save_model
from kg.text2kg.ontology import Ontology, Relation, load_ontology
from kg.text2kg.score import score_ontology

__all__ = [
    "Example",
    "ExtractedTriple",
    "ExtractionModel",
    "Ontology",
    "Relation",
    "cross_validate",
    "enforce_domain_range",
    "extract",
    "extract_doc",
    "learn",
    "load_model",
    "load_ontology",
    "read_examples",
    "run_benchmark",
    "save_model",
    "score_ontology",
]
