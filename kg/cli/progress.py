"""Progress of a long command on stderr: a live bar on a terminal, a plain line every few seconds elsewhere.

A CI log or a file gets ``building 120/285 docs · 3.1 docs/s · 41,020 tokens · 0:00:38``
every ``$KG_PROGRESS_SECONDS`` seconds (default 5; 0: after every step), so a long build
is not silent until its end.
"""

from __future__ import annotations

import os
import time
from typing import Any

from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskID, TaskProgressColumn, TextColumn,
                           TimeElapsedColumn)

from kg.cli.app import err

__all__ = ["progress_bar", "LineProgress"]

DEFAULT_SECONDS = 5.0


def progress_bar(fields: str, *, quiet: bool, count: bool = True) -> Progress:
    """The build's progress on stderr (``fields``: the text after the count, with ``{task.fields[...]}``);
    ``count=False`` shows a percentage instead of "done/total" (a total in characters, say)."""
    if not quiet and not err.is_terminal:
        return LineProgress(fields, interval=_interval(), count=count)
    return Progress(
        TextColumn("[bold]building"),
        BarColumn(),
        MofNCompleteColumn() if count else TaskProgressColumn(),
        TextColumn(fields),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    )


def _interval() -> float:
    try:
        return max(0.0, float(os.environ.get("KG_PROGRESS_SECONDS", DEFAULT_SECONDS)))
    except ValueError:
        return DEFAULT_SECONDS


class LineProgress(Progress):
    """Rich's task bookkeeping without the live display; a line on stderr at most every ``interval`` s."""

    def __init__(self, fields: str, *, interval: float, count: bool = True) -> None:
        super().__init__(console=err, disable=True)
        self._fields, self._interval, self._count = fields, interval, count
        self._last = time.monotonic()

    def update(self, task_id: TaskID, **kwargs: Any) -> None:
        super().update(task_id, **kwargs)
        now = time.monotonic()
        if "advance" in kwargs and now - self._last >= self._interval:
            self._last = now
            err.print(self.line(task_id), markup=False, highlight=False, emoji=False)

    def line(self, task_id: TaskID) -> str:
        task = self.tasks[task_id]
        elapsed = int(task.elapsed or 0)
        if self._count:
            done = f"{task.completed:.0f}" + (f"/{task.total:.0f}" if task.total is not None else "")
        else:
            done = f"{100 * task.completed / (task.total or 1):.0f}%"
        return (f"building {done} {self._fields.format(task=task)} · "
                f"{elapsed // 3600}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d}")
