"""``kg extractors``: list the registered relation extractors."""

from __future__ import annotations

from kg.cli.app import app, handle_errors, out


@app.command("extractors")
@handle_errors
def list_extractors() -> None:
    """List the relation extractors `kg build --extractors` accepts."""
    from kg.extract.registry import get_extractors

    for name, func in get_extractors():
        doc = (func.__doc__ or "").strip().splitlines()
        out.print(f"{name:32} {doc[0] if doc else ''}", markup=False, highlight=False)
