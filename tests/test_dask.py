"""The map step on Dask (``kg build --dask``) and the executor contract.

Real clusters only: a ``LocalCluster`` of worker processes, and a ``dask
scheduler`` and ``dask worker`` started here as separate processes on
127.0.0.1. Every build must give the quads of the one-process build (all but
the run's time stamp), in every mode.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import EXIT_CODES, EXIT_SKIPPED, ClusterError
from tests.text2kg.test_build_ontology import EXAMPLES as BYO_EXAMPLES
from tests.text2kg.test_build_ontology import ONTOLOGIES, write_corpus

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

STAMP = "http://www.w3.org/ns/prov#startedAtTime"

JSONL = (
    '{"id": "brief", "text": "Nordwind Shipping opened an office in Westbrook. Its chief executive, Anna Berg, spoke."}\n'
    '{"id": "brief", "text": "Bayport Harbor Authority signed a deal with Eastfield Science Park in Westbrook."}\n'
    '{"title": "no text here"}\n'
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The example corpus, a JSONL file with a repeated id and a bad line, a binary file, a few short files."""
    src = tmp_path_factory.mktemp("dask") / "src"
    src.mkdir()
    shutil.copy(ROOT / "examples" / "corpus" / "lingang-news.txt", src / "lingang-news.txt")
    (src / "briefs.jsonl").write_text(JSONL, encoding="utf-8")
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    for n, place in enumerate(["Westbrook", "Bayport", "Eastfield", "Nordhaven"]):
        (src / f"short-{n}.txt").write_text(f"The mayor of {place}, Jonas Lind, visited Tesla in Shanghai.\n",
                                            encoding="utf-8")
    return src


def quads(path: Path) -> list[str]:
    import pyoxigraph as ox

    with path.open("rb") as f:
        return sorted(str(q) for q in ox.parse(f, format=ox.RdfFormat.N_QUADS) if str(q.predicate) != f"<{STAMP}>")


def build(*args: object, env: dict | None = None):
    return runner.invoke(app, ["build", *map(str, args), "--quiet"], env=env)


