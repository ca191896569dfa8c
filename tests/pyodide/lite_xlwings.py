"""A stand-in for xlwings inside xlwings Lite: ``func``, ``arg`` and ``ret`` that record what
the add-in's functions declare, the way Lite's own decorators do.

Installed as the module ``xlwings`` (a folder ``xlwings/`` holding this file as
``__init__.py``) ahead of any real xlwings. Real xlwings' Lite code (``xlwings.pro``) needs a
licence key outside Lite, so it is not run here; this follows its source instead, xlwings
0.37.8, ``xlwings/pro/udfs_officejs.py``:

- ``xlfunc`` records the name, each parameter (position, default, options) and the
  docstring as the description; of its keyword arguments it keeps ``namespace``, ``name``,
  ``volatile`` and ``help_url`` and drops the rest, ``category`` among them (Classic only).
- ``xlarg`` adds a parameter's converter options (``ndim``, ``err_to_str``...) and ``doc``.
- ``xlret`` adds the result's options.
"""

from __future__ import annotations

import inspect
from typing import Any

__version__ = "lite-stand-in"
LITE_ONLY_KEYWORDS = ("namespace", "volatile", "cache", "help_url")


def _declare(f: Any) -> dict[str, Any]:
    """``f.__xlfunc__``, made on first use as ``xlfunc``'s ``inner`` does."""
    if not hasattr(f, "__xlfunc__"):
        parameters = list(inspect.signature(f).parameters.values())  # follows __wrapped__
        args = []
        for pos, p in enumerate(parameters):
            info: dict[str, Any] = {
                "name": p.name,
                "pos": pos,
                "doc": f"Positional argument {pos + 1}",
                "vararg": p.kind is p.VAR_POSITIONAL,
                "options": {},
            }
            if p.default is not p.empty:
                info["optional"] = p.default
            args.append(info)
        f.__xlfunc__ = {
            "name": f.__name__,
            "args": args,
            "argmap": {a["name"]: a for a in args},
            "ret": {"doc": f.__doc__ or f"Python function '{f.__name__}'", "options": {}},
        }
    return f.__xlfunc__


def func(f: Any = None, **kwargs: Any) -> Any:
    def inner(f: Any) -> Any:
        declared = _declare(f)
        for key in LITE_ONLY_KEYWORDS:
            declared[key] = kwargs.get(key)
        declared["excel_name"] = kwargs.get("name")  # the Excel name, if not the Python one
        declared["ignored"] = sorted(set(kwargs) - {*LITE_ONLY_KEYWORDS, "name"})
        return f

    return inner if f is None else inner(f)


def arg(name: str, convert: Any = None, **kwargs: Any) -> Any:
    def inner(f: Any) -> Any:
        declared = _declare(f)
        if name.lstrip("*") not in declared["argmap"]:
            raise Exception(f"Invalid argument name '{name}'.")
        info = declared["argmap"][name.lstrip("*")]
        if "doc" in kwargs:
            info["doc"] = kwargs.pop("doc")
        if convert is not None:
            kwargs["convert"] = convert
        info["options"].update(kwargs)
        return f

    return inner


def ret(convert: Any = None, **kwargs: Any) -> Any:
    def inner(f: Any) -> Any:
        if convert is not None:
            kwargs["convert"] = convert
        _declare(f)["ret"]["options"].update(kwargs)
        return f

    return inner


def script(f: Any = None, **kwargs: Any) -> Any:
    return (lambda f: f) if f is None else f
