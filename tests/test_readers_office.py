""".doc/.wps/.rtf go through LibreOffice when it is installed; otherwise the
user is told how to convert.  A bad file never stops the other files."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import pytest

from readers_util import DOCUMENTS
from xxgk_lint.linter.readers import ReadError, office, read

from helpers import findings


def test_without_libreoffice_says_how_to_convert(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = tmp_path / "report.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E012" and "另存为" in info.value.message and ".docx" in info.value.message


def _fake_soffice(tmp_path, body: str) -> str:
    """A stand-in for soffice that writes a .docx where LibreOffice would."""
    script = tmp_path / "soffice"
    script.write_text(f"#!{sys.executable}\nimport os, sys, shutil, time\nargs = sys.argv[1:]\n"
                      "outdir = args[args.index('--outdir') + 1]\nsource = args[-1]\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_conversion_is_read_as_docx_and_cleaned_up(tmp_path, monkeypatch):
    docx_path = DOCUMENTS / "report.docx"
    fake = _fake_soffice(tmp_path, "os.makedirs(outdir, exist_ok=True)\n"
                         f"shutil.copy({str(docx_path)!r}, os.path.join(outdir, 'input.docx'))\n"
                         f"open({str(tmp_path / 'seen')!r}, 'w').write(os.path.dirname(source))\n")
    monkeypatch.setattr(office, "soffice", lambda: fake)
    path = tmp_path / "report.doc"
    path.write_bytes(office._OLE + b"\x00" * 100)
    doc = read(str(path))
    assert doc.path == str(path) and doc.metadata["converted_from"] == ".doc"
    assert "三、收到和处理政府信息公开申请情况" in doc.text
    workdir = (tmp_path / "seen").read_text()
    assert not os.path.exists(workdir)  # the private temporary directory is gone


def test_conversion_failure_and_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: _fake_soffice(tmp_path, "sys.exit(1)\n"))
    path = tmp_path / "report.rtf"
    path.write_bytes(b"{\\rtf1}")
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E012"
    monkeypatch.setattr(office, "soffice", lambda: _fake_soffice(tmp_path, "time.sleep(30)\n"))
    monkeypatch.setattr(office, "TIMEOUT_SECONDS", 1)
    with pytest.raises(ReadError) as info:
        read(str(path))
    assert info.value.code == "E012" and "超时" in info.value.message


def test_bad_files_do_not_stop_the_good_one(tmp_path):
    good = tmp_path / "good.txt"
    shutil.copy(DOCUMENTS / "report.txt", good)
    bad_pdf = tmp_path / "bad.pdf"
    bad_pdf.write_bytes((DOCUMENTS / "report.pdf").read_bytes()[:5000])
    empty_pdf = tmp_path / "empty.pdf"
    empty_pdf.write_bytes(b"")
    assert [d.code for d in findings(bad_pdf).diagnostics] == ["E007"]
    good_codes = [d.code for d in findings(good).diagnostics]
    assert good_codes and not any(c.startswith("E00") for c in good_codes)
    cli = [sys.executable, "-m", "xxgk_lint", "check", "--format", "json"]
    run = subprocess.run(cli + [str(good), str(empty_pdf)], capture_output=True, text=True)
    assert run.returncode == 2, run.stderr
    assert str(good) in run.stdout and "E004" in run.stdout and "Traceback" not in run.stderr


def test_cli_exit_code_for_new_read_errors(tmp_path):
    """E006/E007/E008/E012 mean "could not read this file", like E001-E005."""
    good = tmp_path / "good.txt"
    shutil.copy(DOCUMENTS / "report.txt", good)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes((DOCUMENTS / "report.pdf").read_bytes()[:5000])
    run = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", str(good), str(bad)],
                         capture_output=True, text=True)
    assert "E007" in run.stdout and "Traceback" not in run.stderr
    assert run.returncode == 2, "cli._READ_CODES must include E006, E007, E008 and E012"


def test_content_decides_before_the_extension(tmp_path, monkeypatch):
    """A .docx saved as .doc is read directly; bytes that are no document are
    refused before LibreOffice (which would import them as text)."""
    monkeypatch.setattr(office, "soffice", lambda: pytest.fail("LibreOffice must not be started"))
    renamed = tmp_path / "report.doc"
    shutil.copy(DOCUMENTS / "report.docx", renamed)
    doc = read(str(renamed))
    assert "三、收到和处理政府信息公开申请情况" in doc.text and doc.metadata["saved_as"] == ".doc"
    damaged = tmp_path / "old.wps"
    damaged.write_bytes(b"\xd0\xcf\x11\xe0 not really\x00\xff\xfe")
    with pytest.raises(ReadError) as info:
        read(str(damaged))
    assert info.value.code == "E007" and "另存为" in info.value.message


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_real_libreoffice_converts_a_word_97_file():
    """The generated report saved by LibreOffice as Word 97-2003 reads as the .docx does."""
    from readers_util import report_of, summary

    converted, original = report_of(DOCUMENTS / "report.doc"), report_of(DOCUMENTS / "report.docx")
    assert converted.document.metadata["converted_from"] == ".doc"
    assert summary(converted) == summary(original)