@pytest.fixture(scope="module")
def one_process(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one") / "g.nq"
    result = build(corpus, "-o", out)
    assert result.exit_code == EXIT_SKIPPED, result.output  # the binary file and the JSONL line are skipped
    return out


def skipped(result) -> list[str]:
    return sorted(ln for ln in result.stderr.splitlines() if ln.startswith("skipped "))


@pytest.mark.model
def test_local_cluster_of_two_processes_builds_the_one_process_graph(corpus, one_process, tmp_path):
    out = tmp_path / "dask.nq"
    result = build(corpus, "--dask", "local:2", "-o", out)
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert quads(out) == quads(one_process)
    assert any("image.txt: binary file" in ln for ln in skipped(result))
    assert any("briefs.jsonl:3" in ln for ln in skipped(result))
    # the repeated JSONL id got the same suffix as in one process
    assert any("/doc/brief-2>" in q for q in quads(out))


# --------------------------------------------------------------------------- separate processes


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A ``dask scheduler`` and one ``dask worker`` (1 thread), separate processes on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("cluster")
    info = folder / "scheduler.json"
    dask = str(Path(sys.executable).with_name("dask"))
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(info)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert info.exists(), "the scheduler did not start"
        procs.append(subprocess.Popen([dask, "worker", "--scheduler-file", str(info), "--nthreads", "1",
                                       "--nworkers", "1", "--host", "127.0.0.1", "--no-dashboard"], cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        import json

        yield json.loads(info.read_text())["address"]
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.model
def test_separate_scheduler_and_worker_build_the_same_graph_from_the_environment(corpus, one_process, scheduler,
                                                                                 tmp_path):
    assert scheduler.startswith("tcp://127.0.0.1:")
    out = tmp_path / "remote.nq"
    result = build(corpus, "-o", out, env={"DASK_SCHEDULER_ADDRESS": scheduler})
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert quads(out) == quads(one_process)


@pytest.mark.model
def test_store_build_on_the_cluster_holds_the_one_process_graph(corpus, one_process, scheduler, tmp_path):
    store = tmp_path / "news.kgstore"
    result = build(corpus, "--store", store, "--dask", scheduler, "-o", tmp_path / "store.nq")
    assert result.exit_code == EXIT_SKIPPED, result.output
    alone = tmp_path / "alone.kgstore"
    assert build(corpus, "--store", alone, "-o", tmp_path / "alone.nq").exit_code == EXIT_SKIPPED
    assert quads(tmp_path / "store.nq") == quads(tmp_path / "alone.nq")


@pytest.mark.model
def test_parts_written_by_the_cluster_workers_bulk_load_to_the_one_process_graph(corpus, one_process, scheduler,
                                                                                  tmp_path):
    import json

    import pyoxigraph as ox

    out = tmp_path / "graph"
    result = build(corpus, "--dask", scheduler, "-o", f"{out}/", "--parts", "3")
    assert result.exit_code == EXIT_SKIPPED, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["file"] for e in manifest["parts"]] == ["part-00000.nq", "part-00001.nq", "part-00002.nq"]
    assert all(not e["written_by"].endswith(f":{os.getpid()}") for e in manifest["parts"])  # not by the driver
    store = ox.Store()
    for entry in manifest["parts"]:
        store.bulk_load(path=str(out / entry["file"]), format=ox.RdfFormat.N_QUADS)
    assert sorted(str(q) for q in store if str(q.predicate) != f"<{STAMP}>") == quads(one_process)


@pytest.mark.model
def test_ontology_build_on_the_cluster_is_the_one_process_graph(scheduler, tmp_path):
    byo = write_corpus(tmp_path / "byo")
    args = (byo, "--ontology", ONTOLOGIES["json"], "--examples", BYO_EXAMPLES)
    assert build(*args, "-o", tmp_path / "one.nq").exit_code == 0
    result = build(*args, "--dask", scheduler, "-o", tmp_path / "dask.nq")
    assert result.exit_code == 0, result.output
    assert quads(tmp_path / "dask.nq") == quads(tmp_path / "one.nq")


# --------------------------------------------------------------------------- a worker dies


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address="127.0.0.1:0", silence_logs=50)
    c = distributed.Client(cluster, set_as_default=False)
    yield c
    c.close()
    cluster.close()


@pytest.mark.model
def test_a_worker_killed_mid_build_is_replaced_and_the_graph_is_the_same(corpus, one_process, client, tmp_path,
                                                                          monkeypatch):
    import kg
    import kg.distribute
    from kg.executors import DaskExecutor

    monkeypatch.setattr(kg.distribute, "FILES_PER_TASK", 1)  # one task per file: several in flight
    killed: list[int] = []

    def kill_a_busy_worker(_res: object) -> None:
        if killed:
            return
        busy = [w for w, keys in client.processing().items() if keys] or list(client.nthreads())
        pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    graph = kg.build([corpus], dask=DaskExecutor(client), progress=kill_a_busy_worker)
    assert killed
    out = graph.write(tmp_path / "after-kill.nq")
    assert quads(out) == quads(one_process)


# --------------------------------------------------------------------------- executor contract


def times(shared: int, batch: list[int]) -> list[int]:
    """A task: each item times ``shared``; 13 fails (the whole batch raises)."""
    if 13 in batch:
        raise ValueError("13 is unlucky")
    return [x * shared for x in batch]


def needs_a_model(shared: object, batch: list[int]) -> list[int]:
    from kg.errors import ModelNotFoundError

    raise ModelNotFoundError("no pipeline on this worker")


@pytest.fixture(params=["processes", "dask"])
def executor(request):
    from kg.executors import DaskExecutor, LocalProcesses

    if request.param == "processes":
        yield LocalProcesses(2)
    else:
        yield DaskExecutor(request.getfixturevalue("client"))


def test_results_come_in_input_order_and_only_the_failing_item_is_lost(executor):
    out = list(executor.map(times, range(40), shared=3, batch_size=4, on_failure=lambda item, exc: f"{item}: {exc}"))
    assert out == [x * 3 if x != 13 else "13: 13 is unlucky" for x in range(40)]


def test_no_more_than_the_window_is_taken_from_the_input(executor):
    pulled = {"n": 0}

    def items():
        for x in range(60):
            pulled["n"] += 1
            yield x

    ahead = []
    for k, _ in enumerate(executor.map(times, items(), shared=1, batch_size=2, in_flight=3,
                                       on_failure=lambda item, exc: None)):
        ahead.append(pulled["n"] - k)
    assert max(ahead) <= 3 * 2 + 2  # the window of 3 batches (plus the batch being read)


def test_a_configuration_error_on_a_worker_stops_the_map(executor):
    from kg.errors import ModelNotFoundError

    with pytest.raises(ModelNotFoundError, match="no pipeline"):
        list(executor.map(needs_a_model, range(10), batch_size=2, on_failure=lambda item, exc: None))


def test_without_dask_the_option_names_the_extra(tmp_path):
    code = ("import sys; sys.modules['distributed'] = None; from kg.cli import main; "
            f"sys.argv = ['kg', 'build', {str(tmp_path)!r}, '--dask', 'local:2', '-o', {str(tmp_path / 'g.ttl')!r}]; "
            "main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 9, proc.stderr
    assert "pip install 'wild-goose-kg[dask]'" in proc.stderr
    assert not (tmp_path / "g.ttl").exists()


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path, monkeypatch):
    import kg.executors

    monkeypatch.setattr(kg.executors, "CONNECT_TIMEOUT", 2)
    (tmp_path / "a.txt").write_text("Tesla opened a showroom in Shanghai.\n", encoding="utf-8")
    result = build(tmp_path, "--dask", "tcp://127.0.0.1:9", "-o", tmp_path / "g.ttl")
    assert result.exit_code == EXIT_CODES[ClusterError] == 17, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert not (tmp_path / "g.ttl").exists()


# --------------------------------------------------------------------------- per-document isolation on an executor


class InThisProcess:
    """An executor running each batch here (the contract of :class:`kg.executors.Executor`)."""

    def __new__(cls):
        from kg.executors import Executor

        class _Inline(Executor):
            def _start(self, shared):
                return shared

            def _submit(self, handle, fn, batch):
                try:
                    return fn(handle, batch)
                except Exception as exc:  # noqa: BLE001
                    return exc

            def _wait(self, job):
                return job

            def _next_finished(self, handle, pending):
                n = min(pending)
                return n, pending[n][1]

        return _Inline()


def _some_fail(config, documents):
    """extract_batch after i15: a document whose extraction fails is a Problem record."""
    from kg.model import DocResult, Problem

    return [Problem(d.info.source, f"document {d.id}: extraction failed (ValueError: bad)") if any("bad" in p.text for p in d.paragraphs)
            else DocResult(info=d.info) for d in documents]


def test_problem_records_from_workers_are_problems_not_results(tmp_path, monkeypatch):
    import kg.distribute
    import kg.pipeline
    from kg.ingest import ReadReport, read_sources
    from kg.model import DocResult
    from kg.pipeline import PipelineConfig, process_documents

    monkeypatch.setattr(kg.distribute, "extract_batch", _some_fail)
    monkeypatch.setattr(kg.pipeline, "extract_batch", _some_fail)
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "bad text"}\n{"id": "x", "text": "good text"}\n',
                                      encoding="utf-8")
    (tmp_path / "b.txt").write_text("good text\n", encoding="utf-8")
    report = ReadReport()
    results = list(kg.distribute.extract_sources([tmp_path], PipelineConfig(), InThisProcess(), report))
    assert all(isinstance(r, DocResult) for r in results)
    assert [r.info.id for r in results] == ["x-2", "b"]  # the failed document kept its id: the next is -2
    assert [p.reason for p in report.problems] == ["document x: extraction failed (ValueError: bad)"]
    assert (report.files, report.documents) == (2, 3)  # read, as read_sources counts them

    problems: list = []
    chars: list[int] = []
    docs = list(read_sources([tmp_path]))
    out = list(process_documents(docs, PipelineConfig(), executor=InThisProcess(), problems=problems,
                                 on_chars=chars.append))
    assert [r.info.id for r in out] == ["x-2", "b"]
    assert [p.reason for p in problems] == ["document x: extraction failed (ValueError: bad)"]
    assert sum(chars) == sum(d.n_chars for d in docs)
