function xxgkInit(root){
  root.querySelectorAll('.xr-file').forEach(function(file){
    if(file.dataset.ready){return;}
    file.dataset.ready='1';
    var boxes=file.querySelectorAll('.xr-filters input');
    function apply(){
      var sev={},fam={};
      boxes.forEach(function(b){ if(b.checked){ (b.dataset.filter==='sev'?sev:fam)[b.value]=true; } });
      var shown={};
      file.querySelectorAll('.xr-ann, .xr-idx').forEach(function(a){
        var on=!!(sev[a.dataset.sev]&&fam[a.dataset.fam]);
        a.hidden=!on; if(on){shown[a.dataset.f]=true;}
      });
      file.querySelectorAll('[data-f]:not(.xr-ann):not(.xr-idx)').forEach(function(m){
        var on=m.dataset.f.split(' ').some(function(f){return shown[f];});
        m.classList.toggle('xr-off',!on);
      });
    }
    boxes.forEach(function(b){b.addEventListener('change',apply);});
    function go(el){
      var ids=el.dataset.f.split(' ');
      for(var i=0;i<ids.length;i++){
        var a=file.querySelector('#'+CSS.escape(ids[i]));
        if(a&&!a.hidden){
          a.scrollIntoView({behavior:'smooth',block:'center'});
          a.classList.add('xr-flash'); setTimeout(function(){a.classList.remove('xr-flash');},1200);
          return;
        }
      }
    }
    file.addEventListener('click',function(ev){
      var el=ev.target.closest('[data-f]');
      if(el&&el.matches('mark,td,tr')&&!el.classList.contains('xr-off')){go(el);}
    });
    file.addEventListener('keydown',function(ev){
      var el=ev.target.closest('[data-f]');
      if(el&&ev.key==='Enter'&&el.matches('mark,td,tr')){go(el);}
    });
    apply();
  });
}
