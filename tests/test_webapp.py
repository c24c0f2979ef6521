"""The local web page's server: uploads, pasted text, errors, limits, concurrent users."""

from __future__ import annotations

import concurrent.futures
import os
import re
import tempfile
import time
import warnings

import pytest
from conftest import FIXTURES, seed

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("multipart")

with warnings.catch_warnings():  # newer Starlette prefers httpx2 for its TestClient
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import httpx
from webserver import job_for_tests, running

from xxgk_lint.linter import readers, webapp
from xxgk_lint.linter.registry import load_registry
from xxgk_lint.linter.runner import Settings, check_file

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def app():
    return webapp.create_app()


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:
        yield c


def codes(fragment: str) -> list[str]:
    return re.findall(r'<div class="xr-head"><span class="xr-code">([A-Z]+\d+)</span>', fragment)


def cli_codes(path) -> list[str]:
    registry = load_registry()
    settings = Settings()
    result = check_file(str(path), registry, settings.rules_for(str(path), registry), settings)
    return [d.code for d in result.diagnostics]


def upload(client, name: str, data: bytes):
    return client.post("/api/check", files={"file": (name, data, "application/octet-stream")})


def test_page_lists_the_formats_of_the_readers_at_request_time(client, monkeypatch):
    page = client.get("/")
    assert page.status_code == 200
    assert "把报告文件拖到这里" in page.text and "不会保存或发送到任何地方" in page.text
    assert ".docx" in page.text and ".pdf" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page.text)
    monkeypatch.setitem(readers.READERS, ".newfmt", "text")
    assert ".newfmt" in client.get("/").text


def test_upload_seed_report_shows_its_findings(client):
    path = seed("003")
    answer = upload(client, "兴庆区2020年报告.txt", path.read_bytes())
    assert answer.status_code == 200
    data = answer.json()
    assert data["ok"] and data["file"] == "兴庆区2020年报告.txt"
    assert codes(data["html"]) == cli_codes(path)
    assert {"A102", "A301", "S203"} <= set(codes(data["html"]))
    assert data["counts"] == {"error": 1, "warning": 2, "info": 0}
    assert "兴庆区2020年报告.txt" in data["html"]
    assert "xxgk-lint-web-" not in data["html"]  # the temporary path is never shown
    assert 'data-row="r3_7" data-col="c_natural"' in data["html"]
    assert answer.headers["cache-control"] == "no-store"


def test_pasted_text_is_checked(client):
    answer = client.post("/api/check", files={"text": (None, seed("003").read_text("utf-8"))})
    assert answer.status_code == 200
    assert codes(answer.json()["html"]) == cli_codes(seed("003"))
    assert "粘贴的文本" in answer.json()["html"]


def test_broken_file_shows_the_e_finding(client):
    answer = upload(client, "坏文件.docx", b"PK\x03\x04 this is no Word file")
    assert answer.status_code == 200
    fragment = answer.json()["html"]
    assert codes(fragment) == ["E007"]
    assert "Word 文件已损坏" in fragment and "Traceback" not in fragment
    answer = upload(client, "报告.xyz", b"abc")
    assert codes(answer.json()["html"]) == ["E003"] and "不支持的文件类型" in answer.json()["html"]


def test_no_file_is_a_clear_error(client):
    answer = client.post("/api/check", files={"text": (None, "   ")})
    assert answer.status_code == 400
    assert "没有收到文件" in answer.json()["error"]


def test_size_limit():
    small = webapp.create_app(max_upload_bytes=1000)
    with TestClient(small) as c:
        answer = upload(c, "big.txt", b"x" * 5000)
        assert answer.status_code == 413
        assert answer.json() == {"ok": False, "error": "文件太大（5 KB）：上限为 1 KB。请上传单个报告文件。"}
        # far beyond the limit: refused by its declared length, before it is read
        answer = upload(c, "huge.txt", b"x" * 300_000)
        assert answer.status_code == 413 and answer.json()["error"].startswith("文件太大（293 KB）：上限为 1 KB")
        assert upload(c, "small.txt", "一、总体情况\n".encode()).status_code == 200


