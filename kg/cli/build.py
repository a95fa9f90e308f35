"""``kg build``: placeholder until the pipeline lands."""
