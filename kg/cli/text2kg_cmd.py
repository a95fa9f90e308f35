"""``kg learn`` and ``kg bench text2kgbench``: schema-guided extraction."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from kg.cli.app import app, err, handle_errors, out
from kg.text2kg.calibrate import MIN_EXAMPLES
from kg.text2kg.graph import OPERATING_POINT, describe_operating_point

bench_app = typer.Typer(
    name="bench",
    help="Run public benchmarks.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(bench_app, name="bench")


@app.command("learn")
@handle_errors
def learn_command(
    examples: Path = typer.Argument(..., help='JSONL of {"sent", "triples": [{"sub","rel","obj"}]}.',
                                    exists=True, dir_okay=False),
    ontology: Path = typer.Option(..., "--ontology", help="OWL/RDFS (Turtle, ...) or Text2KGBench JSON.",
                                  exists=True, dir_okay=False),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the model (JSON); a directory (or a path without suffix) gets DIR/model.json, which `kg build --model-dir DIR` reads."),
    threshold: Optional[float] = typer.Option(
        None, help="Probability a statement needs (default: chosen by cross-validation on the examples, "
                   f"or {OPERATING_POINT['threshold']} with fewer than {MIN_EXAMPLES})."),
    threshold_multi: Optional[float] = typer.Option(
        None, help="Probability a further object of the same relation needs (default: as --threshold)."),
    threshold_normalized: Optional[float] = typer.Option(
        None, help="Probability a value not written as such in the text needs (default: as --threshold)."),
    calibrate: bool = typer.Option(True, "--calibrate/--no-calibrate",
                                   help="Choose the thresholds by cross-validation on the examples."),
    epochs: int = typer.Option(10, help="Training passes over the examples."),
) -> None:
    """Learn an extraction model for ONTOLOGY from annotated EXAMPLES."""
    from kg.cli.build_ontology import warn_unknown_relations
    from kg.rdf import atomic_write
    from kg.text2kg.graph import learn_model, model_file
    from kg.text2kg.learn import read_examples
    from kg.text2kg.model import save_model
    from kg.text2kg.ontology import load_ontology

    onto = load_ontology(ontology)
    exs = read_examples(examples)
    warn_unknown_relations(examples, exs, onto)
    err.print(f"learning from {len(exs)} examples for {len(onto.relations)} relations ...")
    given = {name: value for name, value in (("threshold", threshold), ("threshold_multi", threshold_multi),
                                             ("threshold_normalized", threshold_normalized)) if value is not None}
    model = learn_model(exs, onto, epochs=epochs, calibrate=calibrate, progress=err.print, **given)
    output = model_file(output, for_writing=True)
    atomic_write(output, lambda tmp: save_model(model, tmp))
    info = model.info
    err.print(
        f"wrote {output}: {info.get('relations_learned', 0)} relations with examples, "
        f"{info.get('subject_aligned', 0)}/{info.get('triples', 0)} subjects and "
        f"{info.get('object_aligned', 0)}/{info.get('triples', 0)} objects found in their sentences"
    )
    err.print(describe_operating_point(model), highlight=False)


def _fmt(value: Optional[float]) -> str:
    return "" if value is None else f"{value:.3f}"


@bench_app.command("text2kgbench")
@handle_errors
def text2kgbench_command(
    directory: Path = typer.Argument(..., help="Text2KGBench directory (or its dbpedia_webnlg/).",
                                     exists=True, file_okay=False),
    output: Optional[Path] = typer.Option(None, "--output", help="Write system outputs (JSONL) here."),
    only: Optional[str] = typer.Option(None, "--only", help="Comma-separated ontology numbers, e.g. 1,2,7."),
    threshold: float = typer.Option(0.0, help="Probability the best pair of a relation needs."),
    threshold_multi: float = typer.Option(0.3, help="Probability further pairs of a relation need."),
    threshold_normalized: float = typer.Option(0.15, help="Probability a normalised value needs."),
    corpus_weight: float = typer.Option(
        0.0, help="Let an ontology's test sentences support each other's statements "
                  "(corpus consolidation; 0 reads each sentence on its own, like the baselines)."),
    cross_validate: int = typer.Option(
        0, "--cross-validate", help="Instead of the test files: split each ontology's train file "
                                    "into N folds by topic entity, learn on the others, score each "
                                    "(all ontologies with a train file)."),
) -> None:
    """Learn from each ontology's train file, extract its test sentences, score as the benchmark does."""
    from kg.errors import InputError
    from kg.text2kg.bench import cross_validate as run_cross_validation
    from kg.text2kg.bench import read_baselines, run_benchmark

    numbers = None
    if only:
        try:
            numbers = [int(x) for x in only.split(",") if x.strip()]
        except ValueError:
            raise InputError(only, "--only takes comma-separated ontology numbers") from None
    point = {"threshold": threshold, "threshold_multi": threshold_multi,
             "threshold_normalized": threshold_normalized}
    if cross_validate:
        if corpus_weight > 0:
            raise InputError(corpus_weight, "--corpus-weight does not apply to --cross-validate")
        result = run_cross_validation(directory, folds=cross_validate, only=numbers,
                                      operating_point=point, progress=lambda msg: err.print(msg))
    else:
        result = run_benchmark(directory, output=output, only=numbers, operating_point=point,
                               corpus_weight=corpus_weight, progress=lambda msg: err.print(msg))
    if not result.scores:
        out.print(f"{result.sentences} sentences extracted; no ground truth to score against.")
        return
    baselines = {} if cross_validate else read_baselines(directory)
    systems = sorted(baselines)
    table = Table(title="Text2KGBench, DBpedia-WebNLG", show_lines=False)
    for col in ("ontology", "P", "R", "F1", "conform.", "sub. hall.", "obj. hall."):
        table.add_column(col, justify="left" if col == "ontology" else "right")
    for name in systems:
        table.add_column(f"{name} F1", justify="right")
    for s in result.scores:
        row = [s.onto, _fmt(s.precision), _fmt(s.recall), _fmt(s.f1), _fmt(s.onto_conf),
               _fmt(s.sub_halluc), _fmt(s.obj_halluc)]
        row += [_fmt(baselines[name].get(s.onto, {}).get("f1")) for name in systems]
        table.add_row(*row)
    avg = result.averages()
    keys = [s.onto for s in result.scores]
    row = ["average", _fmt(avg["precision"]), _fmt(avg["recall"]), _fmt(avg["f1"]),
           _fmt(avg["onto_conf"]), _fmt(avg["sub_halluc"]), _fmt(avg["obj_halluc"])]
    for name in systems:
        vals = [baselines[name][k]["f1"] for k in keys if k in baselines[name]]
        row.append(_fmt(sum(vals) / len(vals)) if len(vals) == len(keys) else "")
    table.add_row(*row, style="bold")
    # never squeeze the ontology names when the output is piped (80 columns)
    Console(width=max(out.width, 132), highlight=False, soft_wrap=True).print(table)
    if cross_validate:
        for title, has_test in (("ontologies with test data", True),
                                ("ontologies whose test data is held out", False)):
            group = [s for s in result.scores
                     if result.model_info.get(s.onto, {}).get("has_test") is has_test]
            if group and len(group) < len(result.scores):
                f1 = sum(s.f1 for s in group) / len(group)
                out.print(f"average F1 over {len(group)} {title}: {f1:.3f}")
    out.print(
        f"{result.sentences} {'held-out' if cross_validate else 'test'} sentences in {result.extract_seconds:.1f}s "
        f"({result.sentences_per_second:.1f} sentences/s, parsing included); "
        f"learning took {result.learn_seconds:.1f}s"
    )
