// cinesub review page: plain JS, no framework, no external file. The server puts this in review.html
// with window.CINESUB_BOOT = {mode: "live", token} (the review server: GET /api/job, POST /api/check,
// /api/save, /api/mux) or {mode: "static", data: <the job document>} (a read-only report).
(function () {
  'use strict';

  const T0 = performance.now();
  const BOOT = window.CINESUB_BOOT || { mode: 'static', data: null };
  const LIVE = BOOT.mode === 'live';
  const TOKEN = LIVE ? String(BOOT.token || '') : '';
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- state
  const S = {
    doc: null,
    fps: 25,
    duration: 1,
    offset: 0,            // media time = cue time + offset
    tracks: [],           // {lang, name, script, file, profile, cues, saved, trackViol, maxDur, col, list, head, vbox, active}
    byLang: Object.create(null),
    chosen: null,         // the track shown over the video and used by the keys
    sel: null,            // {lang, i}
    undo: [],
    redo: [],
    breakCoalesce: false,
    revision: 0,
    revisions: [],
    names: {},
    guesses: {},
    colors: Object.create(null),
    labels: [],
    turns: [], speech: [], songs: [],
    turnsMax: 0, speechMax: 0, songsMax: 0,
    waveform: { rate: 20, peaks: [] },
    view: { start: 0, pps: 20 },
    checkPending: new Set(),
    checkTimer: 0,
    saving: false,
    muxing: false,
    caret: null,          // {lang, i, pos}: where the text cursor was last in the textarea
    drag: null,
    overlayCue: undefined,
    timing: {},
  };
  const VIOL = new WeakMap();  // cue object → its violations (cues are never mutated: an edit makes a new object)
  const MAX_UNDO = 1000;

  // ---------------------------------------------------------------- helpers
  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"']/g, (ch) => ESC[ch]); }
  function pad(n, w) { return String(n).padStart(w, '0'); }
  function fmt(t) {
    if (!isFinite(t)) t = 0;
    const ms = Math.round(Math.max(0, t) * 1000);
    const h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, s = Math.floor(ms / 1000) % 60;
    return pad(h, 2) + ':' + pad(m, 2) + ':' + pad(s, 2) + '.' + pad(ms % 1000, 3);
  }
  function fmtShort(t) {
    const s = Math.max(0, Math.round(t));
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return (h ? h + ':' + pad(m, 2) : String(m)) + ':' + pad(s % 60, 2);
  }
  function ms(t) { return Math.round(t * 1000) / 1000; }
  function frame() { return 1 / S.fps; }
  function snap(t) { return ms(Math.round(t * S.fps) / S.fps); }
  function clamp(x, a, b) { return x < a ? a : x > b ? b : x; }
  // First index whose .start >= t (arrays sorted by start).
  function lowerBound(arr, t) {
    let lo = 0, hi = arr.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid].start < t) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function maxDuration(arr) { let m = 0; for (const x of arr) if (x.end - x.start > m) m = x.end - x.start; return m; }
  // Index of the item that holds time t (the latest-starting one), -1 when none.
  function findAt(arr, t, maxDur) {
    for (let j = lowerBound(arr, t + 1e-9) - 1; j >= 0 && arr[j].start >= t - maxDur - 1e-9; --j)
      if (arr[j].end > t) return j;
    return -1;
  }
  function sortedByStart(arr) {
    return (Array.isArray(arr) ? arr : []).filter((x) => x && isFinite(x.start) && isFinite(x.end))
      .slice().sort((a, b) => a.start - b.start);
  }
  function isDeva(tr) { return tr.script === 'Deva'; }
  function speakerName(label) {
    if (!label) return '';
    if (S.names[label]) return S.names[label];
    if (S.guesses[label]) return S.guesses[label] + '?';
    return label;
  }
  function speakerColor(label) { return S.colors[label] || '#8892a6'; }
  const PALETTE = ['#f28e2b', '#59a14f', '#6a9fd4', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#c49c7a', '#bab0ac',
                   '#8cd17d', '#f1ce63'];

  function status(msg, kind) {
    const el = $('status');
    el.textContent = msg;
    el.className = kind || '';
  }

  // ---------------------------------------------------------------- HTTP
  async function api(method, path, body) {
    const opts = { method, headers: {}, cache: 'no-store' };
    let url = path;
    if (method === 'GET') {
      url += (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(TOKEN);
    } else {
      opts.headers['X-Cinesub-Token'] = TOKEN;
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body || {});
    }
    let r;
    try { r = await fetch(url, opts); } catch (e) { const err = new Error('the review server does not answer (' + e.message + ')'); err.status = 0; throw err; }
    let j = null;
    try { j = await r.json(); } catch (e) { j = null; }
    if (!r.ok) {
      const err = new Error((j && j.error) || 'HTTP ' + r.status);
      err.status = r.status;
      throw err;
    }
    return j;
  }

  // ---------------------------------------------------------------- the clock (the video, or a virtual one)
  const video = $('video');
  const clock = {
    media: false,
    vt: 0, vplaying: false, vbase: 0,
    now() {
      if (this.media) return video.currentTime - S.offset;
      return this.vplaying ? Math.min(S.duration, this.vt + (performance.now() - this.vbase) / 1000) : this.vt;
    },
    paused() { return this.media ? video.paused : !this.vplaying; },
    seek(t) {
      t = clamp(t, 0, S.duration);
      if (this.media) {
        try { video.currentTime = t + S.offset; } catch (e) { /* not seekable yet */ }
      } else {
        this.vt = t;
        this.vbase = performance.now();
      }
      onTime();
    },
    toggle() {
      if (this.media) {
        if (video.paused) { const p = video.play(); if (p && p.catch) p.catch((e) => status('Cannot play: ' + e.message, 'error')); } else video.pause();
      } else {
        if (this.vplaying) { this.vt = this.now(); this.vplaying = false; } else {
          if (this.vt >= S.duration) this.vt = 0;
          this.vbase = performance.now(); this.vplaying = true; startLoop();
        }
        playButton();
        onTime();
      }
    },
  };
  function playButton() {
    const b = $('play');
    const paused = clock.paused();
    b.textContent = paused ? '▶' : '❚❚';
    b.setAttribute('aria-label', paused ? 'Play (Space)' : 'Pause (Space)');
  }
  let looping = false;
  function loop() {
    if (clock.paused()) { looping = false; onTime(); playButton(); return; }
    if (!clock.media && clock.now() >= S.duration) { clock.vt = S.duration; clock.vplaying = false; }
    onTime();
    requestAnimationFrame(loop);
  }
  function startLoop() { if (!looping) { looping = true; requestAnimationFrame(loop); } }

  // ---------------------------------------------------------------- load
  function init(doc) {
    S.doc = doc;
    S.fps = doc.fps > 0 ? Number(doc.fps) : 25;
    S.revision = doc.revision | 0;
    S.revisions = Array.isArray(doc.revisions) ? doc.revisions.slice() : [];
    const media = doc.media || {};
    S.offset = Number(media.offset) || 0;
    const sp = doc.speakers || {};
    S.names = sp.names || {};
    S.guesses = sp.guesses || {};
    S.turns = sortedByStart(sp.turns);
    S.speech = sortedByStart(doc.speech);
    S.songs = sortedByStart(doc.songs);
    S.turnsMax = maxDuration(S.turns);
    S.speechMax = maxDuration(S.speech);
    S.songsMax = maxDuration(S.songs);
    const wf = doc.waveform || {};
    S.waveform = { rate: wf.rate > 0 ? wf.rate : 20, peaks: Array.isArray(wf.peaks) ? wf.peaks : [] };

    let end = Number(doc.duration) || 0;
    const labels = new Set();
    for (const t of doc.tracks || []) {
      const cues = Array.isArray(t.cues) ? t.cues : [];
      const tr = {
        lang: String(t.lang), name: t.name || t.lang, script: t.script || (t.lang === 'hi' ? 'Deva' : 'Latn'),
        file: t.file || '', profile: t.profile || {}, cues, saved: cues, trackViol: [], maxDur: maxDuration(cues),
        col: null, list: null, head: null, vbox: null, active: -1, followed: -1,
      };
      setViolations(tr, cues, t.violations || []);
      for (const c of cues) { if (c.end > end) end = c.end; if (c.speaker) labels.add(c.speaker); }
      S.tracks.push(tr);
      S.byLang[tr.lang] = tr;
    }
    if (S.waveform.peaks.length) end = Math.max(end, S.waveform.peaks.length / S.waveform.rate);
    S.duration = Math.max(end, 1);
    for (const k of Object.keys(S.names)) labels.add(k);
    for (const k of Object.keys(S.guesses)) labels.add(k);
    for (const t of S.turns) if (t.speaker) labels.add(t.speaker);
    S.labels = [...labels].sort();
    S.labels.forEach((l, i) => { S.colors[l] = PALETTE[i % PALETTE.length]; });
    S.chosen = S.tracks.length ? S.tracks[0].lang : null;

    // Media.
    if (media.url) {
      clock.media = true;
      video.src = media.url;
      if (media.video === false) {
        video.classList.add('audio');
        const nv = $('novideo');
        nv.hidden = false;
        nv.textContent = 'Audio only';
      }
    } else {
      video.hidden = true;
      const nv = $('novideo');
      nv.hidden = false;
      nv.textContent = media.preparing ? 'The preview of the film is being prepared: reload the page in a moment.'
        : LIVE ? 'No playable media for this job (the timeline and the cues still work).'
          : 'This report has no video: the timeline and the cues still work.';
    }
    if (media.preparing && LIVE) pollMedia();
  }
  // While the server makes a playable preview, ask for the job again now and then and take the
  // media from it when it is there (the cues in the page are left as they are).
  function pollMedia() {
    setTimeout(async () => {
      try {
        const doc = await api('GET', '/api/job');
        const m = doc.media || {};
        if (m.url && !clock.media) {
          S.offset = Number(m.offset) || 0;
          clock.media = true;
          video.hidden = false;
          $('novideo').hidden = m.video !== false;
          video.src = m.url;
          status('The preview of the film is ready.', 'ok');
          onTime();
          return;
        }
        if (m.preparing) pollMedia();
      } catch (e) { pollMedia(); }
    }, 8000);
  }

  // Violations of `cues` (1-based "cue") onto the cue objects.
  function setViolations(tr, cues, violations) {
    for (const c of cues) VIOL.set(c, []);
    const rest = [];
    for (const v of violations) {
      const c = cues[(v.cue | 0) - 1];
      if (c) VIOL.get(c).push(v); else rest.push(v);
    }
    tr.trackViol = rest;
  }

  // ---------------------------------------------------------------- cue list
  function normWord(s) { return String(s).toLowerCase().replace(/[\s.,!?;:"'“”‘’«»()[\]{}…।॥\-–—¿¡]/g, ''); }
  // The cue's words in order, for marking the low-confidence ones in its text (null when none is low).
  function lowWords(c) {
    const words = c.words;
    if (!words || !words.length) return null;
    let any = false;
    const list = words.map((w) => {
      const p = w.p != null ? w.p : w.probability;
      if (p != null && p < 0.5) any = true;
      return { n: normWord(w.text), p };
    });
    return any ? { list, at: 0 } : null;
  }
  // A line's tokens matched in order against the words (a few ahead at most), so that only the
  // occurrence the recogniser was unsure of is marked.
  function lineHTML(line, cur) {
    if (!cur) return esc(line);
    let out = '';
    for (const tok of line.split(/(\s+)/)) {
      if (!tok.trim()) { out += esc(tok); continue; }
      const n = normWord(tok);
      let p = null;
      if (n) {
        for (let j = cur.at; j < Math.min(cur.list.length, cur.at + 4); ++j)
          if (cur.list[j].n === n) { p = cur.list[j].p; cur.at = j + 1; break; }
      }
      out += p != null && p < 0.5 ? '<mark class="low" title="low confidence (p=' + p.toFixed(2) + ')">' + esc(tok) + '</mark>' : esc(tok);
    }
    return out;
  }
  function violHTML(vs) {
    if (!vs || !vs.length) return '';
    let out = '<ul class="violations">';
    for (const v of vs)
      out += '<li class="violation' + (v.hard ? ' hard' : '') + (v.stale ? ' stale' : '') + '" data-rule="' + esc(v.rule) + '">' +
        '<b>' + esc(v.rule) + '</b>' + esc(v.message) + '</li>';
    return out + '</ul>';
  }
  function speakerHTML(label) {
    if (!label) return '';
    const guess = !S.names[label] && S.guesses[label];
    return '<span class="sp' + (guess ? ' guess' : '') + '" style="background:' + speakerColor(label) + '" title="' +
      esc(label + (guess ? ' (a guess: ' + S.guesses[label] + ')' : '')) + '">' + esc(speakerName(label)) + '</span>';
  }
  // The cue's speaker, or each line's when a dialogue cue has several.
  function cueSpeakersHTML(c) {
    const ls = c.line_speakers;
    if (Array.isArray(ls) && ls.length > 1) {
      const distinct = [...new Set(ls.filter(Boolean))];
      if (distinct.length > 1) return distinct.map(speakerHTML).join('');
    }
    return speakerHTML(c.speaker);
  }
  function cueHTML(tr, i) {
    const c = tr.cues[i];
    const vs = VIOL.get(c);
    let cls = 'cue';
    if (vs && vs.length) cls += vs.some((v) => v.hard) ? ' hard' : ' soft';
    if (S.sel && S.sel.lang === tr.lang && S.sel.i === i) cls += ' sel';
    if (tr.active === i) cls += ' active';
    const low = lowWords(c);
    let text = '';
    for (const l of c.lines || []) text += '<span class="l">' + lineHTML(l, low) + '</span>';
    return '<div class="' + cls + '" role="listitem" data-track="' + esc(tr.lang) + '" data-index="' + i + '">' +
      '<div class="h"><span class="n">' + (i + 1) + '</span><span class="tm">' + fmt(c.start) + ' → ' + fmt(c.end) + '</span>' +
      cueSpeakersHTML(c) + (c.song ? '<span class="sg" title="sung">♪</span>' : '') + '</div>' +
      '<div class="x' + (isDeva(tr) ? ' deva' : '') + '" lang="' + esc(tr.lang) + '">' + text + '</div>' + violHTML(vs) + '</div>';
  }
  function buildColumns() {
    const box = $('lists');
    box.textContent = '';
    for (const tr of S.tracks) {
      const col = document.createElement('div');
      col.className = 'track-col';
      col.dataset.track = tr.lang;
      const head = document.createElement('div');
      head.className = 'col-head';
      const vbox = document.createElement('div');
      vbox.className = 'track-vs';
      const list = document.createElement('div');
      list.className = 'cues';
      list.tabIndex = 0;
      list.setAttribute('role', 'list');
      list.setAttribute('aria-label', tr.name + ' cues');
      col.append(head, vbox, list);
      box.append(col);
      tr.col = col; tr.list = list; tr.head = head; tr.vbox = vbox;
      list.addEventListener('click', (e) => {
        const el = e.target.closest('.cue');
        if (!el) return;
        select(tr.lang, Number(el.dataset.index), { seek: true });
      });
      renderColumn(tr);
    }
    markChosen();
  }
  function renderColumn(tr) {
    const parts = new Array(tr.cues.length);
    for (let i = 0; i < tr.cues.length; ++i) parts[i] = cueHTML(tr, i);
    tr.list.innerHTML = parts.length ? parts.join('') : '<p class="muted empty">No cues in this track.</p>';
    renderHead(tr);
  }
  function renderHead(tr) {
    let hard = 0, soft = 0;
    for (const c of tr.cues) { const vs = VIOL.get(c); if (vs) for (const v of vs) { if (v.hard) ++hard; else ++soft; } }
    for (const v of tr.trackViol) { if (v.hard) ++hard; else ++soft; }
    const p = tr.profile || {};
    tr.head.innerHTML = '<b>' + esc(tr.name) + '</b><span class="muted">' + esc(tr.lang) + ' · ' + tr.cues.length + ' cues' +
      (p.name ? ' · ' + esc(p.name) + (p.max_cpl ? ' (' + p.max_cpl + ' cpl)' : '') : '') + '</span>' +
      '<span class="sum">' + (hard ? '<span class="h">' + hard + ' hard</span> ' : '') + (soft ? '<span class="s">' + soft + ' soft</span>' : '') +
      (!hard && !soft ? '<span class="ok">no style problems</span>' : '') + '</span>' +
      (tr.cues !== tr.saved ? '<span class="dirty" title="unsaved changes">●</span>' : '');
    tr.vbox.innerHTML = violHTML(tr.trackViol);
    tr.vbox.hidden = !tr.trackViol.length;
  }
  function cueEl(tr, i) { return i >= 0 && i < tr.cues.length && tr.list ? tr.list.children[i] || null : null; }
  function refreshCue(tr, i) {
    const el = cueEl(tr, i);
    if (el) el.outerHTML = cueHTML(tr, i);
  }
  function markChosen() {
    for (const tr of S.tracks) if (tr.col) tr.col.classList.toggle('chosen', tr.lang === S.chosen);
  }

  // ---------------------------------------------------------------- side panels
  function renderPanels() {
    const doc = S.doc;
    const removed = Array.isArray(doc.removed) ? doc.removed : [];
    $('removed-count').textContent = '(' + removed.length + ')';
    $('removed').innerHTML = removed.map((r) =>
      '<li data-t="' + (Number(r.start) || 0) + '" tabindex="0"><span class="t">' + fmt(r.start) + '</span><b>' + esc(r.track) + '</b> “' +
      esc(r.text) + '”<span class="why">' + esc(r.reason) + (r.action ? ' · ' + esc(r.action) : '') + '</span>' +
      (r.detail ? ' <span class="muted">' + esc(r.detail) + '</span>' : '') + '</li>').join('') || '<li class="muted">nothing removed</li>';
    const cor = Array.isArray(doc.corrections) ? doc.corrections : [];
    $('corrections-count').textContent = '(' + cor.length + ')';
    $('corrections').innerHTML = cor.map((c) =>
      '<li data-t="' + (Number(c.start) || 0) + '" tabindex="0"><span class="t">' + fmt(c.start) + '</span><b>' + esc(c.track) + '</b> <del>' +
      esc(c.from) + '</del> → <ins>' + esc(c.to) + '</ins></li>').join('') || '<li class="muted">no corrections</li>';
    renderRevisions();
    const seekItem = (e) => { const li = e.target.closest('li[data-t]'); if (li) clock.seek(Number(li.dataset.t)); };
    for (const id of ['removed', 'corrections']) {
      $(id).addEventListener('click', seekItem);
      $(id).addEventListener('keydown', (e) => { if (e.key === 'Enter') seekItem(e); });
    }
    // The legend: one chip per speaker.
    $('legend').innerHTML = S.labels.map((l) =>
      '<span><i style="background:' + speakerColor(l) + '"></i>' + esc(speakerName(l)) + '</span>').join('') +
      (S.songs.length ? '<span>♪ song/music</span>' : '');
  }
  function renderRevisions() {
    $('revision').textContent = S.revision ? 'revision ' + S.revision : "machine's output";
    $('revisions-count').textContent = '(' + S.revisions.length + ')';
    $('revisions').innerHTML = S.revisions.slice().reverse().map((r) =>
      '<li><b>' + esc(r.number) + '</b> <span class="t">' + esc(r.time) + '</span>' + esc((r.tracks || []).join(', ')) + '</li>').join('') ||
      '<li class="muted">none saved yet</li>';
  }

  // ---------------------------------------------------------------- track chooser, overlay, editor
  function buildChooser() {
    const sel = $('track');
    sel.innerHTML = S.tracks.map((t) => '<option value="' + esc(t.lang) + '">' + esc(t.name) + ' (' + esc(t.lang) + ')</option>').join('');
    sel.value = S.chosen || '';
    sel.addEventListener('change', () => choose(sel.value));
    const sp = $('speaker');
    sp.innerHTML = '<option value="">(none)</option>' + S.labels.map((l) =>
      '<option value="' + esc(l) + '">' + esc(l) + (speakerName(l) !== l ? ' — ' + esc(speakerName(l)) : '') + '</option>').join('');
  }
  function choose(lang) {
    if (!S.byLang[lang]) return;
    S.chosen = lang;
    $('track').value = lang;
    markChosen();
    S.overlayCue = undefined;
    onTime();
  }
  function renderOverlay(t) {
    const tr = S.byLang[S.chosen];
    const ov = $('overlay');
    const i = tr ? findAt(tr.cues, t, tr.maxDur) : -1;
    const c = i >= 0 ? tr.cues[i] : null;
    if (c === S.overlayCue) return;
    S.overlayCue = c;
    if (!c) { ov.innerHTML = ''; return; }
    ov.className = (isDeva(tr) ? 'deva' : '') + (c.song ? ' song' : '');
    ov.setAttribute('lang', tr.lang);
    ov.innerHTML = (c.lines || []).map((l) => '<span class="ol">' + esc(l) + '</span>').join('<br>');
  }
  function selTrack() { return S.sel ? S.byLang[S.sel.lang] : null; }
  function selCue() { const tr = selTrack(); return tr ? tr.cues[S.sel.i] : null; }

  function fillEditor(keepText) {
    const tr = selTrack();
    const c = selCue();
    const ta = $('cue-text');
    const on = !!c && LIVE;
    for (const id of ['start-minus', 'start-plus', 'end-minus', 'end-plus', 'split', 'speaker'])
      $(id).disabled = !on;
    $('merge').disabled = !on || S.sel.i >= tr.cues.length - 1;
    ta.disabled = !on;
    if (!c) {
      $('sel-title').textContent = 'No cue selected';
      $('sel-times').textContent = 'click a cue in the list or the timeline';
      if (!keepText) ta.value = '';
      $('sel-static').textContent = '';
      $('sel-violations').innerHTML = '';
      return;
    }
    const d = c.end - c.start;
    const chars = (c.lines || []).join('').length;
    $('sel-title').textContent = tr.name + ' · cue ' + (S.sel.i + 1) + ' of ' + tr.cues.length;
    $('sel-times').textContent = fmt(c.start) + ' → ' + fmt(c.end) + '  (' + d.toFixed(3) + ' s, ' +
      (d > 0 ? (chars / d).toFixed(1) : '–') + ' cps)';
    ta.classList.toggle('deva', isDeva(tr));
    ta.setAttribute('lang', tr.lang);
    if (!keepText) ta.value = (c.lines || []).join('\n');
    $('sel-static').textContent = (c.lines || []).join('\n');
    $('sel-static').className = 'static-only sel-text' + (isDeva(tr) ? ' deva' : '');
    const sp = $('speaker');
    if (c.speaker && ![...sp.options].some((o) => o.value === c.speaker)) {
      const o = document.createElement('option'); o.value = c.speaker; o.textContent = c.speaker; sp.append(o);
    }
    sp.value = c.speaker || '';
    const vs = VIOL.get(c) || [];
    $('sel-violations').innerHTML = vs.map((v) => '<li class="violation' + (v.hard ? ' hard' : '') + (v.stale ? ' stale' : '') +
      '" data-rule="' + esc(v.rule) + '"><b>' + esc(v.rule) + '</b>' + esc(v.message) + '</li>').join('');
  }

  function select(lang, i, opts) {
    opts = opts || {};
    const tr = S.byLang[lang];
    if (!tr || i < 0 || i >= tr.cues.length) return;
    const old = S.sel;
    if (old && !(old.lang === lang && old.i === i)) {
      const otr = S.byLang[old.lang];
      const el = otr && cueEl(otr, old.i);
      if (el) el.classList.remove('sel');
      S.breakCoalesce = true;
    }
    S.sel = { lang, i };
    const el = cueEl(tr, i);
    if (el) {
      el.classList.add('sel');
      if (opts.scroll !== false) el.scrollIntoView({ block: 'nearest' });
    }
    if (S.chosen !== lang) choose(lang);
    fillEditor(false);
    const c = tr.cues[i];
    if (opts.seek) clock.seek(c.start);
    if (opts.reveal !== false) revealTime(c.start, c.end);
    scheduleDraw();
  }
  function step(d) {
    const tr = S.byLang[S.chosen];
    if (!tr || !tr.cues.length) return;
    let i;
    if (S.sel && S.sel.lang === tr.lang) i = S.sel.i + d;
    else {
      const t = clock.now();
      const at = findAt(tr.cues, t, tr.maxDur);
      i = at >= 0 ? at + (d > 0 ? 1 : 0) : lowerBound(tr.cues, t) - (d < 0 ? 1 : 0);
    }
    select(tr.lang, clamp(i, 0, tr.cues.length - 1), { seek: true });
  }

  // ---------------------------------------------------------------- editing (live mode)
  function textToLines(value) {
    return value.replace(/\r/g, '').split('\n')
      .map((l) => l.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim())
      .filter((l) => l !== '');
  }
  function sameLines(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; ++i) if (a[i] !== b[i]) return false;
    return true;
  }
  function staleCopy(vs) { return (vs || []).map((v) => (v.stale ? v : Object.assign({}, v, { stale: true }))); }

  // Puts `cues` in force for the track: the list (the changed cues, or all of it when the count
  // changed), the timeline, the editor, the dirty mark, and a style check.
  function applyCues(tr, cues, selIndex, keepText) {
    const before = tr.cues;
    tr.cues = cues;
    tr.maxDur = maxDuration(cues);
    tr.active = -1;
    if (selIndex != null && selIndex >= 0 && selIndex < cues.length) S.sel = { lang: tr.lang, i: selIndex };
    else if (S.sel && S.sel.lang === tr.lang && S.sel.i >= cues.length) S.sel = cues.length ? { lang: tr.lang, i: cues.length - 1 } : null;
    if (before.length !== cues.length) {
      const top = tr.list.scrollTop;
      renderColumn(tr);
      tr.list.scrollTop = top;
    } else {
      for (let i = 0; i < cues.length; ++i) if (before[i] !== cues[i]) refreshCue(tr, i);
      // The selection mark may have moved.
      for (const el of tr.list.querySelectorAll('.cue.sel')) el.classList.remove('sel');
      renderHead(tr);
    }
    if (S.sel && S.sel.lang === tr.lang) { const el = cueEl(tr, S.sel.i); if (el) el.classList.add('sel'); }
    fillEditor(keepText);
    updateDirty();
    scheduleCheck(tr);
    S.overlayCue = undefined;
    onTime();
  }
  // One edit: an undo step (typing into one cue within 1.5 s is one step), then applyCues.
  function commit(tr, cues, selIndex, key, keepText) {
    const now = performance.now();
    const last = S.undo[S.undo.length - 1];
    const selBefore = S.sel && S.sel.lang === tr.lang ? S.sel.i : selIndex;
    if (key && last && !S.breakCoalesce && last.key === key && last.lang === tr.lang && now - last.time < 1500) {
      last.after = cues; last.selAfter = selIndex; last.time = now;
    } else {
      S.undo.push({ lang: tr.lang, before: tr.cues, after: cues, selBefore, selAfter: selIndex, key, time: now });
      if (S.undo.length > MAX_UNDO) S.undo.shift();
    }
    S.breakCoalesce = false;
    S.redo.length = 0;
    applyCues(tr, cues, selIndex, keepText);
  }
  function undo() {
    const e = S.undo.pop();
    if (!e) { status('Nothing to undo'); return; }
    S.redo.push(e);
    S.breakCoalesce = true;
    applyCues(S.byLang[e.lang], e.before, e.selBefore, false);
    status('Undone');
  }
  function redo() {
    const e = S.redo.pop();
    if (!e) { status('Nothing to redo'); return; }
    S.undo.push(e);
    S.breakCoalesce = true;
    applyCues(S.byLang[e.lang], e.after, e.selAfter, false);
    status('Redone');
  }
  function replaceCue(tr, i, nc, key, keepText, violFrom) {
    const arr = tr.cues.slice();
    arr[i] = nc;
    VIOL.set(nc, staleCopy(VIOL.get(violFrom || tr.cues[i])));
    commit(tr, arr, i, key, keepText);
  }

  function onTextInput() {
    const tr = selTrack();
    if (!tr || !LIVE) return;
    const i = S.sel.i;
    const c = tr.cues[i];
    const ta = $('cue-text');
    rememberCaret();
    const lines = textToLines(ta.value);
    if (sameLines(lines, c.lines || [])) return;
    const nc = Object.assign({}, c, { lines });
    if (Array.isArray(c.line_speakers) && c.line_speakers.length > lines.length) nc.line_speakers = c.line_speakers.slice(0, lines.length);
    replaceCue(tr, i, nc, 'text:' + tr.lang + ':' + i, true);
  }
  function rememberCaret() {
    const ta = $('cue-text');
    if (S.sel) S.caret = { lang: S.sel.lang, i: S.sel.i, pos: ta.selectionStart, value: ta.value };
  }

  // New times for cue i, within what a saved track may hold: start ≥ 0, end ≥ start + 1 frame, the
  // starts in order. Returns an error message or ''.
  function timesProblem(tr, i, start, end) {
    const cues = tr.cues;
    if (!(start >= 0)) return 'a cue cannot start before 0';
    if (!(end - start >= frame() - 1e-6)) return 'a cue must last at least one frame';
    if (i > 0 && start < cues[i - 1].start) return 'a cue cannot start before the previous one starts';
    if (i + 1 < cues.length && start > cues[i + 1].start) return 'a cue cannot start after the next one starts';
    if (end > S.duration + 10) return 'a cue cannot end past the end of the film';
    return '';
  }
  function setTimes(tr, i, start, end, key) {
    start = ms(start); end = ms(end);
    const c = tr.cues[i];
    if (start === c.start && end === c.end) return false;
    const why = timesProblem(tr, i, start, end);
    if (why) { status('Not changed: ' + why, 'error'); return false; }
    replaceCue(tr, i, Object.assign({}, c, { start, end }), key, false);
    return true;
  }
  function nudge(edge, d) {
    const tr = selTrack();
    if (!tr || !LIVE) return;
    const c = tr.cues[S.sel.i];
    const f = frame();
    const base = edge === 'start' ? c.start : c.end;
    const snapped = snap(base);
    const t = Math.abs(snapped - base) > 0.0015 ? (d > 0 ? snap(Math.ceil(base * S.fps - 1e-6) / S.fps) : snap(Math.floor(base * S.fps + 1e-6) / S.fps))
      : snap(snapped + d * f);
    if (edge === 'start') setTimes(tr, S.sel.i, t, c.end, null); else setTimes(tr, S.sel.i, c.start, t, null);
  }

  function splitCue() {
    const tr = selTrack();
    if (!tr || !LIVE) return;
    const i = S.sel.i;
    const c = tr.cues[i];
    const lines = c.lines || [];
    let a = null, b = null, atLine = -1;
    const ta = $('cue-text');
    const caret = S.caret && S.caret.lang === tr.lang && S.caret.i === i && S.caret.value === ta.value ? S.caret.pos : null;
    if (caret != null && caret > 0 && caret < ta.value.length) {
      a = textToLines(ta.value.slice(0, caret));
      b = textToLines(ta.value.slice(caret));
      if (!a.length || !b.length) a = b = null;
      else if (ta.value[caret - 1] === '\n' || ta.value[caret] === '\n') atLine = a.length;
    }
    if (!a) {
      if (lines.length >= 2) {
        // Between the lines, at the boundary nearest the middle of the text.
        const total = lines.join('').length;
        let acc = 0, best = 1, bestD = Infinity;
        for (let k = 1; k < lines.length; ++k) { acc += lines[k - 1].length; const dd = Math.abs(acc - total / 2); if (dd < bestD) { bestD = dd; best = k; } }
        a = lines.slice(0, best); b = lines.slice(best); atLine = best;
      } else {
        const toks = (lines[0] || '').split(/\s+/).filter(Boolean);
        if (toks.length < 2) { status('Not split: the cue has fewer than two words', 'error'); return; }
        const total = toks.join(' ').length;
        let acc = 0, k = 1, bestD = Infinity;
        for (let j = 1; j < toks.length; ++j) { acc += toks[j - 1].length + 1; const dd = Math.abs(acc - total / 2); if (dd < bestD) { bestD = dd; k = j; } }
        a = [toks.slice(0, k).join(' ')]; b = [toks.slice(k).join(' ')];
      }
    }
    const charsA = a.join(' ').length, charsB = b.join(' ').length;
    const ratio = charsA / Math.max(1, charsA + charsB);
    const words = Array.isArray(c.words) ? c.words : [];
    let t, wa = [], wb = [];
    if (words.length >= 2) {
      const nA = a.join(' ').split(/\s+/).filter(Boolean).length;
      const nAll = nA + b.join(' ').split(/\s+/).filter(Boolean).length;
      let k;
      if (nAll === words.length) k = nA;
      else {
        const tot = words.reduce((s, w) => s + String(w.text || '').trim().length, 0) || 1;
        let acc = 0; k = words.length - 1;
        for (let j = 0; j < words.length; ++j) { if (acc / tot >= ratio - 1e-9) { k = j; break; } acc += String(words[j].text || '').trim().length; }
      }
      k = clamp(k, 1, words.length - 1);
      wa = words.slice(0, k); wb = words.slice(k);
      t = Number(words[k].start);
      if (!(t > c.start && t < c.end)) t = c.start + (c.end - c.start) * ratio;
    } else {
      t = c.start + (c.end - c.start) * ratio;
    }
    const f = frame();
    t = snap(t);
    if (c.end - c.start < 2 * f - 1e-6) { status('Not split: the cue is shorter than two frames', 'error'); return; }
    t = clamp(t, snap(c.start + f) > c.end - f ? c.start + f : snap(c.start + f), c.end - f);
    t = ms(t);
    const ls = Array.isArray(c.line_speakers) ? c.line_speakers : [];
    const splitLs = atLine > 0 && ls.length === lines.length;
    const first = Object.assign({}, c, { lines: a, end: t, words: wa, line_speakers: splitLs ? ls.slice(0, atLine) : [] });
    const second = Object.assign({}, c, { lines: b, start: t, words: wb, line_speakers: splitLs ? ls.slice(atLine) : [] });
    if (splitLs && second.line_speakers.length && second.line_speakers[0]) second.speaker = second.line_speakers[0];
    VIOL.set(first, []); VIOL.set(second, []);
    const arr = tr.cues.slice();
    arr.splice(i, 1, first, second);
    commit(tr, arr, i, null, false);
    status('Split cue ' + (i + 1) + ' at ' + fmt(t));
  }
  function mergeNext() {
    const tr = selTrack();
    if (!tr || !LIVE) return;
    const i = S.sel.i;
    if (i + 1 >= tr.cues.length) { status('Not merged: this is the last cue', 'error'); return; }
    const a = tr.cues[i], b = tr.cues[i + 1];
    const la = a.lines || [], lb = b.lines || [];
    const lsa = Array.isArray(a.line_speakers) ? a.line_speakers : [], lsb = Array.isArray(b.line_speakers) ? b.line_speakers : [];
    let ls = [];
    if (lsa.length || lsb.length || (a.speaker || '') !== (b.speaker || '')) {
      ls = la.map((_, k) => lsa[k] || a.speaker || '').concat(lb.map((_, k) => lsb[k] || b.speaker || ''));
      if (ls.every((s) => s === ls[0])) ls = [];
    }
    const m = Object.assign({}, a, {
      end: Math.max(a.end, b.end), lines: la.concat(lb), words: (a.words || []).concat(b.words || []),
      line_speakers: ls, song: !!(a.song && b.song), confidence: Math.min(a.confidence != null ? a.confidence : 1, b.confidence != null ? b.confidence : 1),
    });
    VIOL.set(m, staleCopy((VIOL.get(a) || []).concat(VIOL.get(b) || [])));
    const arr = tr.cues.slice();
    arr.splice(i, 2, m);
    commit(tr, arr, i, null, false);
    status('Merged cues ' + (i + 1) + ' and ' + (i + 2));
  }
  function setSpeaker(label) {
    const tr = selTrack();
    if (!tr || !LIVE) return;
    const c = tr.cues[S.sel.i];
    if ((c.speaker || '') === label) return;
    replaceCue(tr, S.sel.i, Object.assign({}, c, { speaker: label }), null, false);
  }

  function anyDirty() { return S.tracks.some((t) => t.cues !== t.saved); }
  function updateDirty() {
    const dirty = S.tracks.filter((t) => t.cues !== t.saved).map((t) => t.lang);
    const d = $('dirty');
    d.hidden = !dirty.length;
    d.textContent = '● unsaved changes (' + dirty.join(', ') + ')';
    $('save').classList.toggle('attention', dirty.length > 0);
    $('save').disabled = S.saving;
    $('undo').disabled = !S.undo.length;
    $('redo').disabled = !S.redo.length;
    $('mux').disabled = S.muxing;
    document.title = (dirty.length ? '● ' : '') + (S.doc && S.doc.title ? S.doc.title + ' — ' : '') + 'cinesub review';
  }

  // ---------------------------------------------------------------- server calls
  function wireCue(c) {
    return {
      start: c.start, end: c.end, lines: c.lines || [], speaker: c.speaker || '',
      line_speakers: Array.isArray(c.line_speakers) ? c.line_speakers : [], song: !!c.song,
      confidence: c.confidence != null ? c.confidence : 1,
      words: Array.isArray(c.words) ? c.words.map((w) => ({ text: w.text || '', start: w.start, end: w.end, p: w.p != null ? w.p : w.probability })) : [],
    };
  }
  function scheduleCheck(tr) {
    if (!LIVE) return;
    S.checkPending.add(tr.lang);
    clearTimeout(S.checkTimer);
    S.checkTimer = setTimeout(runCheck, 300);
  }
  async function runCheck() {
    const langs = [...S.checkPending];
    S.checkPending.clear();
    if (!langs.length) return;
    const snaps = langs.map((l) => ({ tr: S.byLang[l], cues: S.byLang[l].cues }));
    try {
      const r = await api('POST', '/api/check', { tracks: snaps.map((s) => ({ lang: s.tr.lang, cues: s.cues.map(wireCue) })) });
      applyChecked(snaps, (r && r.tracks) || []);
    } catch (e) {
      status('Style check: ' + e.message, 'error');
    }
  }
  function vsig(vs) { return (vs || []).map((v) => v.rule + '|' + v.hard + '|' + v.message + '|' + (v.stale ? 1 : 0)).join('\n'); }
  // Violations from the server for the cues that were sent; the list shows them where those cues still are.
  function applyChecked(snaps, tracks) {
    for (const t of tracks) {
      const s = snaps.find((x) => x.tr.lang === t.lang);
      if (!s) continue;
      const old = s.cues.map((c) => VIOL.get(c));
      setViolations(s.tr, s.cues, t.violations || []);
      const tr = s.tr;
      for (let i = 0; i < s.cues.length; ++i)
        if (tr.cues[i] === s.cues[i] && vsig(old[i]) !== vsig(VIOL.get(s.cues[i]))) refreshCue(tr, i);
      renderHead(tr);
    }
    fillEditor(true);
    scheduleDraw();
  }

  async function save() {
    if (!LIVE || S.saving) return;
    const dirty = S.tracks.filter((t) => t.cues !== t.saved);
    if (!dirty.length) { status('Nothing to save: no change since ' + (S.revision ? 'revision ' + S.revision : "the machine's output")); return; }
    S.saving = true;
    updateDirty();
    status('Saving ' + dirty.map((t) => t.lang).join(', ') + '…');
    const snaps = dirty.map((t) => ({ tr: t, cues: t.cues }));
    try {
      const r = await api('POST', '/api/save', { base_revision: S.revision, tracks: snaps.map((s) => ({ lang: s.tr.lang, cues: s.cues.map(wireCue) })) });
      S.revision = r.revision;
      for (const s of snaps) s.tr.saved = s.cues;
      S.revisions.push({ number: r.revision, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), tracks: snaps.map((s) => s.tr.lang) });
      applyChecked(snaps, r.tracks || []);
      for (const s of snaps) renderHead(s.tr);
      renderRevisions();
      let hard = 0, soft = 0;
      for (const t of r.tracks || []) for (const v of t.violations || []) { if (v.hard) ++hard; else ++soft; }
      S.breakCoalesce = true;
      status('Saved revision ' + r.revision + ': ' + (r.files || []).join(', ') + ' · ' + hard + ' hard, ' + soft + ' soft style problems', 'ok');
    } catch (e) {
      if (e.status === 409) status('Not saved: ' + e.message + ' (the edits are still in this page: copy what you need, then reload)', 'error');
      else status('Not saved: ' + e.message, 'error');
    } finally {
      S.saving = false;
      updateDirty();
    }
  }
  async function mux() {
    if (!LIVE || S.muxing) return;
    if (anyDirty()) { status('Save first: the re-mux uses the saved revision, and this page has unsaved changes', 'error'); return; }
    S.muxing = true;
    updateDirty();
    status('Muxing the film with revision ' + S.revision + '… (this may take a while)');
    try {
      const r = await api('POST', '/api/mux', {});
      status('Muxed: ' + ((r && r.output) || 'done'), 'ok');
    } catch (e) {
      status('Mux failed: ' + e.message, 'error');
    } finally {
      S.muxing = false;
      updateDirty();
    }
  }

  // ---------------------------------------------------------------- timeline
  const cv = $('timeline');
  const ctx = cv.getContext('2d');
  const G = 56;                  // the label gutter, CSS px
  const ROW = { ruler: [0, 16], wave: [17, 40], speech: [59, 6], speakers: [68, 15], songs: [86, 13], cues: 102, cueH: 22, cueGap: 3 };
  let W = 800, H = 172, drawPending = false;
  function layoutCanvas() {
    H = ROW.cues + Math.max(1, S.tracks.length) * (ROW.cueH + ROW.cueGap) + 2;
    cv.style.height = H + 'px';
    W = Math.max(200, cv.clientWidth || 800);
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(W * dpr), h = Math.round(H * dpr);
    if (cv.width !== w || cv.height !== h) { cv.width = w; cv.height = h; }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }
  function span() { return Math.max(1, W - G); }
  function visibleDur() { return span() / S.view.pps; }
  function minPps() { return span() / S.duration; }
  function clampView() {
    S.view.pps = clamp(S.view.pps, Math.min(minPps(), 400), 400);
    S.view.start = clamp(S.view.start, 0, Math.max(0, S.duration - visibleDur()));
  }
  function timeToX(t) { return G + (t - S.view.start) * S.view.pps; }
  function xToTime(x) { return clamp(S.view.start + (x - G) / S.view.pps, 0, S.duration); }
  function zoom(factor, atX) {
    const x = atX != null ? atX : G + span() / 2;
    const t = S.view.start + (x - G) / S.view.pps;
    S.view.pps *= factor;
    clampView();
    S.view.start = t - (x - G) / S.view.pps;
    clampView();
    scheduleDraw();
  }
  function revealTime(a, b) {
    const t0 = S.view.start, t1 = t0 + visibleDur();
    if (a >= t0 && b <= t1) return;
    S.view.start = (a + b) / 2 - visibleDur() / 2;
    clampView();
    scheduleDraw();
  }
  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => { drawPending = false; draw(); });
  }
  function cueRowY(k) { return ROW.cues + k * (ROW.cueH + ROW.cueGap); }
  function niceStep(pps) {
    const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
    for (const s of steps) if (s * pps >= 70) return s;
    return 7200;
  }
  function eachVisible(arr, maxDur, t0, t1, fn) {
    for (let i = lowerBound(arr, t0 - maxDur - 1e-9); i < arr.length && arr[i].start <= t1; ++i)
      if (arr[i].end >= t0) fn(arr[i], i);
  }
  function boxText(ctx2, text, x, y, w) {
    if (w < 18) return;
    const n = Math.floor((w - 6) / 6.2);
    if (n < 1) return;
    ctx2.fillText(text.length > n ? text.slice(0, Math.max(1, n - 1)) + '…' : text, x + 3, y);
  }
  function draw() {
    layoutCanvas();
    clampView();
    const t0 = S.view.start, t1 = t0 + visibleDur();
    const pps = S.view.pps;
    ctx.clearRect(0, 0, W, H);
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, W, H);
    ctx.save();
    ctx.beginPath();
    ctx.rect(G, 0, W - G, H);
    ctx.clip();

    // The selected cue's span, across every row.
    const sc = selCue();
    if (sc) {
      ctx.fillStyle = 'rgba(78,161,255,0.10)';
      ctx.fillRect(timeToX(sc.start), 0, Math.max(1, (sc.end - sc.start) * pps), H);
    }

    // Ruler.
    const stepS = niceStep(pps);
    ctx.fillStyle = '#9aa1b2';
    ctx.strokeStyle = '#2a2f3a';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let t = Math.floor(t0 / stepS) * stepS; t <= t1; t += stepS) {
      const x = Math.round(timeToX(t)) + 0.5;
      ctx.moveTo(x, 10); ctx.lineTo(x, H);
      ctx.fillText(stepS < 1 ? fmt(t).slice(3, 11) : fmtShort(t), x + 3, 7);
    }
    ctx.stroke();

    // Waveform (a peak per pixel column when zoomed out).
    const peaks = S.waveform.peaks, rate = S.waveform.rate;
    const [wy, wh] = ROW.wave;
    const mid = wy + wh / 2;
    if (peaks.length) {
      ctx.fillStyle = '#3f7f6a';
      const perPx = rate / pps;
      if (perPx > 1) {
        const x0 = G, cols = Math.ceil(W - G);
        for (let px = 0; px < cols; ++px) {
          const a = Math.floor((t0 + px / pps) * rate), b = Math.min(peaks.length, Math.floor((t0 + (px + 1) / pps) * rate));
          let m = 0;
          for (let k = Math.max(0, a); k < b; ++k) if (peaks[k] > m) m = peaks[k];
          if (m > 0) { const h = Math.max(1, m * wh); ctx.fillRect(x0 + px, mid - h / 2, 1, h); }
        }
      } else {
        const a = Math.max(0, Math.floor(t0 * rate)), b = Math.min(peaks.length, Math.ceil(t1 * rate) + 1);
        const bw = Math.max(1, pps / rate - (pps / rate > 3 ? 1 : 0));
        for (let k = a; k < b; ++k) {
          const m = peaks[k];
          if (m > 0) { const h = Math.max(1, m * wh); ctx.fillRect(timeToX(k / rate), mid - h / 2, bw, h); }
        }
      }
    }
    // VAD speech.
    ctx.fillStyle = '#5b8def';
    eachVisible(S.speech, S.speechMax, t0, t1, (s) => {
      ctx.fillRect(timeToX(s.start), ROW.speech[0], Math.max(1, (s.end - s.start) * pps), ROW.speech[1]);
    });
    // Speaker turns.
    ctx.font = '10px system-ui, sans-serif';
    eachVisible(S.turns, S.turnsMax, t0, t1, (s) => {
      const x = timeToX(s.start), w = Math.max(1, (s.end - s.start) * pps);
      ctx.fillStyle = speakerColor(s.speaker);
      ctx.fillRect(x, ROW.speakers[0], w, ROW.speakers[1]);
      if (w > 24) {
        ctx.fillStyle = '#111';
        boxText(ctx, speakerName(s.speaker), Math.max(x, G), ROW.speakers[0] + ROW.speakers[1] / 2 + 0.5, Math.min(w, x + w - Math.max(x, G)));
      }
    });
    // Songs.
    eachVisible(S.songs, S.songsMax, t0, t1, (s) => {
      const x = timeToX(s.start), w = Math.max(1, (s.end - s.start) * pps);
      ctx.fillStyle = s.kind === 'song' ? '#9b59b6' : '#5e4a78';
      ctx.fillRect(x, ROW.songs[0], w, ROW.songs[1]);
      ctx.fillStyle = '#f3e8ff';
      boxText(ctx, '♪ ' + (s.kind || 'music'), Math.max(x, G), ROW.songs[0] + ROW.songs[1] / 2 + 0.5, Math.min(w, x + w - Math.max(x, G)));
    });
    // Cues, one row per track.
    S.tracks.forEach((tr, k) => {
      const y = cueRowY(k);
      ctx.fillStyle = tr.lang === S.chosen ? '#1d2330' : '#171a21';
      ctx.fillRect(G, y, W - G, ROW.cueH);
      ctx.font = (isDeva(tr) ? "11px 'Noto Sans Devanagari', sans-serif" : '11px system-ui, sans-serif');
      eachVisible(tr.cues, tr.maxDur, t0, t1, (c, i) => {
        const x = timeToX(c.start), w = Math.max(1, (c.end - c.start) * pps);
        const vs = VIOL.get(c);
        const hard = vs && vs.some((v) => v.hard), soft = vs && vs.length && !hard;
        const selected = S.sel && S.sel.lang === tr.lang && S.sel.i === i;
        ctx.fillStyle = hard ? '#8f3434' : soft ? '#7d6420' : c.song ? '#5e4a78' : '#35598a';
        ctx.fillRect(x, y + 1, w, ROW.cueH - 2);
        if (selected) { ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 2; ctx.strokeRect(x + 1, y + 2, Math.max(1, w - 2), ROW.cueH - 4); }
        else if (w > 3) { ctx.fillStyle = 'rgba(0,0,0,0.45)'; ctx.fillRect(x + w - 1, y + 1, 1, ROW.cueH - 2); }
        if (w > 18) {
          ctx.fillStyle = '#eef2f8';
          boxText(ctx, (c.lines || []).join(' / '), Math.max(x, G), y + ROW.cueH / 2 + 1, Math.min(w, x + w - Math.max(x, G)));
        }
      });
    });
    // The playhead.
    const t = clock.now();
    if (t >= t0 && t <= t1) {
      const x = Math.round(timeToX(t)) + 0.5;
      ctx.strokeStyle = '#ff4d4d';
      ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, H); ctx.stroke();
      ctx.fillStyle = '#ff4d4d';
      ctx.beginPath(); ctx.moveTo(x - 5, 0); ctx.lineTo(x + 5, 0); ctx.lineTo(x, 6); ctx.fill();
    }
    ctx.restore();

    // Row labels.
    ctx.fillStyle = '#1a1d24';
    ctx.fillRect(0, 0, G, H);
    ctx.fillStyle = '#9aa1b2';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const label = (s, y) => ctx.fillText(s, 4, y);
    label('time', 8);
    label('audio', ROW.wave[0] + ROW.wave[1] / 2);
    label('speech', ROW.speech[0] + 2);
    label('speakers', ROW.speakers[0] + ROW.speakers[1] / 2 + 2);
    label('songs', ROW.songs[0] + ROW.songs[1] / 2);
    S.tracks.forEach((tr, k) => {
      ctx.fillStyle = tr.lang === S.chosen ? '#e8eaf0' : '#9aa1b2';
      label(tr.lang, cueRowY(k) + ROW.cueH / 2);
    });
    updateScrollbar();
  }

  // Which cue box is under (x, y): {tr, i, edge: 'start'|'end'|null}.
  function hitCue(x, y) {
    if (x < G) return null;
    const k = Math.floor((y - ROW.cues) / (ROW.cueH + ROW.cueGap));
    if (y < ROW.cues || k < 0 || k >= S.tracks.length || y > cueRowY(k) + ROW.cueH) return null;
    const tr = S.tracks[k];
    const t = xToTime(x);
    const slack = 6 / S.view.pps;
    let best = null;
    eachVisible(tr.cues, tr.maxDur, t - slack, t + slack, (c, i) => {
      const x0 = timeToX(c.start), x1 = timeToX(c.end);
      const tol = Math.min(6, Math.max(2, (x1 - x0) / 3));
      const selBonus = S.sel && S.sel.lang === tr.lang && S.sel.i === i ? -0.5 : 0;
      const cand = [];
      if (Math.abs(x - x0) <= tol) cand.push({ edge: 'start', d: Math.abs(x - x0) + selBonus });
      if (Math.abs(x - x1) <= tol) cand.push({ edge: 'end', d: Math.abs(x - x1) + selBonus });
      if (x >= x0 && x <= x1) cand.push({ edge: null, d: 100 + selBonus });
      for (const cd of cand) if (!best || cd.d < best.d) best = { tr, i, edge: cd.edge, d: cd.d };
    });
    return best;
  }
  function canvasXY(e) {
    const r = cv.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }
  function onPointerDown(e) {
    if (e.button !== 0) return;
    const [x, y] = canvasXY(e);
    if (x < G) return;
    cv.setPointerCapture(e.pointerId);
    const hit = hitCue(x, y);
    if (hit && hit.edge && LIVE) {
      if (!(S.sel && S.sel.lang === hit.tr.lang && S.sel.i === hit.i)) select(hit.tr.lang, hit.i, { seek: false, reveal: false });
      S.drag = { kind: 'edge', tr: hit.tr, i: hit.i, edge: hit.edge, before: hit.tr.cues, selBefore: hit.i, moved: false };
      e.preventDefault();
      return;
    }
    if (hit) select(hit.tr.lang, hit.i, { seek: false, reveal: false });
    S.drag = { kind: 'seek' };
    clock.seek(xToTime(x));
    e.preventDefault();
  }
  function onPointerMove(e) {
    const [x, y] = canvasXY(e);
    const d = S.drag;
    if (!d) {
      const hit = LIVE ? hitCue(x, y) : null;
      cv.classList.toggle('edge', !!(hit && hit.edge));
      return;
    }
    if (d.kind === 'seek') { clock.seek(xToTime(x)); return; }
    // Edge drag: the cue follows the pointer, snapped to frames, within what a track may hold.
    const tr = d.tr, i = d.i;
    const orig = d.before[i];
    const f = frame();
    let t = snap(xToTime(x));
    let start = orig.start, end = orig.end;
    if (d.edge === 'start') {
      const lo = i > 0 ? tr.cues[i - 1].start : 0, hi = Math.min(end - f, i + 1 < tr.cues.length ? tr.cues[i + 1].start : Infinity);
      start = ms(clamp(t, lo, hi));
    } else {
      end = ms(clamp(t, start + f, S.duration + 10));
    }
    const cur = tr.cues[i];
    if (cur.start === start && cur.end === end) return;
    const nc = Object.assign({}, orig, { start, end });
    VIOL.set(nc, staleCopy(VIOL.get(orig)));
    const arr = tr.cues.slice();
    arr[i] = nc;
    d.moved = true;
    applyCuesNoCheck(tr, arr, i);
  }
  function applyCuesNoCheck(tr, cues, i) {
    tr.cues = cues;
    tr.maxDur = maxDuration(cues);
    refreshCue(tr, i);
    const el = cueEl(tr, i);
    if (el) el.classList.add('sel');
    fillEditor(false);
    S.overlayCue = undefined;
    scheduleDraw();
  }
  function onPointerUp(e) {
    const d = S.drag;
    S.drag = null;
    try { cv.releasePointerCapture(e.pointerId); } catch (err) { /* not captured */ }
    if (!d || d.kind !== 'edge' || !d.moved) return;
    const tr = d.tr;
    const after = tr.cues;
    tr.cues = d.before;  // commit() records before → after as one undo step
    S.breakCoalesce = true;
    commit(tr, after, d.i, null, false);
    const c = after[d.i];
    status('Cue ' + (d.i + 1) + ': ' + fmt(c.start) + ' → ' + fmt(c.end));
  }
  function onWheel(e) {
    e.preventDefault();
    const [x] = canvasXY(e);
    const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    const dx = e.deltaMode === 1 ? e.deltaX * 16 : e.deltaX;
    if (e.ctrlKey || e.metaKey) { zoom(Math.exp(-dy * 0.002), Math.max(G, x)); return; }
    const delta = Math.abs(dx) > Math.abs(dy) ? dx : dy;
    S.view.start += delta / S.view.pps;
    clampView();
    scheduleDraw();
  }
  // The scrollbar under the canvas.
  const hs = $('hscroll'), thumb = $('hthumb');
  function updateScrollbar() {
    const w = hs.clientWidth || 1;
    const frac = clamp(visibleDur() / S.duration, 0, 1);
    const tw = Math.max(14, frac * w);
    const left = S.duration > visibleDur() ? (S.view.start / (S.duration - visibleDur())) * (w - tw) : 0;
    thumb.style.width = tw + 'px';
    thumb.style.left = left + 'px';
    hs.setAttribute('aria-valuenow', String(Math.round((S.view.start / Math.max(1e-9, S.duration - visibleDur())) * 100) || 0));
    hs.setAttribute('aria-valuetext', fmtShort(S.view.start) + ' to ' + fmtShort(S.view.start + visibleDur()));
    const vd = visibleDur();
    $('zoom-label').textContent = 'showing ' + (vd < 60 ? vd.toFixed(1) + ' s' : fmtShort(vd)) + ' of ' + fmtShort(S.duration);
  }
  function scrollbarTo(px, grabAt) {
    const w = hs.clientWidth || 1;
    const tw = thumb.offsetWidth;
    const room = Math.max(1, w - tw);
    S.view.start = clamp((px - grabAt) / room, 0, 1) * Math.max(0, S.duration - visibleDur());
    clampView();
    scheduleDraw();
  }
  function wireScrollbar() {
    let grab = null;
    hs.addEventListener('pointerdown', (e) => {
      const r = hs.getBoundingClientRect();
      const x = e.clientX - r.left;
      const tl = thumb.offsetLeft, tw = thumb.offsetWidth;
      grab = x >= tl && x <= tl + tw ? x - tl : tw / 2;
      hs.setPointerCapture(e.pointerId);
      thumb.classList.add('drag');
      scrollbarTo(x, grab);
      e.preventDefault();
    });
    hs.addEventListener('pointermove', (e) => {
      if (grab == null) return;
      const r = hs.getBoundingClientRect();
      scrollbarTo(e.clientX - r.left, grab);
    });
    const end = (e) => { grab = null; thumb.classList.remove('drag'); try { hs.releasePointerCapture(e.pointerId); } catch (err) { /* */ } };
    hs.addEventListener('pointerup', end);
    hs.addEventListener('pointercancel', end);
    hs.addEventListener('keydown', (e) => {
      const page = visibleDur() * 0.9;
      if (e.key === 'ArrowLeft') S.view.start -= page / 4;
      else if (e.key === 'ArrowRight') S.view.start += page / 4;
      else if (e.key === 'PageUp' || e.key === 'Home') S.view.start = e.key === 'Home' ? 0 : S.view.start - page;
      else if (e.key === 'PageDown' || e.key === 'End') S.view.start = e.key === 'End' ? S.duration : S.view.start + page;
      else return;
      e.preventDefault();
      clampView();
      scheduleDraw();
    });
  }

  // ---------------------------------------------------------------- time → views
  function onTime() {
    const t = clock.now();
    $('clock').textContent = fmt(t);
    renderOverlay(t);
    const playing = !clock.paused();
    const follow = $('follow').checked;
    for (const tr of S.tracks) {
      const i = findAt(tr.cues, t, tr.maxDur);
      if (i !== tr.active) {
        const old = cueEl(tr, tr.active);
        if (old) old.classList.remove('active');
        tr.active = i;
        const el = cueEl(tr, i);
        if (el) el.classList.add('active');
      }
      // While playing, each list keeps its current cue in sight (once per cue: the user may scroll).
      if (playing && follow && i >= 0 && tr.followed !== i) {
        tr.followed = i;
        const el = cueEl(tr, i);
        if (el) scrollListTo(tr, el);
      }
    }
    if (!playing) for (const tr of S.tracks) tr.followed = -1;
    if (playing && follow) {
      const t0 = S.view.start, vd = visibleDur();
      if (t > t0 + vd * 0.92 || t < t0) { S.view.start = t - vd * 0.1; clampView(); }
    }
    scheduleDraw();
  }
  function scrollListTo(tr, el) {
    const list = tr.list;
    const r = el.getBoundingClientRect(), lr = list.getBoundingClientRect();
    if (r.top >= lr.top && r.bottom <= lr.bottom) return;
    el.scrollIntoView({ block: 'center' });
  }

  // ---------------------------------------------------------------- keys and controls
  function isTyping(el) {
    if (!el) return false;
    const tag = el.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true;
    return tag === 'INPUT' && !['checkbox', 'radio', 'button', 'range'].includes(el.type);
  }
  function onKey(e) {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.altKey) {
      const k = e.key.toLowerCase();
      if (!LIVE) return;
      if (k === 's') { e.preventDefault(); save(); }
      else if (k === 'z' && !e.shiftKey) { e.preventDefault(); undo(); }
      else if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); redo(); }
      return;
    }
    if (e.altKey || isTyping(e.target)) return;
    const tag = e.target && e.target.tagName;
    if (e.key === ' ' || e.code === 'Space') {
      if (tag === 'BUTTON' || tag === 'VIDEO' || tag === 'SUMMARY' || tag === 'INPUT') return;  // their own Space
      e.preventDefault();
      clock.toggle();
      return;
    }
    if (e.target === cv && (e.key === '+' || e.key === '=' || e.key === '-' || e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      if (e.key === '+' || e.key === '=') zoom(1.5);
      else if (e.key === '-') zoom(1 / 1.5);
      else { S.view.start += (e.key === 'ArrowLeft' ? -0.2 : 0.2) * visibleDur(); clampView(); scheduleDraw(); }
      return;
    }
    if (e.key === 'ArrowUp' || e.key === ',' || e.key === 'ArrowDown' || e.key === '.') {
      // In a track's list the keys walk that track.
      const col = e.target && e.target.closest ? e.target.closest('.track-col') : null;
      if (col && col.dataset.track !== S.chosen) choose(col.dataset.track);
    }
    if (e.key === 'ArrowUp' || e.key === ',') { e.preventDefault(); step(-1); return; }
    if (e.key === 'ArrowDown' || e.key === '.') { e.preventDefault(); step(1); return; }
    if (!LIVE) return;
    if (e.code === 'BracketLeft' || e.key === '[' || e.key === '{') { e.preventDefault(); nudge(e.shiftKey || e.key === '{' ? 'end' : 'start', -1); return; }
    if (e.code === 'BracketRight' || e.key === ']' || e.key === '}') { e.preventDefault(); nudge(e.shiftKey || e.key === '}' ? 'end' : 'start', 1); }
  }
  function wireControls() {
    document.addEventListener('keydown', onKey);
    $('play').addEventListener('click', () => clock.toggle());
    $('help-toggle').addEventListener('click', () => {
      const h = $('help');
      h.hidden = !h.hidden;
      $('help-toggle').setAttribute('aria-expanded', String(!h.hidden));
      scheduleDraw();
    });
    $('zoom-in').addEventListener('click', () => zoom(1.6));
    $('zoom-out').addEventListener('click', () => zoom(1 / 1.6));
    $('zoom-fit').addEventListener('click', () => { S.view.pps = minPps(); S.view.start = 0; clampView(); scheduleDraw(); });
    $('follow').addEventListener('change', () => onTime());
    cv.addEventListener('pointerdown', onPointerDown);
    cv.addEventListener('pointermove', onPointerMove);
    cv.addEventListener('pointerup', onPointerUp);
    cv.addEventListener('pointercancel', onPointerUp);
    cv.addEventListener('wheel', onWheel, { passive: false });
    wireScrollbar();
    if ('ResizeObserver' in window) new ResizeObserver(() => scheduleDraw()).observe(cv);
    else window.addEventListener('resize', scheduleDraw);
    for (const ev of ['play', 'pause', 'seeked', 'seeking', 'timeupdate', 'loadedmetadata', 'ended']) {
      video.addEventListener(ev, () => {
        if (ev === 'play') startLoop();
        playButton();
        onTime();
      });
    }
    video.addEventListener('error', () => {
      const err = video.error;
      if (!clock.media) return;
      clock.media = false;
      status('The video cannot be played here' + (err && err.message ? ' (' + err.message + ')' : '') + ': the cues and the timeline still work.', 'error');
      onTime();
    });
    if (!LIVE) return;
    $('undo').addEventListener('click', undo);
    $('redo').addEventListener('click', redo);
    $('save').addEventListener('click', save);
    $('mux').addEventListener('click', mux);
    const ta = $('cue-text');
    ta.addEventListener('input', onTextInput);
    for (const ev of ['keyup', 'click', 'select', 'blur', 'focus']) ta.addEventListener(ev, rememberCaret);
    ta.addEventListener('focus', () => { S.breakCoalesce = true; });
    $('start-minus').addEventListener('click', () => nudge('start', -1));
    $('start-plus').addEventListener('click', () => nudge('start', 1));
    $('end-minus').addEventListener('click', () => nudge('end', -1));
    $('end-plus').addEventListener('click', () => nudge('end', 1));
    $('split').addEventListener('click', splitCue);
    $('merge').addEventListener('click', mergeNext);
    $('speaker').addEventListener('change', (e) => setSpeaker(e.target.value));
    window.addEventListener('beforeunload', (e) => { if (anyDirty()) { e.preventDefault(); e.returnValue = ''; } });
  }

  // ---------------------------------------------------------------- boot
  function renderAll() {
    const doc = S.doc;
    $('title').textContent = doc.title || 'cinesub review';
    $('mode').textContent = LIVE ? 'review' : 'report (read-only)';
    document.body.classList.toggle('static', !LIVE);
    buildChooser();
    buildColumns();
    renderPanels();
    layoutCanvas();
    S.view.pps = span() / Math.min(S.duration, 60);
    S.view.start = 0;
    clampView();
    fillEditor(false);
    updateDirty();
    playButton();
    onTime();
    void document.getElementById('lists').offsetHeight;  // lay the lists out now: part of the first render
    draw();
  }
  function ready() {
    const now = performance.now();
    S.timing.boot_to_ready_ms = Math.round(now - T0);
    S.timing.nav_to_ready_ms = Math.round(now);
    window.cinesubTiming = S.timing;
    window.cinesubReady = true;
    const n = S.tracks.reduce((s, t) => s + t.cues.length, 0);
    if (!$('status').classList.contains('error'))
      status((LIVE ? 'Ready: ' : 'Report: ') + S.tracks.length + ' tracks, ' + n + ' cues' + (S.revision ? ', revision ' + S.revision : '') +
        ' (' + S.timing.boot_to_ready_ms + ' ms)');
    document.dispatchEvent(new CustomEvent('cinesub-ready'));
  }
  async function boot() {
    wireControls();
    try {
      let doc;
      if (LIVE) {
        status('Loading the job…');
        const f0 = performance.now();
        doc = await api('GET', '/api/job');
        S.timing.fetch_ms = Math.round(performance.now() - f0);
      } else {
        doc = BOOT.data;
      }
      if (!doc || !Array.isArray(doc.tracks)) throw new Error('no job document');
      const r0 = performance.now();
      init(doc);
      renderAll();
      S.timing.render_ms = Math.round(performance.now() - r0);
      ready();
    } catch (e) {
      status('Could not load the job: ' + e.message, 'error');
      window.cinesubError = e.message;
    }
  }

  // For tests and the console: the state and a few actions.
  window.cinesub = { state: S, clock, select, undo, redo, save, time: () => clock.now(), violations: (c) => VIOL.get(c) };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
