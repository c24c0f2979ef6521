"""Word 97-2003 (.doc), WPS (.wps) and RTF: converted to .docx with LibreOffice when ``soffice`` is installed, then read as .docx.

The conversion runs in a private temporary directory (its own LibreOffice
profile too, so a running LibreOffice is not disturbed), with a time limit;
the directory is always removed.  Without LibreOffice the user is told how to
convert the file.

LibreOffice opens almost anything, and what it opens may fetch the URLs it
references (an HTML or flat-ODT file saved as .doc loads its images and style
sheets from the network).  So only bytes that are what the extension says go to
it -- an OLE2 compound file for .doc/.wps, an RTF header for .rtf; a web page
saved as .doc is read by the HTML reader, plain text by the text reader, and
anything else is refused -- and the conversion runs without network access
where the platform allows it (a new network namespace, ``unshare -n``), with a
profile that blocks links, link updates and macros.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

from ..model.document import Document

TIMEOUT_SECONDS = 120
_NAMES = {".doc": "Word 97-2003", ".wps": "WPS", ".rtf": "RTF"}


_WINDOWS = os.name == "nt"


def soffice() -> str | None:
    """LibreOffice's converter: on the PATH, else in its usual install folders."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for candidate in _install_locations():
        if os.path.isfile(candidate):
            return candidate
    return None


def _install_locations() -> list[str]:
    if _WINDOWS:  # the installer does not add LibreOffice to the PATH
        roots = [os.environ.get(name) for name in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        roots += ["C:\\Program Files", "C:\\Program Files (x86)"]
        return [os.path.join(root, "LibreOffice", "program", "soffice.exe") for root in dict.fromkeys(roots) if root]
    return ["/Applications/LibreOffice.app/Contents/MacOS/soffice", "/opt/libreoffice/program/soffice",
            "/usr/lib/libreoffice/program/soffice"]


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Word 97-2003, WPS
_ZIP = b"PK\x03\x04"  # a .docx saved under the old extension
_RTF = b"{\\rtf"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<table", b"<p", b"<div", b"<?mso-",
               b"mime-version:")
# A profile that loads nothing from elsewhere: links from an untrusted document are
# blocked, links are never updated on loading, macros never run.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse">\
<value>1</value></prop></item>
</oor:items>
"""


def _kind_of(head: bytes) -> str:
    """What the first bytes say the file is: ole, zip, rtf, html, xml, text or unknown."""
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(_ZIP):
        return "zip"
    body = head
    for bom in _BOMS:
        if body.startswith(bom):
            body = body[len(bom):]
            break
    if body.lstrip().startswith(_RTF):
        return "rtf"
    lowered = body.lstrip().lower()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text: compare its ASCII letters
        lowered = lowered.replace(b"\x00", b"")
    if lowered.startswith(_HTML_MARKS) or (lowered.startswith(b"<?xml") and b"<html" in lowered):
        return "html"
    if lowered.startswith(b"<"):
        return "xml"  # a flat ODT (.fodt) or Word 2003 XML: LibreOffice would load what it links to
    if _looks_like_text(head):
        return "text"
    return "unknown"


def _looks_like_text(head: bytes) -> bool:
    from . import ReadError
    from .text import decode

    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    for cut in range(4):  # the first 4 KB may end inside a character
        try:
            decode(head[:len(head) - cut])
        except ReadError:
            continue
        return True
    return False


def _file_url(path: str) -> str:
    from pathlib import Path

    return Path(path).resolve().as_uri()


_OFFLINE: list[str] | None = None


def offline_prefix() -> list[str]:
    """The words that run a command without network access: a new network namespace
    (``unshare -n`` as root, ``unshare -rn`` in a user namespace otherwise) where the system
    allows one -- tried once per process; [] elsewhere (Windows, macOS, containers that forbid
    namespaces), where the profile's settings are the only barrier."""
    global _OFFLINE
    if _OFFLINE is None:
        _OFFLINE = []
        tool = shutil.which("unshare") if sys.platform.startswith("linux") else None
        if tool:
            for words in ([tool, "-n"], [tool, "-rn"]) if os.geteuid() == 0 else ([tool, "-rn"],):
                try:
                    probe = subprocess.run([*words, "true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, timeout=10, check=False)
                except (OSError, subprocess.SubprocessError):
                    continue
                if probe.returncode == 0:
                    _OFFLINE = words
                    break
    return list(_OFFLINE)


def read(path: str) -> Document:
    from . import ReadError
    from . import docx as docx_reader

    ext = os.path.splitext(path)[1].lower()
    kind = _NAMES.get(ext, ext)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise ReadError.of("E001", "cannot_read", reason=exc.strerror or exc) from exc
    found = _kind_of(head)
    if found == "zip":
        document = docx_reader.read(path)
        document.metadata["saved_as"] = ext
        return document
    if found in ("html", "text"):
        # a web page or plain text saved as .doc: read as what it is, never by LibreOffice
        from . import html as html_reader
        from . import text as text_reader

        document = (html_reader if found == "html" else text_reader).read(path)
        document.metadata["saved_as"] = ext
        return document
    if found not in ("ole", "rtf"):  # Word itself saves RTF under .doc, so each goes with either
        from ..catalogue import msg

        what = {"xml": msg("E007", "office_xml"), "html": msg("E007", "office_html"),
                "text": msg("E007", "office_text")}.get(found)
        if what is not None:
            raise ReadError.of("E007", "office_invalid_as", {"extension": ext, "content": found}, kind=kind, what=what)
        raise ReadError.of("E007", "office_invalid", {"extension": ext, "content": found}, kind=kind)
    # LibreOffice picks its import filter from the content; the name only has to agree with it
    suffix = ".rtf" if found == "rtf" else (".doc" if ext == ".rtf" else ext)
    program = soffice()
    if program is None:
        raise ReadError.of("E012", "office_no_converter", {"extension": ext, "converter": None}, kind=kind, ext=ext)
    with tempfile.TemporaryDirectory(prefix="xxgk-lint-") as tmp:
        source = os.path.join(tmp, "input" + suffix)
        shutil.copyfile(path, source)
        outdir = os.path.join(tmp, "out")
        profile = os.path.join(tmp, "profile")
        os.makedirs(os.path.join(profile, "user"))
        with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w", encoding="utf-8") as handle:
            handle.write(_PROFILE_SETTINGS)
        command = [*offline_prefix(), program, "-env:UserInstallation=" + _file_url(profile), "--headless",
                   "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                   "--convert-to", "docx", "--outdir", outdir, source]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=TIMEOUT_SECONDS, check=False, cwd=tmp)
        except subprocess.TimeoutExpired as exc:
            raise ReadError.of("E012", "office_timeout", {"extension": ext, "converter": program}, kind=kind,
                               seconds=TIMEOUT_SECONDS) from exc
        except OSError as exc:
            raise ReadError.of("E012", "office_cannot_run", {"extension": ext, "converter": program}, kind=kind,
                               exc=exc) from exc
        converted = os.path.join(outdir, "input.docx")
        if not os.path.isfile(converted):
            raise ReadError.of("E012", "office_not_converted", {"extension": ext, "converter": program}, kind=kind)
        document = docx_reader.read(converted)
    document.path = path
    document.metadata["converted_from"] = ext
    return document
