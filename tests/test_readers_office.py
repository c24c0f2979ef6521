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


class _Recorder:
    """An HTTP server on 127.0.0.1 that records every request it receives."""

    def __enter__(self):
        import http.server
        import threading

        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _hostile_files(tmp_path, url: str) -> dict:
    """Files that make LibreOffice fetch ``url`` if it opens them as what they are."""
    return {
        "page.doc": f'<html><head><link rel="stylesheet" href="{url}/style.css"></head><body>'
                    f'<p>一、总体情况</p><img src="{url}/picture.png"></body></html>',
        "flat.doc": '<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:'
                    'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/'
                    '1999/xlink" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">'
                    '<office:body><office:text><text:p>一、总体情况<draw:frame><draw:image xlink:href='
                    f'"{url}/flat.png" xlink:type="simple"/></draw:frame></text:p></office:text></office:body>'
                    '</office:document>',
        "field.rtf": '{\\rtf1\\ansi{\\field{\\*\\fldinst INCLUDEPICTURE "' + url + '/rtf.png" \\\\d}'
                     '{\\fldrslt x}}一、总体情况\\par}',
        "linked.doc": '{\\rtf1\\ansi{\\field{\\*\\fldinst INCLUDETEXT "' + url + '/include.txt"}'
                      '{\\fldrslt y}}\\par}',
    }


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_no_request_leaves_the_machine_when_converting(tmp_path):
    """Issue 13.6: an HTML or flat-ODT file saved as .doc made LibreOffice fetch the URLs it
    references.  A server on 127.0.0.1 serves them; no request may arrive."""
    with _Recorder() as server:
        for name, body in _hostile_files(tmp_path, server.url).items():
            path = tmp_path / name
            path.write_text(body, encoding="utf-8")
            try:
                read(str(path))
            except ReadError as exc:
                assert exc.code in ("E007", "E012"), (name, exc.code)
        assert server.hits == []


def test_only_ole2_or_rtf_bytes_reach_libreoffice(tmp_path, monkeypatch):
    """A web page saved as .doc is read as a web page, plain text as text; XML (a flat ODT)
    and anything else is refused -- LibreOffice is never started for them."""
    monkeypatch.setattr(office, "soffice", lambda: pytest.fail("LibreOffice must not be started"))
    files = _hostile_files(tmp_path, "http://127.0.0.1:9")
    page = tmp_path / "page.doc"
    page.write_text(files["page.doc"], encoding="utf-8")
    doc = read(str(page))
    assert doc.format == "html" and "一、总体情况" in doc.text and doc.metadata["saved_as"] == ".doc"
    plain = tmp_path / "plain.wps"
    plain.write_text("2023年政府信息公开工作年度报告\n一、总体情况\n", encoding="gb18030")
    assert "一、总体情况" in read(str(plain)).text
    for name in ("flat.doc",):
        path = tmp_path / name
        path.write_text(files[name], encoding="utf-8")
        with pytest.raises(ReadError) as info:
            read(str(path))
        assert info.value.code == "E007" and "平面 ODT" in info.value.message
    binary = tmp_path / "junk.rtf"
    binary.write_bytes(b"\x00\x01\x02garbage\xff" * 20)
    with pytest.raises(ReadError) as info:
        read(str(binary))
    assert info.value.code == "E007"


def test_conversion_runs_without_network_and_with_a_closed_profile(tmp_path, monkeypatch):
    """The converter is started in a new network namespace where the system allows one (a
    stand-in soffice tries to reach a server on 127.0.0.1), with a profile that blocks links."""
    with _Recorder() as server:
        host, port = server.url.rsplit("/", 1)[1].split(":")
        fake = _fake_soffice(tmp_path, "import socket\n"
                             "profile = [a for a in args if a.startswith('-env:UserInstallation=')][0]\n"
                             f"open({str(tmp_path / 'profile')!r}, 'w').write(profile)\n"
                             "from urllib.parse import urlparse\n"
                             "xcu = os.path.join(urlparse(profile.split('=', 1)[1]).path, 'user', "
                             "'registrymodifications.xcu')\n"
                             f"shutil.copy(xcu, {str(tmp_path / 'settings.xcu')!r})\n"
                             "try:\n"
                             f"    socket.create_connection(({host!r}, {port}), timeout=3).sendall("
                             "b'GET /from-converter HTTP/1.0\\r\\n\\r\\n')\n"
                             "    time.sleep(0.5)\n"
                             "except OSError:\n"
                             "    pass\n"
                             "sys.exit(1)\n")
        monkeypatch.setattr(office, "soffice", lambda: fake)
        path = tmp_path / "report.doc"
        path.write_bytes(office._OLE + b"\x00" * 100)
        with pytest.raises(ReadError):
            read(str(path))
        if office.offline_prefix():
            assert server.hits == []
        else:  # pragma: no cover - a platform without network namespaces: only the profile protects
            pytest.skip("no network namespace on this system (unshare -n not permitted)")
    settings = (tmp_path / "settings.xcu").read_text(encoding="utf-8")
    assert "BlockUntrustedRefererLinks" in settings and "DisableMacrosExecution" in settings


def test_libreoffice_is_found_in_its_windows_folder(tmp_path, monkeypatch):
    program = tmp_path / "Program Files" / "LibreOffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice.exe").write_bytes(b"MZ")
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    monkeypatch.setattr(office, "_WINDOWS", True)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    assert office.soffice() == str(program / "soffice.exe")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("ProgramW6432", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "elsewhere"))
    monkeypatch.setattr(office, "_install_locations", lambda: [str(tmp_path / "none.exe")])
    assert office.soffice() is None