def test_a_hanging_check_is_stopped_and_others_are_served_meanwhile(tmp_path, monkeypatch):
    """A check past its time limit ends with its worker process: the scratch files it wrote are
    removed, the other users are answered while it hangs, and the next check works."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the server keeps uploads
    app = webapp.create_app(timeout=6, workers=2, job=job_for_tests)
    report = seed("003").read_bytes()
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        def post(name):
            return http.post("api/check", files={"file": (name, report)})

        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            assert [a.status_code for a in pool.map(post, ["warm1.txt", "warm2.txt"])] == [200, 200]
            started = time.monotonic()
            hanging = pool.submit(post, "slow.txt")
            time.sleep(0.5)
            meanwhile = post("a.txt")
            assert not hanging.done()  # answered while the other check still hangs, not after it
            assert meanwhile.status_code == 200 and codes(meanwhile.json()["html"]) == cli_codes(seed("003"))
            answer = hanging.result()
        assert answer.status_code == 504 and "检查超时（超过 6 秒），已停止检查" in answer.json()["error"]
        assert time.monotonic() - started < 20
        assert list(tmp_path.iterdir()) == []  # the upload and the worker's scratch file are gone
        assert not app.state.pool.busy
        after = http.post("api/check", files={"file": ("b.txt", report)})
        assert after.status_code == 200 and codes(after.json()["html"]) == cli_codes(seed("003"))
    assert list(tmp_path.iterdir()) == []


def test_a_crashing_check_is_a_message_and_the_next_one_works(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = webapp.create_app(workers=1, job=job_for_tests)
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        answer = http.post("api/check", files={"file": ("crash.txt", b"abc")})
        assert answer.status_code == 500 and answer.json()["error"].startswith("检查时发生内部错误")
        again = http.post("api/check", files={"file": ("a.txt", seed("003").read_bytes())})
        assert again.status_code == 200 and codes(again.json()["html"]) == cli_codes(seed("003"))
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_are_removed(client, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert upload(client, "a.txt", seed("003").read_bytes()).status_code == 200
    assert upload(client, "b.docx", b"broken").status_code == 200
    assert upload(client, "c.docx", (FIXTURES / "documents" / "report.docx").read_bytes()).status_code == 200
    assert upload(client, "d.pdf", (FIXTURES / "documents" / "report.pdf").read_bytes()).status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_empty_file_is_a_clear_error(client):
    answer = upload(client, "报告.docx", b"")
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("“报告.docx”是空文件（0 字节）")


def test_formats_that_need_libreoffice_say_so(client, monkeypatch):
    from xxgk_lint.linter.readers import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    page = client.get("/").text
    assert "Word（.docx、.docm）、PDF（.pdf）" in page
    assert ".doc、.rtf、.wps 文件请先在 Word 或 WPS 中另存为 .docx（本机没有安装 LibreOffice" in page
    monkeypatch.setattr(office, "soffice", lambda: "/usr/bin/soffice")
    assert "以及 .doc、.rtf、.wps（用本机的 LibreOffice 自动转换）" in client.get("/").text


def test_serve_says_when_the_port_is_taken(tmp_path):
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "xxgk_lint", "serve", "--port", str(port)],
                              capture_output=True, text=True, encoding="utf-8", timeout=60,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 2
    assert "已启动" not in proc.stdout
    assert f"端口 {port} 已被占用" in proc.stderr and "--port" in proc.stderr and "Traceback" not in proc.stderr


def test_other_host_names_are_refused():
    app = webapp.create_app(allowed_hosts=webapp.LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://evil.example") as c:
        assert c.get("/").status_code == 400
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        assert c.get("/").status_code == 200


def test_concurrent_uploads_on_loopback(app):
    """Several users at once: every request answers, each with the same page as alone."""
    files = [(p.name, p.read_bytes()) for p in (seed("000"), seed("002"), seed("003"), seed("004"))]
    files.append(("broken.pdf", b"%PDF-1.4 broken"))
    files.append(("report.docx", (FIXTURES / "documents" / "report.docx").read_bytes()))
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        alone = {}
        for name, data in files:
            answer = http.post("api/check", files={"file": (name, data)})
            assert answer.status_code == 200
            alone[name] = answer.json()["html"]

        def one(n: int):
            name, data = files[n % len(files)]
            with httpx.Client(base_url=url, timeout=60) as own:
                answer = own.post("api/check", files={"file": (name, data)})
            return name, answer.status_code, answer.json()

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(one, range(36)))
    assert len(answers) == 36
    for name, status, data in answers:
        assert status == 200, data
        assert data["html"] == alone[name], name
