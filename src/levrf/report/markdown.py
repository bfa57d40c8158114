"""Markdown and terminal tables for the reports (no pandas needed)."""

from __future__ import annotations

import numpy as np


def _cell(v, floatfmt: str) -> str:
    if isinstance(v, (float, np.floating)):
        return "nan" if np.isnan(v) else format(float(v), floatfmt)
    return str(v)


def table(rows, columns, floatfmt: str = ".4g", headers=None) -> str:
    """``rows`` (a list of dicts) as a GitHub markdown table of ``columns``."""
    heads = list(headers or columns)
    body = [[_cell(r.get(c, ""), floatfmt) for c in columns] for r in rows]
    return "\n".join(
        ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)] + ["| " + " | ".join(b) + " |" for b in body]
    )


def plain(rows, columns, floatfmt: str = ".4g", headers=None) -> str:
    """The same table aligned in plain text for the terminal."""
    heads = list(headers or columns)
    body = [[_cell(r.get(c, ""), floatfmt) for c in columns] for r in rows]
    widths = [max(len(h), *(len(b[j]) for b in body)) if body else len(h) for j, h in enumerate(heads)]
    align = ["<" if rows and isinstance(rows[0].get(c), str) else ">" for c in columns]
    fmt = "  ".join(f"{{:{a}{w}}}" for a, w in zip(align, widths))
    return "\n".join([fmt.format(*heads).rstrip()] + [fmt.format(*b).rstrip() for b in body])


def params_block(params: dict) -> str:
    """A bullet list ``- **key**: value``."""
    return "\n".join(f"- **{k}**: {_cell(v, '.4g')}" for k, v in params.items())


def figure(path_name: str, caption: str) -> str:
    return f"![{caption}]({path_name})\n\n*{caption}*"
