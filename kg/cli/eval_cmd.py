"""``kg eval``: score a graph against gold files, or build and score gold folders (``shared/eval/README.md``)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from kg.cli.app import app, handle_errors, out
from kg.eval import EvalReport, evaluate
from kg.eval_sets import add_reports, evaluate_folders


@app.command("eval")
@handle_errors
def eval_command(
    graph: Path = typer.Argument(
        ..., help="RDF file written by kg build (.ttl .nt .nq .trig .jsonld .rdf), or a gold folder.",
        metavar="GRAPH|FOLDER"),
    gold: list[Path] = typer.Argument(
        None, help="Gold JSON files (figures micro-averaged); with a folder first: more gold folders.",
        metavar="GOLD..."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    details: bool = typer.Option(False, "--details", help="Also list misses and false positives."),
    limit: int = typer.Option(0, "--limit", help="Folders: only the first N texts of each (a quick look).",
                              metavar="N"),
    model: str = typer.Option(None, "--model", help="Folders: spaCy pipeline to build with.", metavar="NAME"),
    min_confidence: float = typer.Option(0.0, "--min-confidence", help="Folders: drop weaker relations.",
                                         metavar="X"),
) -> None:
    """Score GRAPH against GOLD files: entities, links and typed relations.

    Given gold folders instead (``<id>.txt`` + ``<id>.gold.json``), build one graph
    per text (the pipeline loaded once) and print one row per folder and a
    micro-averaged total."""
    if graph.is_dir():
        _folders([graph, *(gold or [])], as_json=as_json, details=details, limit=limit, model=model,
                 min_confidence=min_confidence)
        return
    if not gold:
        raise typer.BadParameter("give one or more gold JSON files after the graph", param_hint="GOLD...")
    report = evaluate(graph, gold)
    if as_json:
        out.print(json.dumps(report.to_dict(details=details), indent=2, ensure_ascii=False), markup=False)
        return
    out.print(_table(report))
    out.print(
        f"type accuracy   {report.type_accuracy:.3f}  ({report.type_correct}/{report.matched} matched)\n"
        f"duplicate rate  {report.duplicate_rate:.3f}  ({report.duplicates}/{report.entities.correct} matched)\n"
        f"facts           {report.facts_gold} in gold (not scored)",
        markup=False,
    )
    if details:
        for name, items in report.details().items():
            out.print(f"\n{name.replace('_', ' ')} ({len(items)})", style="bold", markup=False)
            for item in items:
                out.print(f"  {item}", markup=False)


def _table(report: EvalReport) -> Table:
    table = Table(title=f"kg eval: {', '.join(report.gold_ids)}", title_justify="left")
    table.add_column("")
    for column in ("predicted", "correct", "gold", "found", "P", "R", "F1"):
        table.add_column(column, justify="right")
    for label, score in (("entities", report.entities), ("links", report.links), ("typed relations", report.typed)):
        table.add_row(
            label, str(score.predicted), str(score.correct), str(score.gold), str(score.found),
            f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}",
        )
    return table


def _folders(folders: list[Path], *, as_json: bool, details: bool, limit: int, model: str | None,
             min_confidence: float) -> None:
    import logging

    from kg.pipeline import PipelineConfig

    logging.getLogger("kg").setLevel(logging.ERROR)  # per-text build summaries would drown the table
    rows = evaluate_folders(folders, limit=limit, config=PipelineConfig(model=model), min_confidence=min_confidence)
    total = add_reports([r.report for r in rows])
    if as_json:
        data = {"folders": [{"folder": r.name, "texts": r.texts, "seconds": round(r.seconds, 1),
                             **r.report.to_dict(details=details)} for r in rows],
                "total": {"texts": sum(r.texts for r in rows), **total.to_dict(details=False)}}
        out.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False)
        return
    # plain columns, not a boxed table: rows stay whole in any terminal width and in logs
    out.print(f"{'folder':<14} {'texts':>5}  {'entity P/R/F1':>15}  {'type':>5}  {'dup':>5}  "
              f"{'link P/R/F1':>15}  {'typed P/R/F1':>15}", markup=False)
    for name, texts, report in [(r.name, r.texts, r.report) for r in rows] + (
        [("total", sum(r.texts for r in rows), total)] if len(rows) > 1 else []
    ):
        out.print(f"{name:<14} {texts:>5}  {_prf(report.entities):>15}  {report.type_accuracy:>5.3f}  "
                  f"{report.duplicate_rate:>5.3f}  {_prf(report.links):>15}  {_prf(report.typed):>15}", markup=False)
    if details:
        for row in rows:
            for name, items in row.report.details().items():
                out.print(f"\n{row.name}: {name.replace('_', ' ')} ({len(items)})", style="bold", markup=False)
                for item in items:
                    out.print(f"  {item}", markup=False)


def _prf(score) -> str:
    return f"{score.precision:.2f}/{score.recall:.2f}/{score.f1:.3f}"
