"""``xxgk-lint serve``: a local web page where a drafter drops a report and sees its findings.

The page posts the file (or pasted text) to ``/api/check``; the server writes it
into a private temporary directory, runs the same check as the command line in
a worker thread with a time limit, removes the directory, and answers with the
HTML fragment of :mod:`htmlreport`.  Nothing is kept or sent anywhere.  The
rule registry is loaded once; each request has its own files and results, so
several people can use one server at the same time.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import re
import tempfile

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from . import htmlreport

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 60.0
WORKERS = 4
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]
_EXTENSION = re.compile(r"^\.[a-z0-9]{1,10}$")
_PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
             "img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


class _TooLarge(Exception):
    pass


def _mb(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.3g} MB"


def check_upload(data: bytes, filename: str, registry) -> dict:
    """Check one uploaded file; runs in a worker thread.  Returns the JSON answer."""
    from .runner import Settings, check_file

    ext = os.path.splitext(filename)[1].lower()
    if ext and not _EXTENSION.match(ext):  # keep odd names out of the file system; E003 explains
        ext = ".unsupported"
    with tempfile.TemporaryDirectory(prefix="xxgk-lint-web-") as tmp:
        os.chmod(tmp, 0o700)
        path = os.path.join(tmp, "report" + ext)
        with open(path, "wb") as handle:
            handle.write(data)
        settings = Settings()
        result = check_file(path, registry, settings.rules_for(path, registry), settings)
        # the user knows the file by its own name, not by our temporary path
        result.path = filename
        for diag in result.diagnostics:
            diag.message = diag.message.replace(path, filename).replace(tmp, "")
            if diag.message_en:
                diag.message_en = diag.message_en.replace(path, filename).replace(tmp, "")
        counts = {s: sum(1 for d in result.diagnostics if d.severity and d.severity.value == s)
                  for s in htmlreport.SEVERITIES}
        fragment = htmlreport.render_results([result], registry)
    return {"ok": True, "file": filename, "counts": counts, "html": fragment}


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message}, status_code=status, headers=_HEADERS)


def create_app(max_upload_bytes: int = MAX_UPLOAD_BYTES, timeout: float = TIMEOUT_SECONDS,
               workers: int = WORKERS, allowed_hosts: list[str] | None = None) -> Starlette:
    """The web application.  ``allowed_hosts`` (e.g. the loopback names) rejects
    requests for other host names, so a web site cannot reach the page by DNS rebinding."""
    from .readers import supported_extensions
    from .registry import load_registry

    registry = load_registry()
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="xxgk-check")
    # the form's multipart framing needs a little room beyond the file itself
    body_limit = max_upload_bytes + 64 * 1024

    async def page(request: Request) -> Response:
        exts = supported_extensions()
        return HTMLResponse(_page(exts, max_upload_bytes), headers={**_HEADERS, "Content-Security-Policy": _PAGE_CSP})

    async def check(request: Request) -> Response:
        try:
            body = await _read_body(request, body_limit)
        except _TooLarge:
            size = request.headers.get("content-length", "")
            found = f"（{_mb(int(size))}）" if size.isdigit() else ""
            return _error(f"文件太大{found}：上限为 {_mb(max_upload_bytes)}。请上传单个报告文件。", 413)
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            return _error("请求格式不对：请通过页面选择文件或粘贴文本。", 400)

        async def replay():
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(request.scope, replay).form(max_files=1, max_fields=4, max_part_size=body_limit)
        except Exception:
            return _error("无法解析上传的内容，请重新选择文件。", 400)
        upload, text = form.get("file"), form.get("text")
        if upload is not None and not isinstance(upload, str):
            filename = os.path.basename((upload.filename or "").replace("\\", "/")) or "未命名文件"
            data = await upload.read()
            await upload.close()
        elif isinstance(text, str) and text.strip():
            filename, data = "粘贴的文本.txt", text.encode("utf-8")
        else:
            return _error("没有收到文件：请选择或拖入一个报告文件，或粘贴报告全文。", 400)
        if len(data) > max_upload_bytes:
            return _error(f"文件太大（{_mb(len(data))}）：上限为 {_mb(max_upload_bytes)}。请上传单个报告文件。", 413)
        future = executor.submit(check_upload, data, filename, registry)
        try:
            answer = await asyncio.wait_for(asyncio.wrap_future(future), timeout)
        except asyncio.TimeoutError:
            return _error(f"检查超时（超过 {timeout:g} 秒）：文件可能过大或过于复杂。"
                          f"请尝试另存为 .docx 或纯文本后再检查。", 504)
        except Exception as exc:  # a bug must show as a message, not as a traceback
            return _error(f"检查时发生内部错误：{type(exc).__name__}", 500)
        return JSONResponse(answer, headers=_HEADERS)

    async def formats(request: Request) -> Response:
        return JSONResponse({"extensions": supported_extensions(), "max_bytes": max_upload_bytes}, headers=_HEADERS)

    routes = [Route("/", page), Route("/api/check", check, methods=["POST"]), Route("/api/formats", formats)]
    middleware = []
    if allowed_hosts:
        from starlette.middleware import Middleware
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        executor.shutdown(wait=False, cancel_futures=True)

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.registry = registry
    return app


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False) -> None:
    """Run the page with uvicorn until Ctrl+C; prints the address first."""
    import uvicorn

    loopback = host in ("127.0.0.1", "localhost", "::1")
    app = create_app(allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    print(f"xxgk-lint 检查页面已启动：{url}", flush=True)
    print("在浏览器中打开这个地址，拖入或选择报告文件即可检查；按 Ctrl+C 停止。", flush=True)
    if not loopback:
        print(f"注意：页面监听在 {host}，同一网络中的其他电脑也能访问。", flush=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _page(extensions: list[str], max_bytes: int) -> str:
    accept = ",".join(extensions)
    shown = "、".join(extensions)
    config = json.dumps({"maxBytes": max_bytes, "extensions": extensions})
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府信息公开工作年度报告检查</title>
<style>{htmlreport.CSS}{_PAGE_CSS}</style>
</head>
<body>
<header class="xr-top"><h1>政府信息公开工作年度报告检查</h1>
<p class="xr-note">文件只在本机处理：检查时临时保存，检查完立即删除，不会保存或发送到任何地方。</p></header>
<div class="xw-main">
<div id="drop" class="xw-drop" tabindex="0" role="button" aria-label="选择或拖入报告文件">
  <p class="xw-big">把报告文件拖到这里，或 <label class="xw-pick">选择文件<input id="file" type="file" accept="{htmlreport.esc(accept)}"></label></p>
  <p class="xw-small">支持 {htmlreport.esc(shown)}；单个文件不超过 {_mb(max_bytes)}。</p>
</div>
<details class="xw-paste"><summary>或者粘贴报告全文</summary>
  <textarea id="text" rows="10" placeholder="把报告全文（包括标题和表格）粘贴到这里"></textarea>
  <button id="check-text" type="button">检查粘贴的文本</button>
</details>
<div id="status" class="xw-status" role="status" aria-live="polite"></div>
<div id="error" class="xw-error" role="alert" hidden></div>
<div id="results"></div>
</div>
<script>
var XXGK={config};
{htmlreport.JS}
{_PAGE_JS}
</script>
</body>
</html>
"""


