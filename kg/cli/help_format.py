"""``--help`` in the words of the tools around it: ``PATH...``, ``FILE``, ``INTEGER``; no Python types.

Recent Typer releases print an argument's Python annotation (``<list[Path]>``), ``<bool>``
after every flag and ``{paths}`` in the usage line. Where a Typer release has those hooks
they are replaced, for this program only, by click's own metavars: the ``metavar`` given
to an option or argument, else the click type's (``TEXT``, ``PATH``, ``INTEGER RANGE``,
``[table|csv]``); flags show none. Older releases already print click's metavars.
"""

from __future__ import annotations

from typing import Any

import typer.core as _core

__all__ = ["metavar_for"]

#: Typer's type labels (``<str>``) in click's words
_CLICK_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "path": "PATH", "file": "FILE",
                "int range": "INTEGER", "float range": "FLOAT", "directory": "DIR"}


def metavar_for(label: str | None) -> str | None:
    """``<str>`` -> ``TEXT``, ``<list[Path]>`` -> ``PATH...``, ``<table|csv>`` -> ``[table|csv]``."""
    if not label:
        return None
    inner = label.strip("<>").strip()
    many = inner.startswith("list[")
    inner = inner.removeprefix("list[").removesuffix("]") if many else inner
    if "|" in inner:
        name = f"[{inner}]"
    else:
        name = _CLICK_NAMES.get(inner.lower(), inner.upper())
    return name + ("..." if many else "")


def _patch(core: Any) -> None:
    option, argument = getattr(core, "TyperOption", None), getattr(core, "TyperArgument", None)
    if option is None or argument is None or not hasattr(argument, "_usage_display_name"):
        return  # an older Typer: click's metavars already

    typed = option.display_type_rich

    def option_type(self: Any, ctx: Any) -> str | None:
        if self.metavar is not None:
            return self.metavar or None
        if self.is_flag or self.count:
            return None
        return metavar_for(typed(self, ctx))

    def usage_name(self: Any) -> str:
        name = self.display_name_raw
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"

    option.display_type_rich = option_type
    argument.display_type_rich = lambda self, ctx: None  # the name column shows the metavar
    argument._usage_display_name = usage_name
    if isinstance(getattr(argument, "display_name_raw", None), property):
        argument.display_name_raw = property(lambda self: self.metavar or self.name.upper())


_patch(_core)
