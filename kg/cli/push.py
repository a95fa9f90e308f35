"""``kg push GRAPH_OR_STORE --endpoint URL``: upload to a SPARQL Graph Store Protocol server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from kg.cli.app import app, err, handle_errors


@app.command()
@handle_errors
def push(
    graph: Path = typer.Argument(..., help="RDF file written by `kg build`, or a store directory."),
    endpoint: str = typer.Option(..., "--endpoint", "-e", help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), …/rdf-graphs/service (GraphDB), …/data (Fuseki)."),
    graph_iri: Optional[str] = typer.Option(None, "--graph", help="Named graph to replace with the graph (default: the default graph)."),
    per_document: bool = typer.Option(False, "--per-document", help="One named graph per document (named by the document's IRI); the rest goes to --graph or the default graph."),
    user: Optional[str] = typer.Option(None, "--user", "-u", help="User name for Basic or Digest auth (or $KG_PUSH_USER, or user@ in the URL)."),
    password_env: str = typer.Option("KG_PUSH_PASSWORD", "--password-env", help="Environment variable that holds the password; asked for when unset."),
    auth: str = typer.Option("basic", "--auth", help="How the credentials are sent: basic or digest."),
    ca_bundle: Optional[Path] = typer.Option(None, "--ca-bundle", help="PEM file of the certificate authorities to trust for https (default: the system's, or $REQUESTS_CA_BUNDLE)."),
    timeout: float = typer.Option(120.0, "--timeout", min=1.0, help="Seconds to wait for the server per request."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary."),
) -> None:
    """Upload a graph to a triple store: replaces the target graph(s) with HTTP PUT."""
    from kg.push import push as run_push

    password = os.environ.get(password_env)
    if user is not None and password is None:
        password = typer.prompt(f"password for {user}", hide_input=True, err=True)
    report = run_push(graph, endpoint, graph=graph_iri, per_document=per_document, user=user, password=password,
                      timeout=timeout, auth=auth, ca_bundle=ca_bundle)
    if not quiet:
        err.print(
            f"pushed {report.triples} triples in {report.graphs} graph(s) to {endpoint} "
            f"({report.requests} request(s), {report.seconds:.1f}s)",
            highlight=False,
        )