_PAGE_CSS = """
.xw-drop{border:2px dashed #9aa4b2;border-radius:10px;background:#fff;padding:24px;text-align:center;margin:8px 0}
.xw-drop.xw-over{border-color:#1565c0;background:#eef5ff}
.xw-big{font-size:18px;margin:0 0 6px}
.xw-small{font-size:13px;color:#666;margin:0}
.xw-pick{color:#1565c0;text-decoration:underline;cursor:pointer}
.xw-pick input{display:none}
.xw-paste{margin:8px 0}
.xw-paste summary{cursor:pointer;color:#1565c0}
.xw-paste textarea{width:100%;font-size:14px;margin-top:6px}
.xw-paste button{margin-top:4px;font-size:14px;padding:4px 14px}
.xw-status{color:#555;min-height:1.5em;font-size:14px}
.xw-error{background:#ffe1e1;color:#8e0000;border:1px solid #e57373;border-radius:6px;padding:10px 14px;font-size:15px;margin:8px 0}
"""

_PAGE_JS = r"""
(function(){
  var drop=document.getElementById('drop'), input=document.getElementById('file');
  var status=document.getElementById('status'), error=document.getElementById('error');
  var results=document.getElementById('results');
  function showError(msg){ error.textContent=msg; error.hidden=false; status.textContent=''; }
  function send(form, name){
    error.hidden=true; results.innerHTML=''; status.textContent='正在检查“'+name+'”……';
    var started=Date.now();
    fetch('api/check',{method:'POST',body:form}).then(function(r){
      return r.json().catch(function(){ return {ok:false,error:'服务器返回了无法识别的内容（状态 '+r.status+'）'}; });
    }).then(function(data){
      if(!data.ok){ showError(data.error||'检查失败'); return; }
      results.innerHTML=data.html;
      xxgkInit(results);
      var c=data.counts;
      status.textContent='“'+data.file+'”检查完成（'+((Date.now()-started)/1000).toFixed(1)+' 秒）：错误 '+c.error+' 个，警告 '+c.warning+' 个，提示 '+c.info+' 个。';
    }).catch(function(){ showError('无法连接检查服务：请确认 xxgk-lint serve 仍在运行。'); });
  }
  function sendFile(file){
    if(!file){ return; }
    if(file.size>XXGK.maxBytes){
      showError('文件太大（'+(file.size/1048576).toFixed(1)+' MB）：上限为 '+(XXGK.maxBytes/1048576)+' MB。'); return;
    }
    var form=new FormData(); form.append('file',file,file.name); send(form,file.name);
  }
  input.addEventListener('change',function(){ sendFile(input.files[0]); input.value=''; });
  drop.addEventListener('keydown',function(ev){ if(ev.key==='Enter'||ev.key===' '){ input.click(); ev.preventDefault(); } });
  ['dragenter','dragover'].forEach(function(t){ drop.addEventListener(t,function(ev){ ev.preventDefault(); drop.classList.add('xw-over'); }); });
  ['dragleave','drop'].forEach(function(t){ drop.addEventListener(t,function(ev){ ev.preventDefault(); drop.classList.remove('xw-over'); }); });
  drop.addEventListener('drop',function(ev){
    var files=ev.dataTransfer&&ev.dataTransfer.files;
    if(files&&files.length>1){ showError('一次只能检查一个文件。'); return; }
    if(files&&files.length){ sendFile(files[0]); }
  });
  // a file dropped outside the box must not make the browser leave the page
  window.addEventListener('dragover',function(ev){ ev.preventDefault(); });
  window.addEventListener('drop',function(ev){ ev.preventDefault(); });
  document.getElementById('check-text').addEventListener('click',function(){
    var text=document.getElementById('text').value;
    if(!text.trim()){ showError('请先粘贴报告全文。'); return; }
    var form=new FormData(); form.append('text',text); send(form,'粘贴的文本');
  });
})();
"""
