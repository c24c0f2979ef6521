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
        assert answer.status_code == 500 and answer.json()["error"].startswith("检查进程意外退出，已停止检查")
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
            # each user from an address of their own (all of 127.0.0.0/8 is loopback)
            transport = httpx.HTTPTransport(local_address=f"127.0.1.{n + 1}")
            with httpx.Client(base_url=url, timeout=60, transport=transport) as own:
                answer = own.post("api/check", files={"file": (name, data)})
            return name, answer.status_code, answer.json()

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(one, range(36)))
    assert len(answers) == 36
    for name, status, data in answers:
        assert status == 200, data
        assert data["html"] == alone[name], name


# --- issue 13.5 and 15.10: busy and hostile clients, the JSON contract, the annotated copy ---


@pytest.fixture
def own_client():
    """A client of an app of its own (the module's app is stopped by the tests that serve it)."""
    with TestClient(webapp.create_app(workers=2), base_url="http://127.0.0.1:8765") as c:
        yield c


def test_cross_site_post_is_refused(own_client):
    """A page on another site cannot post files to the checking page (its browser sends
    Origin and Sec-Fetch-Site); the page itself, and clients without either header (curl, the
    command line), are served."""
    report = seed("003").read_bytes()

    def post(path="/api/check", **headers):
        return own_client.post(path, files={"file": ("a.txt", report)}, headers=headers)

    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                    {"Origin": "http://127.0.0.1:9999"}, {"Origin": "https://127.0.0.1:8765"},
                    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "http://127.0.0.1:8765", "Sec-Fetch-Site": "cross-site"}):
        answer = post(**headers)
        assert answer.status_code == 403, headers
        assert "已拒绝来自其他网站的请求" in answer.json()["error"]
    assert post("/api/annotate", Origin="http://evil.example").status_code == 403
    assert post(Origin="http://127.0.0.1:8765", **{"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert post(**{"Sec-Fetch-Site": "none"}).status_code == 200
    assert post().status_code == 200  # curl and scripts send neither header


def test_json_contract_when_asked(own_client, tmp_path):
    """Accept: application/json answers docs/json.md's array, as `check --format json` prints it
    (the path is the uploaded file's name)."""
    import json
    import shutil
    import subprocess
    import sys

    path = tmp_path / "兴庆区2020年报告.txt"
    shutil.copy(seed("003"), path)
    answer = own_client.post("/api/check", files={"file": (path.name, path.read_bytes())},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    cli = subprocess.run([sys.executable, "-m", "xxgk_lint", "check", "--isolated", "--format", "json", path.name],
                         capture_output=True, text=True, cwd=tmp_path, encoding="utf-8")
    assert answer.json() == json.loads(cli.stdout) and answer.json()
    assert {"path", "line", "column", "code", "rule", "severity", "message", "location"} <= set(answer.json()[0])
    # the page's own fetch (Accept: */*) still gets its HTML fragment
    page = own_client.post("/api/check", files={"file": (path.name, path.read_bytes())})
    assert "html" in page.json()
    refused = own_client.post("/api/check", files={"file": ("e.txt", b"")}, headers={"Accept": "application/json"})
    assert refused.status_code == 400 and refused.json()["ok"] is False


def test_memory_limit_is_a_clear_message(tmp_path, monkeypatch):
    """Each worker has an address-space limit: a check that needs more is stopped with a message
    naming the limit, and the next check works."""
    pytest.importorskip("resource")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = webapp.create_app(workers=1, job=job_for_tests, memory_limit=768 * 1024 * 1024)
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        answer = http.post("api/check", files={"file": ("greedy.txt", b"abc")})
        assert answer.status_code == 413, answer.text
        assert answer.json()["error"].startswith("检查这个文件需要的内存超过了上限（768 MB），已停止检查")
        again = http.post("api/check", files={"file": ("a.txt", seed("003").read_bytes())})
        assert again.status_code == 200 and codes(again.json()["html"]) == cli_codes(seed("003"))
    assert list(tmp_path.iterdir()) == []


def test_memory_error_inside_a_reader_is_the_same_message(tmp_path, monkeypatch):
    """The reader turns a MemoryError into an E005 finding (the runner one in a rule into E009);
    the page says plainly that the memory limit was hit, as for a worker killed by it."""
    from xxgk_lint.linter.readers import text as text_reader

    def greedy(path):
        raise MemoryError

    monkeypatch.setattr(text_reader, "read", greedy)
    path = tmp_path / "report.txt"
    path.write_text("一、总体情况\n", encoding="utf-8")
    with pytest.raises(MemoryError):
        webapp.check_path(str(path), "report.txt", load_registry())


def test_per_client_limit(tmp_path, monkeypatch):
    """One address may have only so many checks in progress; another address is served meanwhile."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = webapp.create_app(workers=2, timeout=5, job=job_for_tests, checks_per_client=1)
    report = seed("003").read_bytes()
    with running(app) as url:
        def client(address):
            return httpx.Client(base_url=url, timeout=60, transport=httpx.HTTPTransport(local_address=address))

        with client("127.0.0.1") as mine, client("127.0.0.2") as other, \
                concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            hanging = pool.submit(mine.post, "api/check", files={"file": ("slow.txt", report)})
            time.sleep(1.0)
            second = mine.post("api/check", files={"file": ("a.txt", report)})
            assert second.status_code == 429 and "已经有 1 个文件正在检查" in second.json()["error"]
            assert not hanging.done()
            assert other.post("api/check", files={"file": ("a.txt", report)}).status_code == 200
            assert hanging.result().status_code == 504
            assert mine.post("api/check", files={"file": ("a.txt", report)}).status_code == 200


def test_client_gone_mid_upload_logs_no_traceback(capfd):
    """A client that disconnects mid-upload is forgotten quietly; the server keeps serving."""
    import socket

    app = webapp.create_app(workers=1)
    with running(app) as url:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             b"Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 500000\r\n\r\n"
                             b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
                             + b"x" * 20000)
                time.sleep(0.2)
        time.sleep(0.5)
        with httpx.Client(base_url=url, timeout=60) as http:
            assert http.post("api/check", files={"file": ("a.txt", seed("003").read_bytes())}).status_code == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception in ASGI application" not in err, err


def test_200_concurrent_uploads_are_all_answered():
    """200 users at once (loopback, each from an address of its own, one upload each): every
    upload is checked and answered with its findings.  Then one client sending 200 at once: every
    request is answered, beyond the per-client limit with a clear 429.  Figures in docs/web.md."""
    import asyncio
    import statistics

    app = webapp.create_app(workers=2)
    report = seed("003").read_bytes()
    expected = cli_codes(seed("003"))

    async def one(url, address, timings):
        transport = httpx.AsyncHTTPTransport(local_address=address)
        async with httpx.AsyncClient(base_url=url, timeout=120, transport=transport) as http:
            started = time.monotonic()
            answer = await http.post("api/check", files={"file": ("a.txt", report)})
            timings.append(time.monotonic() - started)
            return answer.status_code, answer.json()

    async def crowd(url, addresses):
        timings = []
        answers = await asyncio.gather(*(one(url, a, timings) for a in addresses))
        return answers, timings

    with running(app) as url:
        started = time.monotonic()
        answers, timings = asyncio.run(crowd(url, [f"127.0.{2 + n // 250}.{1 + n % 250}" for n in range(200)]))
        total = time.monotonic() - started
        assert [status for status, _ in answers] == [200] * 200
        assert all(codes(data["html"]) == expected for _, data in answers)
        single, single_timings = asyncio.run(crowd(url, ["127.0.0.1"] * 200))
    statuses = [status for status, _ in single]
    assert set(statuses) <= {200, 429} and statuses.count(200) >= 1 and len(statuses) == 200
    assert all("已经有" in data["error"] for status, data in single if status == 429)
    print(f"\n200 clients: all answered in {total:.1f} s; latency median {statistics.median(timings):.2f} s, "
          f"max {max(timings):.2f} s; one client x200: {statuses.count(200)} checked, "
          f"{statuses.count(429)} refused (429), max {max(single_timings):.2f} s")


def test_annotated_copy_download(own_client):
    """/api/annotate answers a .docx with the copy carrying one comment per finding; other
    formats and unreadable files get a clear message; the page offers the button."""
    import io
    import zipfile
    from urllib.parse import quote

    source = FIXTURES / "documents" / "report.docx"
    answer = own_client.post("/api/annotate", files={"file": ("报告.docx", source.read_bytes())})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert quote("报告-检查意见.docx") in answer.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.content)) as zf:
        notes = zf.read("word/comments.xml").decode("utf-8")
    assert notes.count("<w:comment ") == len(cli_codes(source)) == int(answer.headers["x-comments"])
    assert 'w:author="xxgk-lint"' in notes
    odt = own_client.post("/api/annotate", files={"file": ("报告.odt", (FIXTURES / "documents" / "report.odt").read_bytes())})
    assert odt.status_code == 200 and odt.headers["content-type"] == "application/vnd.oasis.opendocument.text"
    assert quote("报告-检查意见.odt") in odt.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(odt.content)) as zf:
        assert zf.read("content.xml").decode("utf-8").count("<office:annotation ") == int(odt.headers["x-comments"]) > 0
    other = own_client.post("/api/annotate", files={"file": ("a.txt", seed("003").read_bytes())})
    assert other.status_code == 400 and ".docx" in other.json()["error"]
    broken = own_client.post("/api/annotate", files={"file": ("b.docx", source.read_bytes()[:3000])})
    assert broken.status_code == 422 and broken.json()["error"].startswith("无法给“b.docx”加批注")
    assert "下载带批注的 Word 文件" in own_client.get("/").text
