"""Schema-guided extraction: a user ontology plus a few annotated sentences.

Submodules: :mod:`~kg.text2kg.ontology` (loaders), :mod:`~kg.text2kg.score`
(Text2KGBench scoring). Importing this package loads no spaCy model.
"""
