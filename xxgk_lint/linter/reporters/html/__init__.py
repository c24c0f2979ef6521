"""``--format html``: one self-contained HTML page with the report text, each
finding where it is, and tables 2-4 with the cells of failed identities marked
-- for mailing to the drafter.  The web page shows the same view of each file.

- ``page.py``: the page, each file's summary, filters, list and findings;
- ``textview.py``: the report text with the findings highlighted;
- ``tables.py``: the template tables with the cells of findings marked;
- ``report.css``, ``report.js``: the page's style and behaviour (package data).

Every word comes from the message catalogue (``messages/ui.yaml``, group
``html``) in the chosen language (``--lang``).  No network resource is
referenced (inline CSS and JS; a Content-Security-Policy forbids loading
anything), and every piece of report text is escaped: the text is untrusted.
"""

from __future__ import annotations

from typing import TextIO

from .page import CSP, css, esc, family, js, render_file, render_html, render_results

__all__ = ["CSP", "css", "esc", "family", "js", "render", "render_file", "render_html", "render_results"]


def render(results, registry, out: TextIO) -> None:
    out.write(render_html(results, registry))
