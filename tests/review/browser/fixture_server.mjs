#!/usr/bin/env node
// A stand-in for `cinesub review` during the page's development, and the server of the --perf run:
// it composes src/review/assets/review.html exactly as the C++ server does (three markers), in live
// mode with a token, and serves the job document, the media (with Range), and fake check/save/mux.
// The fakes are for development only: the real test runs against `cinesub review`.
//
//   node fixture_server.mjs review JOB_DIR [--port 0]   a job folder (reads its stage files), or
//   node fixture_server.mjs review --synthetic [--hours 2] [--cues 1500] [--port 0]
// It prints `review: http://127.0.0.1:PORT/?token=HEX` once it listens, as `cinesub review` does.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const assets = path.resolve(here, '../../../src/review/assets');

// review.html with its markers replaced, as src/review/page.cpp does ('<' escaped in the boot JSON).
export function composePage(boot) {
  const html = fs.readFileSync(path.join(assets, 'review.html'), 'utf8');
  const css = fs.readFileSync(path.join(assets, 'review.css'), 'utf8');
  const js = fs.readFileSync(path.join(assets, 'review.js'), 'utf8');
  const bootJs = 'window.CINESUB_BOOT = ' + JSON.stringify(boot).replace(/</g, '\\u003c') + ';';
  const pieces = [['/*CINESUB_CSS*/', css], ['/*CINESUB_BOOT*/', bootJs], ['/*CINESUB_JS*/', js]]
    .map(([marker, content]) => {
      const at = html.indexOf(marker);
      if (at < 0) throw new Error('review.html has no ' + marker + ' marker');
      return { at, marker, content };
    })
    .sort((a, b) => a.at - b.at);
  let out = '', from = 0;
  for (const p of pieces) { out += html.slice(from, p.at) + p.content; from = p.at + p.marker.length; }
  return out + html.slice(from);
}

// ------------------------------------------------------------------ a synthetic job document
function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
}
const EN = ('what brings you to the land of the gatekeepers i am searching for someone very dear a dragon ' +
  'the night is long and the road is cold we will find her before the winter comes listen to me carefully').split(' ');
const HI = ('तुम यहाँ क्यों आए हो मैं किसी को ढूँढ रही हूँ वह मेरा दोस्त है रात बहुत लंबी है हम उसे ज़रूर ढूँढ लेंगे ' +
  'सुनो ध्यान से यह रास्ता ठंडा है').split(' ');
const HL = ('tum yahan kyon aaye ho main kisi ko dhoondh rahi hoon woh mera dost hai raat bahut lambi hai hum use ' +
  'zaroor dhoondh lenge suno dhyaan se yeh raasta thanda hai').split(' ');

