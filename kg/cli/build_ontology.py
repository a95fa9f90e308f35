"""``kg build PATH... --ontology FILE [--examples FILE | --model-dir MODEL] -o OUT``.

The graph is built in the user's ontology and nothing else
(:mod:`kg.text2kg.graph`); the documents are read by the same ingest as the
normal build (same file types, same ``skipped FILE: reason`` lines); a document whose
reading fails is skipped and named the same way (:func:`kg.pipeline.document_problem`).
Exit status 14 when something was skipped; the rest is still written, atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from kg.cli.app import err

#: options of the normal build that mean nothing in a user ontology
_UNSUPPORTED = ("--store", "--extractors", "--lexicon", "--gazetteer", "--rebuild", "--graph")


def check_options(*, ontology: Optional[Path], examples: Optional[Path], model_dir: Optional[Path],
                  output: Optional[Path], given: dict[str, bool]) -> None:
    """Refuse combinations that make no sense, before any work."""
    if examples is not None and model_dir is not None:
        raise typer.BadParameter("give either --examples (learn now) or --model-dir (a model kg learn wrote), "
                                 "not both", param_hint="--examples / --model-dir")
    if ontology is None and model_dir is None:
        raise typer.BadParameter("--examples needs --ontology FILE (the ontology the examples are in)",
                                 param_hint="--examples")
    for name in _UNSUPPORTED:
        if given.get(name):
            raise typer.BadParameter(
                f"{name} cannot be used with --ontology/--model-dir: the graph is built in your ontology "
                "by the text2kg extractor, not with Wild Goose's vocabulary and extractors", param_hint=name)
    if output is None:
        raise typer.BadParameter("give --output FILE: where to write the graph", param_hint="--output")


def build_in_ontology(
    paths: list[Path],
    *,
    ontology: Optional[Path],
    examples: Optional[Path],
    model_dir: Optional[Path],
    output: Path,
    evidence: Optional[Path],
    base: Optional[str],
    spacy_model: Optional[str],
    min_confidence: Optional[float],
    quiet: bool,
    jobs: int = 1,
    dask: Optional[str] = None,
) -> None:
    """Load or learn the model, read the documents, build and write the graph, summarise."""
    from kg.cli.build import EXIT_SKIPPED, check_paths, print_problems, progress_bar, read_documents
    from kg.errors import OntologyError
    from kg.ingest import ReadReport
    from kg.rdf import format_for
    from kg.text2kg.graph import build_graph, check_base, describe_operating_point, learn_model, read_model
    from kg.text2kg.learn import read_examples
    from kg.text2kg.ontology import load_ontology

    check_paths(paths)
    format_for(output)  # fail early on an unknown extension
    if evidence is not None:
        format_for(evidence)
    if base is not None:
        try:
            base = check_base(base)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--base") from None
    onto = load_ontology(ontology) if ontology is not None else None
    if model_dir is not None:
        model = read_model(model_dir)
        if onto is not None and onto.schema_key() != model.ontology.schema_key():
            raise OntologyError(
                f"{ontology}: differs from the ontology of the model {model_dir} "
                f"({_difference(onto, model.ontology)}); leave out --ontology or learn the model again")
    else:
        assert onto is not None
        exs = read_examples(examples) if examples is not None else []
        warn_unknown_relations(examples, exs, onto)
        if not quiet:
            what = f"{len(exs)} examples" if examples is not None else "relation labels and domain/range only"
            err.print(f"learning from {what} for {len(onto.relations)} relations ...", highlight=False)
        model = learn_model(exs, onto, spacy_model=spacy_model, progress=None if quiet else err.print)
        if not quiet:
            err.print(describe_operating_point(model), highlight=False)
    report = ReadReport()
    documents = read_documents(paths, report)
    with progress_bar("docs · {task.fields[sentences]} sentences", quiet=quiet) as progress:
        task = progress.add_task("build", total=len(documents), sentences=0)
        count = {"sentences": 0}

        def tick(_doc: object, n: int) -> None:
            count["sentences"] += n
            progress.update(task, advance=1, sentences=count["sentences"])

        shown = len(report.problems)
        graph = build_graph(documents, model, ontology=onto, base=base, min_confidence=min_confidence or 0.0,
                            spacy_model=spacy_model, progress=tick, jobs=jobs, dask=dask, problems=report.problems)
    print_problems(report.problems[shown:])
    written = graph.write(output, evidence=evidence)
    if not quiet:
        where = " and ".join(str(p) for p in written)
        note = "" if evidence is not None or format_for(output).supports_datasets else \
            " (no evidence: use a .trig, .nq or .jsonld output, or --evidence FILE)"
        err.print(
            f"read {report.files} file(s), {len(documents)} document(s), {graph.sentences} sentences "
            f"in {graph.seconds:.1f}s; skipped {len(report.problems)}; wrote {len(graph.entities)} entities, "
            f"{len(graph.statements)} statements ({graph.dropped} dropped by domain/range or confidence) "
            f"in ontology {escape(graph.ontology.id)} to {escape(where)}{note}",
            highlight=False,
        )
    if report.problems:
        raise typer.Exit(EXIT_SKIPPED)


def warn_unknown_relations(path: object, examples: list, onto: object) -> None:
    """Say which relations of the examples the ontology lacks (a typo loses them silently otherwise)."""
    from kg.text2kg.graph import unknown_relations

    unknown = unknown_relations(examples, onto)  # type: ignore[arg-type]
    if unknown:
        err.print(f"[yellow]warning[/] {escape(str(path))}: relations not in the ontology, ignored: "
                  f"{escape(', '.join(unknown))}", markup=True, highlight=False, emoji=False)


def _difference(a, b) -> str:
    """A short account of how two ontologies differ."""
    rel_a = {r.label: (r.domain, r.range, r.iri) for r in a.relations}
    rel_b = {r.label: (r.domain, r.range, r.iri) for r in b.relations}
    only_a, only_b = sorted(set(rel_a) - set(rel_b)), sorted(set(rel_b) - set(rel_a))
    if only_a or only_b:
        return f"relations only in the file: {', '.join(only_a) or '-'}; only in the model: {', '.join(only_b) or '-'}"
    changed = sorted(k for k in rel_a if rel_a[k] != rel_b[k])
    if changed:
        return f"domain, range or IRI of {', '.join(changed[:5])} differ"
    return "classes, class IRIs or disjointness differ"
