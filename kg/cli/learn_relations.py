"""``kg learn-relations``: train the relation engine of ``kg build`` on gold folders."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.cli.app import app, err, handle_errors, out
from kg.errors import MissingDependencyError


@app.command("learn-relations")
@handle_errors
def learn_relations_command(
    folders: list[Path] = typer.Argument(..., help="Gold folders (<id>.txt + <id>.gold.json) to train on.",
                                         metavar="FOLDER..."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the model (JSON).", metavar="FILE"),
    folds: int = typer.Option(5, "--folds", help="Folds by document for the held-out figures and the threshold.",
                              metavar="K"),
    l2: float = typer.Option(1e-4, "--l2", help="L2 penalty of the logistic regression.", metavar="X"),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline (as for kg build).", metavar="NAME"),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Folder keeping each text's parsed candidates "
                                         "between runs.", metavar="DIR"),
) -> None:
    """Train the relation engine on FOLDERs; print held-out (cross-validated) figures; write the model.

    `kg build --relation-model FILE` uses it; the bundled model (kg/models/relations.json) is
    rebuilt byte for byte by the command in docs/relations.md."""
    try:
        import scipy  # noqa: F401
    except ImportError:
        raise MissingDependencyError("kg learn-relations needs SciPy: pip install 'wild-goose-kg[train]'") from None
    from kg.extract.training import collect, train

    def seen(folder: str, n: int, total: int) -> None:
        if n == total or n % 50 == 0:
            err.print(f"read {folder}: {n}/{total} texts", markup=False)

    texts = collect(folders, model=model, cache=cache, progress=seen)
    fitted, _ = train(texts, folds=folds, l2=l2, progress=lambda msg: err.print(msg, markup=False))
    info = fitted.info or {}
    out.print(f"held out ({folds} folds by document), threshold {fitted.threshold}:", markup=False)
    for folder, figures in info.get("held_out", {}).items():
        out.print(f"  {folder:<14} link P/R/F1 {figures['links_p']:.2f}/{figures['links_r']:.2f}/"
                  f"{figures['links_f1']:.3f}  typed F1 {figures['typed_f1']:.3f}", markup=False)
    out.print(f"held-out confidences (calibrated): expected calibration error "
              f"{info.get('expected_calibration_error')} (uncalibrated "
              f"{info.get('expected_calibration_error_uncalibrated')})", markup=False)
    for row in info.get("reliability", []):
        out.print(f"  confidence {row['bin']}: {row['pairs']:>6} pairs, mean {row['confidence']:.3f}, "
                  f"related {row['related']:.3f}", markup=False)
    output.parent.mkdir(parents=True, exist_ok=True)
    fitted.save(output)
    out.print(f"wrote {output} ({len(fitted.weights)} features)", markup=False)