export function syntheticJob({ hours = 2, cuesPerTrack = 1500, seed = 7, rate = 20 } = {}) {
  const duration = hours * 3600;
  const R = rng(seed);
  const speakers = ['SPEAKER_00', 'SPEAKER_01', 'SPEAKER_02', 'SPEAKER_03', 'SPEAKER_04', 'SPEAKER_05'];
  // One timing skeleton shared by the three tracks.
  const slot = duration / cuesPerTrack;
  const skeleton = [];
  for (let i = 0; i < cuesPerTrack; ++i) {
    const start = Math.round((i * slot + R() * slot * 0.2) * 1000) / 1000;
    const len = Math.min(slot * 0.85, 1.2 + R() * 4.5);
    skeleton.push({ start, end: Math.round((start + len) * 1000) / 1000, speaker: speakers[Math.floor(R() * speakers.length)], nw: 4 + Math.floor(R() * 9) });
  }
  const profile = (name, cpl) => ({ name, max_cpl: cpl, max_lines: 2, max_cps: 20, min_duration: 0.833, max_duration: 7,
    min_gap_frames: 2, dialogue_dash: '-', lead_in: 0, snap_window: 0.5, chain_gap: 0.5, max_pause: 1, song_max_cps: 20, song_mark: '♪', italics: false });
  const track = (lang, name, script, vocab, cpl) => {
    const cues = skeleton.map((s, i) => {
      const toks = [];
      for (let k = 0; k < s.nw; ++k) toks.push(vocab[Math.floor(R() * vocab.length)]);
      const dt = (s.end - s.start) / s.nw;
      const words = toks.map((t, k) => ({ text: t, start: Math.round((s.start + k * dt) * 1000) / 1000,
        end: Math.round((s.start + (k + 0.9) * dt) * 1000) / 1000, p: Math.round((R() < 0.08 ? R() * 0.5 : 0.5 + R() * 0.5) * 1000) / 1000 }));
      const half = Math.ceil(toks.length / 2);
      const lines = toks.length > 6 ? [toks.slice(0, half).join(' '), toks.slice(half).join(' ')] : [toks.join(' ')];
      return { start: s.start, end: s.end, lines, speaker: s.speaker, line_speakers: [], song: i % 97 === 5, words, confidence: 0.9 };
    });
    const violations = [];
    cues.forEach((c, i) => {
      c.lines.forEach((l, k) => { if ([...l].length > cpl) violations.push({ rule: 'cpl', hard: true, cue: i + 1, start: c.start, end: c.end, message: `line ${k + 1} has ${[...l].length} characters (max ${cpl})` }); });
      if (i % 53 === 0) violations.push({ rule: 'cps', hard: false, cue: i + 1, start: c.start, end: c.end, message: '23.1 characters per second (max 20)' });
    });
    return { lang, name, file: `Synthetic.${lang}.srt`, script, profile: profile(lang === 'en' ? 'netflix-en' : 'netflix-hi', cpl), cues, violations };
  };
  const turns = skeleton.map((s) => ({ start: s.start, end: s.end, speaker: s.speaker }));
  const speech = skeleton.map((s) => ({ start: Math.max(0, s.start - 0.1), end: s.end + 0.1 }));
  const songs = [];
  for (let k = 0; k < 12; ++k) { const st = Math.round(R() * (duration - 200)); songs.push({ start: st, end: st + 40 + Math.round(R() * 120), kind: k % 3 ? 'music' : 'song', confidence: 0.8 }); }
  songs.sort((a, b) => a.start - b.start);
  const peaks = new Array(Math.round(duration * rate));
  for (let i = 0; i < peaks.length; ++i) peaks[i] = Math.round(Math.abs(Math.sin(i / 7) * 0.5 + (R() - 0.5) * 0.4) * 100) / 100;
  return {
    schema: 1, title: 'Synthetic', fps: 24, duration,
    media: { url: null, kind: 'none', video: false, preparing: false, offset: 0 },
    revision: 0, revisions: [],
    tracks: [track('hi', 'Hindi', 'Deva', HI, 42), track('hi-Latn', 'Hindi (Latin)', 'Latn', HL, 42), track('en', 'English', 'Latn', EN, 42)],
    speakers: { names: { SPEAKER_00: 'Rohan', SPEAKER_01: 'Priya' }, guesses: { SPEAKER_02: 'Meera' }, turns },
    speech, songs,
    removed: [{ track: 'en', start: 3, end: 5, text: 'Thanks for watching', reason: 'hallucination' }],
    corrections: [{ track: 'hi', start: 40.1, from: 'Rohn', to: 'Rohan' }],
    waveform: { rate, peaks },
  };
}

