"""Per-document extraction: mentions (:mod:`kg.extract.mentions`), references
(:mod:`kg.extract.references`) and relations (the extractor registry)."""
