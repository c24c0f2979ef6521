"""The web page itself (``xxgk-lint serve``): its words in the chosen language, the
formats it accepts in a drafter's words, its style and its script."""

from __future__ import annotations

import json

from .catalogue import ui
from .reporters import html as html_report
from .webcheck import _mb


# (catalogue word in group web, extensions)
_FORMAT_GROUPS = (("word", (".docx", ".docm")), ("pdf", (".pdf",)), ("web_page", (".html", ".htm", ".shtml")),
                  ("plain_text", (".txt", ".md", ".markdown")), ("ofd", (".ofd",)), ("odt", (".odt",)))
# the words the page's script shows, filled in there ({name} fields)
_SCRIPT_WORDS = ("checking", "bad_answer", "failed", "done", "no_service", "too_big", "annotating",
                 "annotate_failed_status", "annotate_failed", "downloaded", "one_file",
                 "paste_first", "pasted", "annotate_docx", "annotate_odt")


def _formats_words(extensions: list[str]) -> str:
    """The supported formats as a drafter reads them; the formats that need LibreOffice are
    said to need it when it is not installed (they are still accepted: the page then explains)."""
    from .readers import READERS
    from .readers.office import soffice

    from .catalogue import msg

    groups, listed = [], set()
    for name, exts in _FORMAT_GROUPS:
        found = [e for e in exts if e in extensions and READERS.get(e) != "office"]
        if found:
            groups.append(msg("web", "group", name=msg("web", name), exts=found))
            listed.update(found)
    converted = [e for e in extensions if READERS.get(e) == "office"]
    groups.extend(e for e in extensions if e not in listed and e not in converted)
    words = ui("web.formats", groups=groups)
    if converted and soffice():
        words += ui("web.converted", exts=converted)
    elif converted:
        words += ui("web.needs_conversion", exts=converted)
    return words


def _page(extensions: list[str], max_bytes: int) -> str:
    """The page in the chosen language (``XXGK_LINT_LANG``): its words, the results' and the script's."""
    from .catalogue import template
    from .diagnostics import SEVERITIES, severity_word
    from .i18n import current_language

    lang = current_language()
    esc = html_report.esc
    accept = ",".join(extensions)
    shown = _formats_words(extensions)
    words = {key: template("web", key, lang) for key in _SCRIPT_WORDS}
    words.update({s: severity_word(s) for s in SEVERITIES})
    # "</" never appears inside the script element (a word cannot close it)
    config = json.dumps({"maxBytes": max_bytes, "extensions": extensions, "words": words}).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="{'en' if lang == 'en' else 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(ui("web.title"))}</title>
<style>{html_report.css()}{_PAGE_CSS}</style>
</head>
<body>
<header class="xr-top"><h1>{esc(ui("web.title"))}</h1>
<p class="xr-note">{esc(ui("web.privacy"))}</p></header>
<div class="xw-main">
<div id="drop" class="xw-drop" tabindex="0" role="button" aria-label="{esc(ui("web.drop_label"))}">
  <p class="xw-big">{esc(ui("web.drop"))}<label class="xw-pick">{esc(ui("web.choose"))}<input id="file" type="file" accept="{esc(accept)}"></label></p>
  <p class="xw-small">{esc(ui("web.limit", formats=shown, size=_mb(max_bytes)))}</p>
</div>
<details class="xw-paste"><summary>{esc(ui("web.paste"))}</summary>
  <textarea id="text" rows="10" placeholder="{esc(ui("web.paste_placeholder"))}"></textarea>
  <button id="check-text" type="button">{esc(ui("web.check_text"))}</button>
</details>
<div id="status" class="xw-status" role="status" aria-live="polite"></div>
<p id="annotate-box" class="xw-annotate" hidden><button id="annotate" type="button">{esc(ui("web.annotate_docx"))}</button>
  <span class="xw-small">{esc(ui("web.annotate_note"))}</span></p>