// ------------------------------------------------------------------ a job folder's document (approximate)
function readJson(p) { try { return JSON.parse(fs.readFileSync(p, 'utf8')); } catch { return null; } }
function findStage(jobDir, name) {
  const dir = path.join(jobDir, 'stages');
  if (!fs.existsSync(dir)) return null;
  const d = fs.readdirSync(dir).find((n) => n.replace(/^\d+_/, '') === name);
  return d ? path.join(dir, d) : null;
}
function wavPeaks(file, rate) {
  let buf;
  try { buf = fs.readFileSync(file); } catch { return []; }
  let off = 12, fmt = null, data = null;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4), size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') fmt = { format: buf.readUInt16LE(off + 8), channels: buf.readUInt16LE(off + 10), rate: buf.readUInt32LE(off + 12), bits: buf.readUInt16LE(off + 22) };
    if (id === 'data') { data = buf.subarray(off + 8, off + 8 + size); break; }
    off += 8 + size + (size & 1);
  }
  if (!fmt || !data) return [];
  const bps = fmt.bits / 8, frameBytes = bps * fmt.channels, n = Math.floor(data.length / frameBytes);
  const step = Math.max(1, Math.floor(fmt.rate / rate)), peaks = [];
  for (let i = 0; i < n; i += step) {
    let m = 0;
    for (let j = i; j < Math.min(n, i + step); ++j) {
      const o = j * frameBytes;
      const v = fmt.format === 3 ? Math.abs(data.readFloatLE(o)) : Math.abs(data.readInt16LE(o) / 32768);
      if (v > m) m = v;
    }
    peaks.push(Math.round(Math.min(1, m) * 100) / 100);
  }
  return peaks;
}
function cueOut(c) {
  return { start: c.start, end: c.end, lines: c.lines || [], speaker: c.speaker || '', line_speakers: c.line_speakers || [], song: !!c.song,
    confidence: c.confidence ?? 1, words: (c.words || []).map((w) => ({ text: w.text, start: w.start, end: w.end, p: w.p ?? w.probability ?? 1 })) };
}
export function jobDocument(jobDir) {
  const job = readJson(path.join(jobDir, 'job.json')) || {};
  const subs = findStage(jobDir, 'subtitles');
  const tracksDoc = subs && readJson(path.join(subs, 'tracks.json'));
  if (!tracksDoc) throw new Error(jobDir + ': no subtitles yet');
  const demux = findStage(jobDir, 'demux');
  const media = demux && readJson(path.join(demux, 'media.json'));
  const fps = (media && media.fps) || (job.media && job.media.info && job.media.info.fps) || 25;
  const mediaPath = job.media && job.media.info && job.media.info.path;
  const current = readJson(path.join(jobDir, 'review', 'current.json'));
  const tracks = tracksDoc.tracks.map((t) => {
    const rev = current && (current.tracks || []).find((r) => r.language === t.language);
    const jf = rev ? path.join(jobDir, rev.json) : path.join(subs, t.file.replace(/\.[^.]+$/, '.json'));
    const cues = ((readJson(jf) || {}).cues || []).map(cueOut);
    return { lang: t.language, name: t.title || t.language, file: t.file, script: t.language === 'hi' ? 'Deva' : 'Latn',
      profile: { name: t.language === 'en' ? 'netflix-en' : 'netflix-hi', max_cpl: 42, max_lines: 2, max_cps: 20, min_duration: 0.833, max_duration: 7, min_gap_frames: 2, dialogue_dash: '-' },
      cues, violations: fakeCheck(cues, 42, fps) };
  });
  const sp = readJson(path.join(findStage(jobDir, 'speakers') || '', 'speakers.json')) || {};
  const names = {}, guesses = {};
  for (const s of sp.per_speaker || []) { if (s.name) names[s.speaker] = s.name; if (s.suggested && s.suggested.name) guesses[s.speaker] = s.suggested.name; }
  const vad = readJson(path.join(findStage(jobDir, 'vad') || '', 'speech.json')) || {};
  const songs = readJson(path.join(findStage(jobDir, 'songs') || '', 'songs.json')) || {};
  const removed = readJson(path.join(subs, 'removed.json')) || {};
  const cor = readJson(path.join(findStage(jobDir, 'correction') || '', 'corrections.json')) || {};
  const audio = demux && path.join(demux, 'audio.wav');
  const peaks = audio ? wavPeaks(audio, 20) : [];
  let duration = (media && media.audio && media.audio.duration) || (media && media.duration) || peaks.length / 20;
  return {
    doc: {
      schema: 1, title: (job.title || (mediaPath ? path.basename(mediaPath).replace(/\.[^.]+$/, '') : 'Job')), fps, duration,
      media: { url: null, kind: mediaPath ? 'source' : 'none', video: true, preparing: false, offset: 0 },
      revision: current ? current.revision || 0 : 0, revisions: [],
      tracks,
      speakers: { names, guesses, turns: (sp.turns || []).map((t) => ({ start: t.start, end: t.end, speaker: t.speaker })) },
      speech: (vad.segments || []).map((s) => ({ start: s.start, end: s.end })),
      songs: (songs.segments || []).filter((s) => s.kind === 'song' || s.kind === 'music'),
      removed: (removed.removed || []).map((r) => ({ track: r.language, start: r.start, end: r.end, text: r.text, reason: r.reason })),
      corrections: (cor.corrections || []).map((c) => ({ track: c.track, start: c.start, from: c.before, to: c.after })),
      waveform: { rate: 20, peaks },
    },
    mediaPath: mediaPath && fs.existsSync(mediaPath) ? mediaPath : null,
  };
}

