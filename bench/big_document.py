"""Cost and memory of ``kg build`` on one big plain-text document, by size.

The document is made of varied text, distinct articles and sentences rather
than copies of one: the Re-DocRED dev texts (``../shared/eval/docred-dev``,
500 Wikipedia lead sections), the news texts (``../shared/eval/news``), the
Lingang news (``../shared/corpus``, ``examples/corpus``) and the Text2KGBench
DBpedia-WebNLG train sentences (grouped eight to a paragraph), about 0.9 MB in
all, each text as written (a doubled title line once, so the file is one
document), separated by blank lines. Past that the texts come
again, each later pass in a new order and with every paragraph joined to the
body of another text (the reader keeps a line that repeats verbatim once, as a
page header: a plain copy would be dropped), so its names recur, as in any big
dump. Each size is built by ``kg build FILE -o OUT.ttl -q`` in a fresh process;
its wall time, CPU time and peak resident memory (``wait4`` rusage) are printed
as ``MB  s  s/MB  cpu s/MB  peak MiB``, with the ratios of time and peak to the
first (smallest) size of the same run. Linear cost means a flat s/MB column;
bounded memory a peak ratio that stays near 1 as the size grows.

    python bench/big_document.py [--sizes 1,2,4,8,20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def source_texts() -> list[str]:
    """The distinct texts the document is made of (see the module docstring)."""
    files = sorted((SHARED / "eval" / "docred-dev").glob("dev-*.txt")) + sorted((SHARED / "eval" / "news").glob("*.txt"))
    files += sorted((SHARED / "corpus").glob("*.txt")) + sorted((ROOT / "examples" / "corpus").glob("*.txt"))
    # a line printed twice in a row opens a new article (kg.ingest): written once, the file is one document
    texts = list(dict.fromkeys(re.sub(r"(?m)^(.+)\n\1$", r"\1", p.read_text(encoding="utf-8").strip()) for p in files))
    for path in sorted((SHARED / "text2kgbench" / "dbpedia_webnlg" / "train").glob("*.jsonl")):
        sents = [json.loads(line)["sent"].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts += [" ".join(sents[k:k + 8]) for k in range(0, len(sents), 8)]
    return texts


def make_text(size: int, *, seed: int = 15) -> str:
    """About ``size`` bytes of UTF-8 text, no line repeated (see the module docstring)."""
    texts = source_texts()
    bodies = [t.split("\n\n", 1)[-1].replace("\n", " ") for t in texts]
    rng = random.Random(seed)
    out: list[str] = []
    total, passes = 0, 0
    while total < size:
        order = list(range(len(texts)))
        rng.shuffle(order)
        for i in order:
            # the first pass as written; later passes: a text's body joined to another's
            chunk = texts[i] if passes == 0 else f"{bodies[i]} {bodies[rng.randrange(len(bodies))]}"
            out.append(chunk)
            total += len(chunk.encode("utf-8")) + 2
            if total >= size:
                break
        passes += 1
    return "\n\n".join(out) + "\n"


def run_one(path: Path, out: Path) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak MiB, exit status) of one ``kg build`` in a child process."""
    cmd = [sys.executable, "-m", "kg", "build", str(path), "-o", str(out), "-q"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss is in KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,2,4,8", help="sizes in MB (10^6 bytes), comma-separated")
    ap.add_argument("--keep", type=Path, help="write the texts and graphs here (default: a temporary folder)")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'MB':>6} {'s':>8} {'s/MB':>8} {'cpu s/MB':>9} {'peak MiB':>9} {'s ratio':>8} {'peak ratio':>10}  exit",
              flush=True)
        first: tuple[float, float] | None = None  # (seconds, peak) of the first size: the ratios' base
        for mb in sizes:
            path = folder / f"big-{mb:g}mb.txt"
            path.write_text(make_text(int(mb * 1_000_000)), encoding="utf-8")
            seconds, cpu, peak, code = run_one(path, folder / f"big-{mb:g}mb.ttl")
            first = first or (seconds, peak)
            print(f"{mb:>6g} {seconds:>8.1f} {seconds / mb:>8.1f} {cpu / mb:>9.1f} {peak:>9.0f} "
                  f"{seconds / first[0]:>8.2f} {peak / first[1]:>10.2f}  {code}", flush=True)


if __name__ == "__main__":
    main()
