"""Message language: Simplified Chinese by default, English on request.

Every finding carries both texts (``Diagnostic.message`` and
``Diagnostic.message_en``), built by the rule from the same values; only the
reporters choose.  So rules and worker processes never need to know the
language, and a run can be rendered in either language afterwards.

The choice comes from :func:`set_language` (the CLI's ``--lang``), else from
the environment variable ``XXGK_LINT_LANG`` (``zh`` or ``en``).
:func:`set_language` also writes the variable, so worker processes started
afterwards see the same choice.
"""

from __future__ import annotations

import contextlib
import os

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
ENV_VAR = "XXGK_LINT_LANG"

_chosen: str | None = None


class Bilingual(str):
    """A Chinese string that also carries its English text (``.en``).

    For messages that travel through code paths that only pass a string
    along (e.g. ``ReadError.message`` through the runner): ``Diagnostic``
    picks the English up from it.  Any string operation on it yields a plain
    ``str`` without the English, so pick the language before formatting.
    """

    en: str

    def __new__(cls, zh: str, en: str) -> "Bilingual":
        obj = super().__new__(cls, zh)
        obj.en = en
        return obj

    def __reduce__(self):  # keep the English across pickling (worker processes)
        return Bilingual, (str(self), self.en)


def bilingual(zh: str, en: str | None) -> str:
    """``zh`` carrying ``en`` (or plain ``zh`` when there is no English)."""
    return Bilingual(zh, en) if en else zh


def english_of(message: str) -> str:
    """The English carried by a :class:`Bilingual` message, else ''."""
    return getattr(message, "en", "") or ""


def normalize(value: str | None) -> str | None:
    """'en', 'EN', 'en_US.UTF-8', 'english' -> 'en'; 'zh', 'zh_CN', 'cn' -> 'zh'; else None."""
    if not value:
        return None
    key = value.strip().lower().replace("-", "_")
    if key in ("en", "english") or key.startswith("en_"):
        return "en"
    if key in ("zh", "cn", "chinese") or key.startswith("zh_"):
        return "zh"
    return None


def set_language(lang: str | None) -> None:
    """Choose the language of messages (``zh`` or ``en``); None restores the
    default (the environment).  Also exported to the environment so that
    worker processes started later use the same language."""
    global _chosen
    if lang is None:
        _chosen = None
        return
    chosen = normalize(lang)
    if chosen is None:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    _chosen = chosen
    os.environ[ENV_VAR] = chosen


@contextlib.contextmanager
def language(lang: str | None):
    """Use ``lang`` inside the block (None: leave the choice as it is), then
    restore the previous choice and environment -- for the CLI, so that one
    command's ``--lang`` does not leak into the next (e.g. in tests)."""
    global _chosen
    saved_choice, saved_env = _chosen, os.environ.get(ENV_VAR)
    if lang is not None:
        set_language(lang)
    try:
        yield
    finally:
        _chosen = saved_choice
        if saved_env is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = saved_env


def current_language() -> str:
    """``set_language``'s choice, else ``$XXGK_LINT_LANG``, else Chinese.
    An unrecognised value of the variable means the default (the CLI checks
    the variable and refuses an invalid value)."""
    return _chosen or normalize(os.environ.get(ENV_VAR)) or DEFAULT


def text(zh: str, en: str, lang: str | None = None) -> str:
    """The text in the chosen language; Chinese when no English is given."""
    return en if (lang or current_language()) == "en" and en else zh


def message(diag, lang: str | None = None) -> str:
    """A finding's message in the chosen language.  Findings without an
    English text (e.g. from a third-party rule pack) keep their Chinese."""
    return text(diag.message, getattr(diag, "message_en", "") or english_of(diag.message), lang)
