"""``--format html``: one self-contained HTML page (see ../htmlreport.py) with
the report text, each finding where it is, and tables 2-4 with the cells of
failed identities marked -- for mailing to the drafter."""

from __future__ import annotations

from typing import TextIO


def render(results, registry, out: TextIO) -> None:
    from ..htmlreport import render_html

    out.write(render_html(results, registry))
