"""Throughput of ``kg build`` against bare ``nlp.pipe`` with the same model.

Builds a corpus of at least ``--tokens`` tokens (the example corpus repeated
under varied file names), then in one process:

1. bare: ``nlp.pipe`` over the same paragraphs (same model, batch 128);
2. kg: ``kg.build`` of the corpus, writing Turtle (reading, mentions,
   references, relations, resolution and RDF included).

Prints tokens/s of each and the ratio kg/bare (target >= 0.80).

    python bench/throughput.py [--tokens 200000] [--jobs 1]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_corpus(folder: Path, min_tokens: int) -> tuple[list[str], int]:
    from kg.ingest import read_sources
    from kg.nlp import load_pipeline

    source = ROOT / "examples" / "corpus" / "lingang-news.txt"
    text = source.read_text(encoding="utf-8")
    tokenizer = load_pipeline().tokenizer
    paragraphs = [p.text for d in read_sources([source]) for p in d.paragraphs]
    per_copy = sum(len(tokenizer(p)) for p in paragraphs)
    copies = -(-min_tokens // per_copy)
    for n in range(copies):
        (folder / f"copy-{n:04d}.txt").write_text(text, encoding="utf-8")
    return paragraphs * copies, per_copy * copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()

    import kg
    from kg.builder import BuildReport
    from kg.nlp import load_pipeline, resolve_model_name
    from kg.pipeline import PipelineConfig

    import spacy

    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        paragraphs, approx = make_corpus(tmp, args.tokens)
        model = resolve_model_name()
        bare_nlp = spacy.load(model)
        load_pipeline()  # kg's pipeline, loaded before timing like the bare one
        print(f"corpus: {len(list(tmp.iterdir()))} files, {len(paragraphs)} paragraphs, ~{approx:,} tokens; model {model}")

        # warm-up both
        list(bare_nlp.pipe(paragraphs[:64], batch_size=128))
        t0 = time.perf_counter()
        bare_tokens = sum(len(d) for d in bare_nlp.pipe(paragraphs, batch_size=128))
        bare_s = time.perf_counter() - t0
        bare_rate = bare_tokens / bare_s
        print(f"bare nlp.pipe : {bare_tokens:,} tokens in {bare_s:6.1f}s = {bare_rate:8,.0f} tokens/s")

        report = BuildReport()
        t0 = time.perf_counter()
        graph = kg.build([tmp], config=PipelineConfig(), jobs=args.jobs, report=report)
        graph.write(tmp / "out.ttl")
        kg_s = time.perf_counter() - t0
        kg_rate = report.tokens / kg_s
        print(
            f"kg build      : {report.tokens:,} tokens in {kg_s:6.1f}s = {kg_rate:8,.0f} tokens/s "
            f"(jobs={args.jobs}; {len(graph.entities)} entities, {len(graph.statements)} relations)"
        )
        print(f"ratio kg build / bare nlp.pipe = {kg_rate / bare_rate:.2f}  (target >= 0.80)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
