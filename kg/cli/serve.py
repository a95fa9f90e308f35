"""``kg serve GRAPH_OR_STORE``: a read-only SPARQL endpoint with a query page."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.cli.app import app, err, handle_errors
from kg.chars import terminal_safe


@app.command()
@handle_errors
def serve(
    graph: Path = typer.Argument(..., help="RDF file written by `kg build`, or a store directory (followed live)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; anything but loopback exposes the graph to the network."),
    port: int = typer.Option(7878, "--port", "-p", min=0, max=65535, help="Port (0: any free port; the URL is printed)."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds a query may run before it is stopped."),
    workers: int = typer.Option(0, "--workers", "-w", min=0, help="Query worker processes (0: one per CPU, at least 2)."),
    max_result_mb: float = typer.Option(64.0, "--max-result-mb", min=0.001, help="Largest result sent, in MB."),
    max_request_kb: float = typer.Option(1024.0, "--max-request-kb", min=1.0, help="Largest request body or query, in KB."),
    max_connections: int = typer.Option(64, "--max-connections", min=1, help="Open connections served at once."),
    cors: bool = typer.Option(False, "--cors", help="Allow queries from web pages of other origins (e.g. a hosted YASGUI)."),
    examples: Optional[Path] = typer.Option(None, "--examples", help="Folder of .rq files offered on the query page (default: examples/queries)."),
) -> None:
    """Serve a graph over the SPARQL 1.1 Protocol (read-only) with a query page at /."""
    from kg.serve import ServeOptions, SparqlServer, serve as run_serve

    options = ServeOptions(
        host=host,
        port=port,
        timeout=timeout,
        workers=workers,
        max_result_bytes=int(max_result_mb * 2**20),
        max_request_bytes=int(max_request_kb * 1024),
        max_connections=max_connections,
        cors=cors,
        examples=examples,
    )
    if not _loopback(host):
        err.print(f"[yellow]warning:[/] listening on {host}: anyone who can reach it can query the graph", markup=True)
    err.print(f"loading {graph} …", highlight=False)

    def ready(server: SparqlServer) -> None:
        url = server.url
        err.print(
            f"serving {graph} ({server.triples} triples) at {url} "
            f"with {options.n_workers} workers, {timeout:g}s timeout; query page at {url[: -len('sparql')]} "
            "(Ctrl-C stops)",
            highlight=False,
            soft_wrap=True,
        )
        for note in server.notes:
            err.print(f"note: {terminal_safe(note)}", highlight=False, markup=False, soft_wrap=True)

    run_serve(graph, options, ready=ready)


def _loopback(host: str) -> bool:
    from kg.serve import _is_loopback

    return _is_loopback(host)
