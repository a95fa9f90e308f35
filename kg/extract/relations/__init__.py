"""Built-in relation extractors; every module here registers itself in
:data:`kg.extract.registry.extractors` when imported."""