// ------------------------------------------------------------------ fake style check and SRT
export function fakeCheck(cues, maxCpl = 42, fps = 25, profile = {}) {
  const out = [];
  const maxLines = profile.max_lines || 2, maxCps = profile.max_cps || 20;
  cues.forEach((c, i) => {
    const v = (rule, hard, message) => out.push({ rule, hard, cue: i + 1, start: c.start, end: c.end, message });
    (c.lines || []).forEach((l, k) => { const n = [...l].length; if (n > maxCpl) v('cpl', true, `line ${k + 1} has ${n} characters (max ${maxCpl})`); });
    if ((c.lines || []).length > maxLines) v('lines', true, `${c.lines.length} lines (max ${maxLines})`);
    const d = c.end - c.start, chars = (c.lines || []).join('').length;
    if (d > 0 && chars / d > maxCps) v('cps', false, `${(chars / d).toFixed(1)} characters per second (max ${maxCps})`);
    if (i > 0 && c.start < cues[i - 1].end) v('overlap', true, `starts before cue ${i} ends`);
  });
  return out;
}
function srtTime(t) {
  const ms = Math.round(t * 1000), p = (n, w) => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3600000), 2)}:${p(Math.floor(ms / 60000) % 60, 2)}:${p(Math.floor(ms / 1000) % 60, 2)},${p(ms % 1000, 3)}`;
}
function toSrt(cues) { return cues.map((c, i) => `${i + 1}\n${srtTime(c.start)} --> ${srtTime(c.end)}\n${(c.lines || []).join('\n')}\n`).join('\n'); }

// ------------------------------------------------------------------ the server
export function startFixtureServer({ doc, token = 'f1x7e5f1x7e5f1x7e5f1x7e5f1x7e5f1', jobDir = null, mediaPath = null, port = 0 }) {
  const state = { revision: doc.revision || 0 };
  if (mediaPath) doc.media = Object.assign({}, doc.media, { url: '/media?token=' + token, kind: 'source' });
  let docJson = JSON.stringify(doc);
  const send = (res, code, type, body, extra) => {
    res.writeHead(code, Object.assign({ 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }, extra || {}));
    res.end(body);
  };
  const json = (res, code, obj) => send(res, code, 'application/json', JSON.stringify(obj));
  const server = http.createServer((req, res) => {
    const raw = req.url || '/';
    if (raw.includes('..') || /%2e/i.test(raw) || raw.includes('%2f') || raw.includes('%2F')) return json(res, 400, { error: 'bad path' });
    const u = new URL(raw, 'http://x');
    const get = req.method === 'GET' || req.method === 'HEAD';
    const okToken = get ? u.searchParams.get('token') === token : req.headers['x-cinesub-token'] === token;
    if (u.pathname === '/' && get) {
      if (!okToken) return json(res, 403, { error: 'no token' });
      return send(res, 200, 'text/html; charset=utf-8', composePage({ mode: 'live', token }),
        { 'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; " +
          "img-src data: blob:; media-src 'self'; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" });
    }
    if (!okToken) return json(res, 403, { error: 'the request has no valid token' });
    if (u.pathname === '/api/job' && get) return send(res, 200, 'application/json', docJson);
    if (u.pathname === '/media' && get) {
      if (!mediaPath) return json(res, 404, { error: 'no media' });
      const size = fs.statSync(mediaPath).size;
      const type = mediaPath.endsWith('.webm') ? 'video/webm' : mediaPath.endsWith('.mp4') ? 'video/mp4' : mediaPath.endsWith('.wav') ? 'audio/wav' : mediaPath.endsWith('.mkv') ? 'video/x-matroska' : 'application/octet-stream';
      const m = /bytes=(\d*)-(\d*)/.exec(req.headers.range || '');
      if (m) {
        const a = m[1] ? Number(m[1]) : size - Number(m[2]), b = m[1] && m[2] ? Math.min(size - 1, Number(m[2])) : size - 1;
        res.writeHead(206, { 'Content-Type': type, 'Content-Range': `bytes ${a}-${b}/${size}`, 'Accept-Ranges': 'bytes', 'Content-Length': b - a + 1 });
        return fs.createReadStream(mediaPath, { start: a, end: b }).pipe(res);
      }
      res.writeHead(200, { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Content-Length': size });
      return fs.createReadStream(mediaPath).pipe(res);
    }
    if (req.method !== 'POST') return json(res, 404, { error: 'not found' });
    let body = '';
    req.on('data', (d) => { body += d; if (body.length > 64e6) req.destroy(); });
    req.on('end', () => {
      let j;
      try { j = JSON.parse(body || '{}'); } catch { return json(res, 400, { error: 'the body is not JSON' }); }
      const checked = () => (j.tracks || []).map((t) => {
        const tr = doc.tracks.find((x) => x.lang === t.lang);
        return { lang: t.lang, violations: fakeCheck(t.cues || [], (tr && tr.profile.max_cpl) || 42, doc.fps, tr ? tr.profile : {}) };
      });
      const invalid = () => {
        for (const t of j.tracks || []) {
          if (!doc.tracks.find((x) => x.lang === t.lang)) return `the job has no track '${t.lang}'`;
          let prev = -1;
          for (const [i, c] of (t.cues || []).entries()) {
            if (!(c.end > c.start)) return `cue ${i + 1}: end is not after start`;
            if (c.start < prev) return `cue ${i + 1} starts before cue ${i}`;
            prev = c.start;
          }
        }
        return '';
      };
      if (u.pathname === '/api/check') {
        const why = invalid();
        return why ? json(res, 400, { error: why }) : json(res, 200, { tracks: checked() });
      }
      if (u.pathname === '/api/save') {
        const why = invalid();
        if (why) return json(res, 400, { error: why });
        if (j.base_revision !== state.revision) return json(res, 409, { error: `the job is at revision ${state.revision} now, not ${j.base_revision}: reload the page` });
        state.revision += 1;
        const rel = path.join('review', 'revisions', String(state.revision).padStart(3, '0'));
        const files = [];
        for (const t of j.tracks) {
          const tr = doc.tracks.find((x) => x.lang === t.lang);
          tr.cues = t.cues;
          const name = (tr.file || `${doc.title}.${t.lang}.srt`).replace(/\.[^.]+$/, '.srt');
          if (jobDir) {
            fs.mkdirSync(path.join(jobDir, rel), { recursive: true });
            fs.writeFileSync(path.join(jobDir, rel, name), toSrt(t.cues));
          }
          files.push(path.join(rel, name));
        }
        doc.revision = state.revision;
        doc.revisions.push({ number: state.revision, time: new Date().toISOString(), tracks: j.tracks.map((t) => t.lang) });
        docJson = JSON.stringify(doc);
        return json(res, 200, { revision: state.revision, files, tracks: checked() });
      }
      if (u.pathname === '/api/mux') return setTimeout(() => json(res, 200, { output: '/tmp/fixture.cinesub.mkv' }), 300);
      return json(res, 404, { error: 'not found' });
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const p = server.address().port;
      resolve({ server, port: p, token, url: `http://127.0.0.1:${p}/?token=${token}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// ------------------------------------------------------------------ command line
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === 'review') args.shift();
  const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
  const port = Number(opt('--port', '0'));
  let doc, mediaPath = null, jobDir = null;
  if (args.includes('--synthetic')) {
    doc = syntheticJob({ hours: Number(opt('--hours', '2')), cuesPerTrack: Number(opt('--cues', '1500')) });
  } else {
    jobDir = path.resolve(args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--'))) || '.');
    const fixture = readJson(path.join(jobDir, 'review-fixture.json'));
    if (fixture) doc = fixture; else ({ doc, mediaPath } = jobDocument(jobDir));
  }
  const token = [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');
  const s = await startFixtureServer({ doc, token, jobDir, mediaPath, port });
  console.log(`review: ${s.url}`);
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}
