"""Peak memory of the driver of ``kg build`` at growing corpus sizes, and its growth per document.

The corpus: single sentences of the Re-DocRED dev texts (``../shared/eval/docred-dev``)
and of the Text2KGBench DBpedia-WebNLG *train* files (the test splits judge the
work and are never read), one sentence per document, in an order fixed by a
hash of the document name (so every size has the same mix). Each size runs in
a fresh process: ``kg.build(folder, jobs=J, output=DIR/)`` with the extraction
in ``J`` worker processes and the N-Quads parts written by them, so what is
measured is the driver alone: the records that come back, the corpus-wide
reduce, the graph. Prints, per size, the driver's peak resident memory
(``ru_maxrss`` of the driver process; workers excluded), its memory after the
imports, and the growth per 1,000 documents between sizes.

    python bench/driver_memory.py [--sizes 1000,2000,4000,8000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def sentences() -> list[tuple[str, str]]:
    """``(name, sentence)`` of every sentence available, in a fixed, mixed order."""
    out = []
    for path in sorted((SHARED / "eval" / "docred-dev").glob("dev-*.txt")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        out += [(f"{path.stem}-{k:03d}", s) for k, s in enumerate(_SENTENCE_END.split(text)) if len(s) > 20]
    tkb = SHARED / "text2kgbench" / "dbpedia_webnlg" / "train"  # train files only, never the test splits
    for path in sorted(tkb.glob("*.jsonl")):
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                out.append((f"{path.stem}-{k:04d}", json.loads(line)["sent"].strip()))
    return sorted(out, key=lambda x: hashlib.sha256(x[0].encode()).hexdigest())


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(size: int, jobs: int) -> dict:
    """Build ``size`` documents in this process (the driver); its memory figures."""
    import kg
    from kg.builder import BuildReport

    docs = sentences()[:size]
    with tempfile.TemporaryDirectory(prefix="kg-drivermem-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for name, text in docs:
            (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        import kg.assemble  # noqa: F401 - the code the driver runs, loaded before the baseline
        import kg.distribute  # noqa: F401
        import kg.parts  # noqa: F401
        import kg.pipeline  # noqa: F401 - imports spaCy's modules (the driver loads no pipeline)
        import pyoxigraph  # noqa: F401

        baseline = peak_mib()
        report = BuildReport()
        t0 = time.perf_counter()
        graph = kg.build([folder], jobs=jobs, output=f"{tmp}/graph/", report=report)
        seconds = time.perf_counter() - t0
        manifest = json.loads((Path(tmp) / "graph" / "manifest.json").read_text())
    mentions = sum(e.mention_count for e in graph.entities)
    return {"documents": report.documents, "tokens": report.tokens, "entities": len(graph.entities),
            "mentions": mentions, "statements": len(graph.statements), "quads": manifest["quads"],
            "parts": len(manifest["parts"]), "baseline_mib": baseline, "peak_mib": peak_mib(), "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,2000,4000,6955,8000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one, args.jobs)))
        return
    available = len(sentences())
    print(f"corpus: {available:,} distinct sentences available (docred-dev + Text2KGBench train), "
          f"one per document; jobs={args.jobs}")
    rows = []
    for size in (int(x) for x in args.sizes.split(",")):
        if size > available:
            print(f"{size:>6,} documents: skipped, only {available:,} distinct sentences (no copies are used)")
            continue
        proc = subprocess.run([sys.executable, __file__, "--one", str(size), "--jobs", str(args.jobs)],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            sys.exit(proc.stderr)
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{row['documents']:>6,} documents, {row['tokens']:>8,} tokens, {row['mentions']:>7,} mentions, "
              f"{row['entities']:>6,} entities, {row['quads']:>8,} quads in {row['parts']} parts: "
              f"driver peak {row['peak_mib']:7.1f} MiB (after imports {row['baseline_mib']:.1f} MiB, "
              f"build {row['peak_mib'] - row['baseline_mib']:.1f} MiB) in {row['seconds']:.0f} s")
    for a, b in zip(rows, rows[1:]):
        docs = b["documents"] - a["documents"]
        grow = b["peak_mib"] - a["peak_mib"]
        print(f"{a['documents']:,} → {b['documents']:,}: +{grow:.1f} MiB, {1000 * grow / docs:.1f} MiB per 1,000 "
              f"documents ({1024 * grow / docs:.1f} KiB per document, "
              f"{1024 * 1024 * grow / max(1, b['mentions'] - a['mentions']):.0f} bytes per mention)")


if __name__ == "__main__":
    main()
