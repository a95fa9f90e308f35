"""Throughput of ``kg build`` in every mode against bare ``nlp.pipe``, on a varied corpus.

The corpus: the Re-DocRED dev texts (``../shared/eval/docred-dev``, 500 Wikipedia
lead sections) plus the Text2KGBench DBpedia-WebNLG train sentences
(``../shared/text2kgbench/dbpedia_webnlg``) grouped, per ontology, into
documents of ``--group`` sentences — distinct texts, not copies of one. In one
run it measures:

1. bare: ``nlp.pipe`` (the default pipeline, batch 128, same model) over the
   paragraphs ``kg build`` gives spaCy;
2. ``kg.build`` with 1 and 2 local processes (``jobs``);
3. ``kg.build`` with ``dask="local:1"`` and ``"local:2"`` (the cluster is
   started and warmed up first; its start-up time is printed apart);

and prints tokens/s of each and its ratio to bare ``nlp.pipe`` measured in the
same run, then checks that every mode gave the same quads. Also prints the
pickled size of a ``DocResult`` (bytes shipped per document) and the driver's
peak memory.

    python bench/throughput_varied.py [--group 2] [--limit N] [--modes bare,1,2,dask1,dask2]
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


def make_corpus(folder: Path, group: int, limit: int | None) -> int:
    """Write the corpus as .txt files; returns the number of documents."""
    n = 0
    for path in sorted((SHARED / "eval" / "docred-dev").glob("dev-*.txt")):
        shutil.copy(path, folder / path.name)
        n += 1
    tkb = SHARED / "text2kgbench" / "dbpedia_webnlg"
    for path in sorted((tkb / "train").glob("*.jsonl")):  # train files only: the test splits judge, never read
        sents = [json.loads(line)["sent"].strip() for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
        for k in range(0, len(sents), group):
            (folder / f"{path.stem}-{k // group:04d}.txt").write_text(" ".join(sents[k:k + group]) + "\n",
                                                                      encoding="utf-8")
            n += 1
    if limit:
        for path in sorted(folder.iterdir())[limit:]:
            path.unlink()
        n = min(n, limit)
    return n


def canonical(graph) -> list[str]:
    return sorted(str(q) for q in graph.quads() if "startedAtTime" not in str(q.predicate))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--group", type=int, default=2, help="Text2KGBench sentences per document")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N documents (files)")
    parser.add_argument("--modes", default="bare,1,2,dask1,dask2")
    args = parser.parse_args()
    modes = args.modes.split(",")

    import spacy

    import kg
    from kg.builder import BuildReport
    from kg.executors import open_executor
    from kg.ingest import read_sources
    from kg.nlp import load_pipeline, resolve_model_name

    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-varied-"))
    try:
        n_docs = make_corpus(tmp, args.group, args.limit)
        paragraphs = [p.text for d in read_sources([tmp]) for p in d.paragraphs]
        model = resolve_model_name()
        print(f"corpus: {n_docs} documents, {len(paragraphs)} paragraphs, {sum(map(len, paragraphs)):,} characters; "
              f"model {model}; load average {' '.join(f'{x:.1f}' for x in __import__('os').getloadavg())}")
        rates: dict[str, float] = {}
        graphs = {}
        if "bare" in modes:
            bare = spacy.load(model)
            list(bare.pipe(paragraphs[:64], batch_size=128))
            t0 = time.perf_counter()
            tokens = sum(len(d) for d in bare.pipe(paragraphs, batch_size=128))
            secs = time.perf_counter() - t0
            rates["bare nlp.pipe"] = tokens / secs
            print(f"bare nlp.pipe      : {tokens:,} tokens in {secs:6.1f}s = {tokens / secs:8,.0f} tokens/s")
            del bare
        load_pipeline()

        def run(label: str, **kw) -> None:
            report = BuildReport()
            t0 = time.perf_counter()
            graph = kg.build([tmp], report=report, **kw)
            secs = time.perf_counter() - t0
            rates[label] = report.tokens / secs
            graphs[label] = graph
            ratio = f" = {rates[label] / rates['bare nlp.pipe']:.2f}x bare" if "bare nlp.pipe" in rates else ""
            print(f"{label:19s}: {report.tokens:,} tokens in {secs:6.1f}s = {rates[label]:8,.0f} tokens/s{ratio} "
                  f"({len(graph.entities)} entities, {len(graph.statements)} relations)", flush=True)

        for mode in modes:
            if mode in ("1", "2"):
                run(f"kg build jobs={mode}", jobs=int(mode))
            elif mode.startswith("dask"):
                workers = int(mode[4:])
                t0 = time.perf_counter()
                with open_executor(f"local:{workers}") as ex:
                    kg.build(documents=list(read_sources([tmp]))[: 2 * workers], dask=ex)  # load the models
                    print(f"  (LocalCluster of {workers} started and warmed up in {time.perf_counter() - t0:.1f}s)")
                    run(f"kg build dask:{workers}", dask=ex)
        first = next(iter(graphs.values()), None)
        if first is not None:
            same = {label: canonical(g) == canonical(first) for label, g in graphs.items()}
            print("same quads in every mode:", all(same.values()), "" if all(same.values()) else same)
            from kg.pipeline import PipelineConfig, process_documents

            sample = list(read_sources([tmp]))[:200]
            sizes = [len(pickle.dumps(r)) for r in process_documents(sample, PipelineConfig())]
            chars = [d.n_chars for d in sample]
            print(f"pickled DocResult: median {statistics.median(sizes):,.0f} B, mean {statistics.mean(sizes):,.0f} B "
                  f"per document (mean text {statistics.mean(chars):,.0f} characters)")
        print(f"driver peak RSS: {peak_mib():,.0f} MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
