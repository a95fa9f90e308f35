"""``kg eval``: score a graph against gold files (``shared/eval/README.md``)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from kg.cli.app import app, handle_errors, out
from kg.eval import EvalReport, evaluate


@app.command("eval")
@handle_errors
def eval_command(
    graph: Path = typer.Argument(..., help="RDF file written by kg build (.ttl .nt .nq .trig .jsonld .rdf)."),
    gold: list[Path] = typer.Argument(..., help="One or more gold JSON files; figures are micro-averaged."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    details: bool = typer.Option(False, "--details", help="Also list misses and false positives."),
) -> None:
    """Score GRAPH against GOLD files: entities, links and typed relations."""
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