<div id="error" class="xw-error" role="alert" hidden></div>
<div id="results"></div>
</div>
<script>
var XXGK={config};
{html_report.js()}
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
.xw-annotate{margin:4px 0 8px}
.xw-annotate button{font-size:14px;padding:4px 14px}
.xw-error{background:#ffe1e1;color:#8e0000;border:1px solid #e57373;border-radius:6px;padding:10px 14px;font-size:15px;margin:8px 0}
"""

_PAGE_JS = r"""
(function(){
  var drop=document.getElementById('drop'), input=document.getElementById('file');
  var status=document.getElementById('status'), error=document.getElementById('error');
  var results=document.getElementById('results');
  var annotateBox=document.getElementById('annotate-box'), annotateButton=document.getElementById('annotate');
  var lastDocx=null;
  // the page's words in its language: XXGK.words, {name} fields filled in here
  function t(key, vars){ return XXGK.words[key].replace(/\{(\w+)\}/g,function(m,k){ return vars&&k in vars?vars[k]:m; }); }
  function showError(msg){ error.textContent=msg; error.hidden=false; status.textContent=''; }
  function send(form, name, file){
    error.hidden=true; results.innerHTML=''; annotateBox.hidden=true; lastDocx=null;
    status.textContent=t('checking',{name:name});
    var started=Date.now();
    fetch('api/check',{method:'POST',body:form}).then(function(r){
      return r.json().catch(function(){ return {ok:false,error:t('bad_answer',{status:r.status})}; });
    }).then(function(data){
      if(!data.ok){ showError(data.error||t('failed')); return; }
      results.innerHTML=data.html;
      xxgkInit(results);
      if(file&&/\.(docx|odt)$/i.test(file.name)){
        lastDocx=file; annotateButton.textContent=t(/\.odt$/i.test(file.name)?'annotate_odt':'annotate_docx');
        annotateBox.hidden=false;
      }
      var c=data.counts;
      status.textContent=t('done',{file:data.file,seconds:((Date.now()-started)/1000).toFixed(1),
        error:t('error'),errors:c.error,warning:t('warning'),warnings:c.warning,info:t('info'),infos:c.info});
    }).catch(function(){ showError(t('no_service')); });
  }
  function sendFile(file){
    if(!file){ return; }
    if(file.size>XXGK.maxBytes){
      showError(t('too_big',{size:(file.size/1048576).toFixed(1),limit:XXGK.maxBytes/1048576})); return;
    }
    var form=new FormData(); form.append('file',file,file.name); send(form,file.name,file);
  }
  annotateButton.addEventListener('click',function(){
    var file=lastDocx; if(!file){ return; }
    var form=new FormData(); form.append('file',file,file.name);
    annotateButton.disabled=true; status.textContent=t('annotating',{name:file.name});
    fetch('api/annotate',{method:'POST',body:form}).then(function(r){
      if(!r.ok){ return r.json().catch(function(){ return {error:t('annotate_failed_status',{status:r.status})}; }).then(function(d){ throw new Error(d.error||t('annotate_failed')); }); }
      return r.blob().then(function(blob){
        var link=document.createElement('a');
        link.href=URL.createObjectURL(blob);
        var ext=/\.odt$/i.test(file.name)?'.odt':'.docx';
        // the server's name: the comments in the file are Chinese
        link.download=file.name.replace(/\.(docx|odt)$/i,'')+'-检查意见'+ext;
        document.body.appendChild(link); link.click(); link.remove();
        setTimeout(function(){ URL.revokeObjectURL(link.href); },60000);
        status.textContent=t('downloaded',{name:link.download});
      });
    }).catch(function(e){ showError(e&&e.message?e.message:t('no_service')); })
      .then(function(){ annotateButton.disabled=false; });
  });
  input.addEventListener('change',function(){ sendFile(input.files[0]); input.value=''; });
  drop.addEventListener('keydown',function(ev){ if(ev.key==='Enter'||ev.key===' '){ input.click(); ev.preventDefault(); } });
  ['dragenter','dragover'].forEach(function(t){ drop.addEventListener(t,function(ev){ ev.preventDefault(); drop.classList.add('xw-over'); }); });
  ['dragleave','drop'].forEach(function(t){ drop.addEventListener(t,function(ev){ ev.preventDefault(); drop.classList.remove('xw-over'); }); });
  drop.addEventListener('drop',function(ev){
    var files=ev.dataTransfer&&ev.dataTransfer.files;
    if(files&&files.length>1){ showError(t('one_file')); return; }
    if(files&&files.length){ sendFile(files[0]); }
  });
  // a file dropped outside the box must not make the browser leave the page
  window.addEventListener('dragover',function(ev){ ev.preventDefault(); });
  window.addEventListener('drop',function(ev){ ev.preventDefault(); });
  document.getElementById('check-text').addEventListener('click',function(){
    var text=document.getElementById('text').value;
    if(!text.trim()){ showError(t('paste_first')); return; }
    var form=new FormData(); form.append('text',text); send(form,t('pasted'));
  });
})();
"""
