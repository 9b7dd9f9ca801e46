#!/usr/bin/env node
// The review page in a real browser (Debian's /usr/bin/chromium through playwright-core).
//
//   node browser_test.mjs --cinesub PATH/TO/cinesub --job JOB_DIR [--job JOB_DIR2] --shots OUT_DIR
//   node browser_test.mjs --perf [--shots OUT_DIR]
//
// For each job it starts `cinesub review JOB --port 0`, reads `review: http://127.0.0.1:PORT/?token=HEX`
// from its stdout, opens the page headless at 1280×800 and prints one PASS/FAIL line per check (INFO
// lines for measurements); the exit status is 1 when any check failed. The edit check saves revisions
// of the job (an edit, then the original text again). --perf serves a synthetic 2-hour job (3 tracks ×
// 1500 cues) from fixture_server.mjs and prints the median open time of 3 loads.
//
// Options: --chromium PATH (default /usr/bin/chromium, or $CHROMIUM), --no-report (skip the static
// `cinesub report JOB --html` check), --keep-going is the default (every check runs).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixtureServer, syntheticJob } from './fixture_server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

// ------------------------------------------------------------------ arguments
function parseArgs(argv) {
  const o = { jobs: [], cinesub: null, shots: null, perf: false, report: true, chromium: process.env.CHROMIUM || '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) usage(a + ' needs a value'); return argv[++i]; };
    if (a === '--cinesub') o.cinesub = path.resolve(val());
    else if (a === '--job') o.jobs.push(path.resolve(val()));
    else if (a === '--shots') o.shots = path.resolve(val());
    else if (a === '--perf') o.perf = true;
    else if (a === '--no-report') o.report = false;
    else if (a === '--chromium') o.chromium = val();
    else if (a === '-h' || a === '--help') usage();
    else usage('unknown argument ' + a);
  }
  if (!o.perf && !o.jobs.length) usage('give --job JOB_DIR (and --cinesub), or --perf');
  if (o.jobs.length && !o.cinesub) usage('--job needs --cinesub PATH/TO/cinesub');
  return o;
}
function usage(msg) {
  if (msg) console.error('browser_test: ' + msg);
  console.error('usage: node browser_test.mjs --cinesub PATH/TO/cinesub --job JOB_DIR [--job JOB_DIR2] --shots OUT_DIR [--perf] [--no-report] [--chromium PATH]');
  process.exit(2);
}

// ------------------------------------------------------------------ checks
let failures = 0, passes = 0;
function check(name, ok, detail) {
  if (ok) ++passes; else ++failures;
  console.log((ok ? 'PASS ' : 'FAIL ') + name + (detail ? ': ' + detail : ''));
  return !!ok;
}
function info(msg) { console.log('INFO ' + msg); }
async function attempt(name, fn) {
  try { await fn(); } catch (e) { check(name, false, String(e && e.message ? e.message : e).split('\n')[0]); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

// ------------------------------------------------------------------ the server
function startReview(cinesub, jobDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(cinesub, ['review', jobDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', done = false;
    const finish = (f, v) => { if (!done) { done = true; clearTimeout(timer); f(v); } };
    const timer = setTimeout(() => { child.kill('SIGKILL'); finish(reject, new Error('no "review: URL" line within 60 s' + (err ? ' (stderr: ' + err.trim().slice(-300) + ')' : ''))); }, 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^review: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-fA-F]+))\s*$/m.exec(out);
      if (m) finish(resolve, { child, url: m[1], origin: 'http://127.0.0.1:' + m[2], port: Number(m[2]), token: m[3], stderr: () => err });
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', (e) => finish(reject, e));
    child.on('exit', (code, sig) => finish(reject, new Error(`cinesub review exited (${code ?? sig}) before listening: ${(err || out).trim().slice(-400)}`)));
  });
}
async function stopReview(srv) {
  if (!srv || srv.child.exitCode != null) return;
  const exited = new Promise((r) => srv.child.once('exit', r));
  srv.child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) return;
  srv.child.kill('SIGKILL');
  await exited;
}
// A raw request: the path goes out as written (fetch() would resolve "..").
function rawRequest(port, method, rawPath, headers = {}, body = null) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: rawPath, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { if (data.length < 1e6) data += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    req.setTimeout(15000, () => req.destroy(new Error('timed out')));
    if (body) req.write(body);
    req.end();
  });
}

// ------------------------------------------------------------------ page helpers
async function openPage(browser, url, errors) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text()) && !/favicon/i.test(m.location().url || '')) errors.push('console: ' + m.text()); });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.cinesubReady === true || window.cinesubError, null, { timeout: 60000 });
  const err = await page.evaluate(() => window.cinesubError || null);
  if (err) throw new Error('the page did not load the job: ' + err);
  return { context, page };
}
// Pixels of the timeline that are not its background, and how many colours it uses.
async function canvasInk(page) {
  return page.evaluate(() => {
    const cv = document.getElementById('timeline');
    const g = cv.getContext('2d');
    const d = g.getImageData(0, 0, cv.width, cv.height).data;
    let ink = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
      const bg = Math.abs(d[i] - 0x11) + Math.abs(d[i + 1] - 0x13) + Math.abs(d[i + 2] - 0x18) < 12;
      if (!bg) ++ink;
      if (colours.size < 64) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    return { ink, total: d.length / 4, colours: colours.size, w: cv.width, h: cv.height };
  });
}
function cueSel(lang, i) { return `.cue[data-track="${lang}"][data-index="${i}"]`; }
async function textareaValue(page) { return page.$eval('#cue-text', (t) => t.value); }
async function waitFor(fn, ms = 5000, stepMs = 50) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) return v;
    await sleep(stepMs);
  }
}

// ------------------------------------------------------------------ one job
async function testJob(browser, opts, jobDir) {
  const name = path.basename(jobDir);
  console.log(`# job ${name} (${jobDir})`);
  let srv;
  try {
    srv = await startReview(opts.cinesub, jobDir);
    check(`${name}: cinesub review listens`, true, srv.origin);
  } catch (e) {
    check(`${name}: cinesub review listens`, false, e.message);
    return;
  }
  const errors = [];
  let context;
  try {
    const apiJob = await rawRequest(srv.port, 'GET', '/api/job?token=' + srv.token);
    if (!check(`${name}: GET /api/job with the token`, apiJob.status === 200, 'HTTP ' + apiJob.status)) return;
    const doc = JSON.parse(apiJob.body);
    info(`${name}: ${doc.tracks.length} tracks (${doc.tracks.map((t) => t.lang + ' ' + t.cues.length).join(', ')}), fps ${doc.fps}, duration ${doc.duration} s, media ${doc.media && doc.media.kind}`);

    // --- security (no browser needed)
    await attempt(`${name}: requests without the token are refused`, async () => {
      const a = await rawRequest(srv.port, 'GET', '/api/job');
      const b = await rawRequest(srv.port, 'GET', '/api/job?token=' + '0'.repeat(srv.token.length));
      const c = await rawRequest(srv.port, 'GET', '/media');
      check(`${name}: GET /api/job without the token is refused`, [401, 403].includes(a.status), 'HTTP ' + a.status);
      check(`${name}: GET /api/job with a wrong token is refused`, [401, 403].includes(b.status), 'HTTP ' + b.status);
      check(`${name}: GET /media without the token is refused`, [401, 403].includes(c.status), 'HTTP ' + c.status);
      const body = JSON.stringify({ base_revision: doc.revision, tracks: [] });
      const d = await rawRequest(srv.port, 'POST', '/api/save?token=' + srv.token, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, body);
      check(`${name}: POST /api/save with the token only in the query is refused`, [401, 403].includes(d.status), 'HTTP ' + d.status);
      const e = await rawRequest(srv.port, 'POST', '/api/mux?token=' + srv.token, { 'Content-Type': 'application/json', 'Content-Length': 2 }, '{}');
      check(`${name}: POST /api/mux with the token only in the query is refused`, [401, 403].includes(e.status), 'HTTP ' + e.status);
    });
    await attempt(`${name}: path traversal is refused`, async () => {
      const jobJson = fs.existsSync(path.join(jobDir, 'job.json')) ? fs.readFileSync(path.join(jobDir, 'job.json'), 'utf8') : null;
      const paths = ['/media/../../etc/passwd', '/%2e%2e/job.json', '/%2e%2e/%2e%2e/etc/passwd', '/media/..%2f..%2fjob.json', '/..%2fjob.json', '/assets/../../job.json'];
      const bad = [];
      for (const p of paths) {
        for (const q of ['', (p.includes('?') ? '&' : '?') + 'token=' + srv.token]) {
          const r = await rawRequest(srv.port, 'GET', p + q);
          const leaked = /root:.*:0:0:/.test(r.body) || (jobJson && r.body.includes(jobJson.slice(0, 120)));
          if (!(r.status >= 400 && r.status < 500) || leaked) bad.push(`${p + (q ? '?token=…' : '')} → HTTP ${r.status}${leaked ? ' (leaked a file)' : ''}`);
        }
      }
      check(`${name}: path traversal (/media/../../etc/passwd, /%2e%2e/job.json, …) is refused`, !bad.length, bad.join('; ') || paths.length * 2 + ' requests refused');
    });

    // --- the page
    const t0 = Date.now();
    const opened = await openPage(browser, srv.url, errors);
    context = opened.context;
    const page = opened.page;
    check(`${name}: the page opens and loads the job`, true, Date.now() - t0 + ' ms wall');
    const timing = await page.evaluate(() => window.cinesubTiming);
    info(`${name}: boot_to_ready_ms=${timing.boot_to_ready_ms} nav_to_ready_ms=${timing.nav_to_ready_ms} fetch_ms=${timing.fetch_ms} render_ms=${timing.render_ms}`);

    const counts = await page.evaluate(() => {
      const o = {};
      for (const el of document.querySelectorAll('.cue')) o[el.dataset.track] = (o[el.dataset.track] || 0) + 1;
      return o;
    });
    for (const t of doc.tracks)
      check(`${name}: cue list ${t.lang} has every cue`, (counts[t.lang] || 0) === t.cues.length, `${counts[t.lang] || 0} in the DOM, ${t.cues.length} in /api/job`);
    const ink = await canvasInk(page);
    check(`${name}: the timeline canvas is drawn`, ink.ink > ink.total * 0.02 && ink.colours > 6, `${ink.w}×${ink.h}, ${(100 * ink.ink / ink.total).toFixed(1)}% ink, ${ink.colours}+ colours`);
    const ids = await page.evaluate(() => ['video', 'timeline', 'overlay', 'cue-text', 'save', 'mux', 'undo', 'redo', 'status'].filter((id) => !document.getElementById(id)));
    check(`${name}: the test ids are on the page`, !ids.length, ids.length ? 'missing #' + ids.join(', #') : '');

    // --- the track to edit: English when there is one
    const tr = doc.tracks.find((t) => t.lang === 'en') || doc.tracks[0];
    const n = tr ? tr.cues.length : 0;
    if (!tr || !n) { check(`${name}: a track with cues to edit`, false, 'no cues'); return; }
    const lang = tr.lang;
    // A cue away from 0 s so that a seek is seen.
    let k = Math.floor(n / 2);
    for (let j = 0; j < n; ++j) if (tr.cues[(k + j) % n].start > 0.5 && tr.cues[(k + j) % n].lines.length) { k = (k + j) % n; break; }
    const cue = tr.cues[k];
    const offset = (doc.media && Number(doc.media.offset)) || 0;
    const hasVideo = !!(doc.media && doc.media.url);

    await attempt(`${name}: a click on a cue seeks the video`, async () => {
      if (hasVideo) {
        const rs = await waitFor(() => page.$eval('#video', (v) => v.readyState), 20000, 100);
        info(`${name}: video readyState ${rs}${rs ? '' : ' (the media did not load: is it playable by Chromium?)'}`);
      }
      await page.click(cueSel(lang, k));
      const want = cue.start + (hasVideo ? offset : 0);
      const got = await waitFor(async () => {
        const t = await page.evaluate((hv) => (hv ? document.getElementById('video').currentTime : window.cinesub.time()), hasVideo);
        return Math.abs(t - want) < 0.06 ? t : null;
      }, 5000);
      const t = got != null ? got : await page.evaluate((hv) => (hv ? document.getElementById('video').currentTime : window.cinesub.time()), hasVideo);
      check(`${name}: a click on cue ${lang} #${k + 1} seeks the ${hasVideo ? 'video' : 'page clock (no media)'} to its start`, got != null, `currentTime ${t.toFixed(3)}, cue start ${want.toFixed(3)}`);
      const selected = await page.$eval(cueSel(lang, k), (el) => el.classList.contains('sel'));
      const value = await textareaValue(page);
      check(`${name}: the clicked cue is selected in the editor`, selected && value === cue.lines.join('\n'), `textarea "${value.slice(0, 60)}"`);
      const overlay = await page.$eval('#overlay', (el) => el.textContent);
      check(`${name}: the overlay shows the cue at the playhead`, overlay.replace(/\s+/g, ' ').trim().length > 0 && cue.lines.some((l) => overlay.includes(l.slice(0, 8))), `"${overlay.slice(0, 60)}"`);
    });

    const original = cue.lines.join('\n');
    const newText = `cinesub browser test ${process.pid % 10000}`;
    const maxCpl = (tr.profile && tr.profile.max_cpl) || 42;
    let saved = false;
    await attempt(`${name}: an edit and Save change the SRT on disk`, async () => {
      await page.click(cueSel(lang, k));
      await page.fill('#cue-text', newText);
      const dirty = await page.$eval('#dirty', (el) => !el.hidden);
      check(`${name}: an edit shows unsaved changes`, dirty);
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/save') && r.request().method() === 'POST', { timeout: 30000 }),
        page.click('#save'),
      ]);
      const body = await resp.json().catch(() => ({}));
      if (!check(`${name}: POST /api/save succeeds`, resp.status() === 200, `HTTP ${resp.status()} ${JSON.stringify(body).slice(0, 200)}`)) return;
      const files = body.files || [];
      const srt = files.find((f) => f.endsWith(`.${lang}.srt`)) || files.find((f) => f.endsWith('.srt'));
      const full = srt && path.resolve(jobDir, srt);
      const inside = full && full.startsWith(jobDir + path.sep);
      const text = inside && fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : '';
      saved = text.includes(newText);
      check(`${name}: the saved SRT holds the edit`, saved, `${srt || '(no .srt in ' + JSON.stringify(files) + ')'}${inside ? '' : ' (not under the job folder)'}`);
      const st = await waitFor(() => page.$eval('#status', (el, rev) => (el.textContent.includes('revision ' + rev) ? el.textContent : ''), body.revision), 3000);
      check(`${name}: the page shows the new revision`, !!st, st || (await page.$eval('#status', (el) => el.textContent)));
      check(`${name}: no unsaved changes after Save`, await page.$eval('#dirty', (el) => el.hidden));
    });

    await attempt(`${name}: a line over max_cpl is flagged by the style check`, async () => {
      let long = '';
      while ([...long].length <= maxCpl + 6) long += (long ? ' ' : '') + 'overlong';
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/check') && r.request().method() === 'POST', { timeout: 10000 }),
        page.fill('#cue-text', long),
      ]);
      check(`${name}: POST /api/check answers`, resp.status() === 200, 'HTTP ' + resp.status());
      const flagged = await page.waitForSelector(`${cueSel(lang, k)} .violation[data-rule="cpl"]`, { timeout: 10000 }).then(() => true, () => false);
      const msg = flagged ? await page.$eval(`${cueSel(lang, k)} .violation[data-rule="cpl"]`, (el) => el.textContent) : '';
      check(`${name}: a ${[...long].length}-character line (max_cpl ${maxCpl}) shows .violation[data-rule="cpl"]`, flagged, msg);
      const hard = flagged && await page.$eval(`${cueSel(lang, k)} .violation[data-rule="cpl"]`, (el) => el.classList.contains('hard') && getComputedStyle(el).color);
      check(`${name}: the cpl violation is shown as hard (red)`, !!hard, String(hard));

      await page.click('#undo');
      const back = await waitFor(async () => ((await textareaValue(page)) === newText ? true : null), 3000);
      const listText = await page.$eval(cueSel(lang, k), (el) => el.querySelector('.x').textContent);
      check(`${name}: undo restores the previous text`, !!back && listText.includes(newText), `textarea "${(await textareaValue(page)).slice(0, 50)}", list "${listText.slice(0, 50)}"`);
      const cleared = await waitFor(() => page.$$eval(`${cueSel(lang, k)} .violation[data-rule="cpl"]`, (els) => els.length === 0), 5000);
      check(`${name}: the cpl violation goes away after undo`, !!cleared);
      await page.click('#redo');
      const again = await waitFor(async () => ((await textareaValue(page)) === long ? true : null), 3000);
      check(`${name}: redo brings the long line back`, !!again);
      await page.keyboard.press('Control+z');
      const back2 = await waitFor(async () => ((await textareaValue(page)) === newText ? true : null), 3000);
      check(`${name}: Ctrl+Z undoes as well`, !!back2);
    });

    await attempt(`${name}: keyboard navigation`, async () => {
      await page.click(cueSel(lang, k));
      await page.focus('#timeline');
      await page.keyboard.press('.');
      const next = Math.min(k + 1, n - 1);
      const ok = await waitFor(() => page.$eval(cueSel(lang, next), (el) => el.classList.contains('sel')), 2000);
      check(`${name}: "." selects the next cue`, !!ok);
      await page.keyboard.press(',');
      const ok2 = await waitFor(() => page.$eval(cueSel(lang, k), (el) => el.classList.contains('sel')), 2000);
      check(`${name}: "," selects the previous cue`, !!ok2);
    });

    if (saved) {
      await attempt(`${name}: the original text saved back`, async () => {
        await page.click(cueSel(lang, k));
        await page.fill('#cue-text', original);
        const [resp] = await Promise.all([
          page.waitForResponse((r) => r.url().includes('/api/save') && r.request().method() === 'POST', { timeout: 30000 }),
          page.keyboard.press('Control+s'),
        ]);
        const body = await resp.json().catch(() => ({}));
        const srt = (body.files || []).find((f) => f.endsWith(`.${lang}.srt`));
        const text = srt && fs.existsSync(path.resolve(jobDir, srt)) ? fs.readFileSync(path.resolve(jobDir, srt), 'utf8') : '';
        check(`${name}: Ctrl+S saves the original text back (revision ${body.revision})`, resp.status() === 200 && !text.includes(newText), srt || 'HTTP ' + resp.status());
      });
    }

    // --- screenshots, one per track
    if (opts.shots) {
      fs.mkdirSync(opts.shots, { recursive: true });
      for (const t of doc.tracks) {
        await attempt(`${name}: screenshot ${t.lang}`, async () => {
          await page.selectOption('#track', t.lang);
          let j = t.cues.findIndex((c) => c.lines.length && c.start > 0.3);
          if (j < 0) j = 0;
          if (t.cues.length) {
            await page.click(cueSel(t.lang, j));
            await page.$eval('#cue-text', (el) => el.blur());
            if (hasVideo) await page.waitForFunction(() => { const v = document.getElementById('video'); return !v.seeking && v.readyState >= 2; }, null, { timeout: 5000 }).catch(() => {});
            await sleep(hasVideo ? 300 : 150);
          }
          if (t.script === 'Deva' || t.lang === 'hi') {
            const ff = await page.$eval(t.cues.length ? `${cueSel(t.lang, j)} .x` : '#overlay', (el) => getComputedStyle(el).fontFamily);
            check(`${name}: Devanagari text uses Noto Sans Devanagari`, /Noto Sans Devanagari/.test(ff), ff);
          }
          const file = path.join(opts.shots, `${name}-${t.lang}.png`);
          await page.screenshot({ path: file });
          check(`${name}: screenshot ${path.basename(file)}`, fs.statSync(file).size > 1000, file);
        });
      }
    }
    check(`${name}: no script errors on the page`, !errors.length, errors.slice(0, 3).join(' | '));

    // --- the static report of the same job
    if (opts.report) await testReport(browser, opts, jobDir, name, doc);
  } catch (e) {
    check(`${name}: the run`, false, e.message.split('\n')[0]);
  } finally {
    if (context) await context.close().catch(() => {});
    await stopReview(srv);
    const err = srv.stderr().trim();
    if (err) info(`${name}: server stderr: ${err.split('\n').slice(-3).join(' | ').slice(0, 400)}`);
  }
}

// `cinesub report JOB --html OUT.html`: the same page, read-only, one file.
async function testReport(browser, opts, jobDir, name, liveDoc) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cinesub-report-')), name + '.html');
  const code = await new Promise((resolve) => {
    const child = spawn(opts.cinesub, ['report', jobDir, '--html', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (c) => resolve({ c, err }));
    child.on('error', (e) => resolve({ c: -1, err: e.message }));
  });
  if (!check(`${name}: cinesub report --html writes the static page`, code.c === 0 && fs.existsSync(out), code.c ? `exit ${code.c}: ${code.err.trim().slice(-200)}` : out)) return;
  const errors = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const external = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) external.push(r.url()); });
    await page.goto('file://' + out);
    await page.waitForFunction(() => window.cinesubReady === true || window.cinesubError, null, { timeout: 30000 });
    const st = await page.evaluate(() => ({
      mode: window.CINESUB_BOOT && window.CINESUB_BOOT.mode,
      cues: document.querySelectorAll('.cue').length,
      editable: ['save', 'mux', 'cue-text'].filter((id) => { const el = document.getElementById(id); return el && el.offsetParent !== null; }),
      error: window.cinesubError || null,
    }));
    const want = liveDoc.tracks.reduce((s, t) => s + t.cues.length, 0);
    check(`${name}: the static report renders every cue`, st.mode === 'static' && st.cues === want, `mode ${st.mode}, ${st.cues} cues (the job has ${want})${st.error ? ', ' + st.error : ''}`);
    check(`${name}: the static report has no editing controls`, !st.editable.length, st.editable.join(', '));
    check(`${name}: the static report loads nothing from outside the file`, !external.filter((u) => !/\/media\b/.test(u)).length, external.slice(0, 3).join(', '));
    if (opts.shots) await page.screenshot({ path: path.join(opts.shots, `${name}-report.png`) });
    check(`${name}: no script errors in the static report`, !errors.length, errors.slice(0, 3).join(' | '));
  } finally {
    await context.close().catch(() => {});
  }
}

// ------------------------------------------------------------------ --perf
async function perf(browser, opts) {
  console.log('# perf: a synthetic 2-hour job, 3 tracks × 1500 cues, 20/s waveform');
  const doc = syntheticJob({ hours: 2, cuesPerTrack: 1500 });
  const bytes = JSON.stringify(doc).length;
  const srv = await startFixtureServer({ doc });
  const runs = [];
  try {
    for (let r = 0; r < 3; ++r) {
      const errors = [];
      const { context, page } = await openPage(browser, srv.url, errors);
      const t = await page.evaluate(() => window.cinesubTiming);
      const n = await page.evaluate(() => document.querySelectorAll('.cue').length);
      info(`perf run ${r + 1}: navigation → ready ${t.nav_to_ready_ms} ms (boot → ready ${t.boot_to_ready_ms} ms, fetch+parse ${t.fetch_ms} ms, render ${t.render_ms} ms), ${n} cues`);
      runs.push(t);
      if (r === 0) {
        check('perf: every cue is in the list', n === 4500, n + ' cues');
        const ink = await canvasInk(page);
        check('perf: the timeline is drawn', ink.ink > ink.total * 0.02, `${(100 * ink.ink / ink.total).toFixed(1)}% ink`);
        // Scrolling and zooming a 2-hour timeline stays fast: 20 wheel steps.
        const ms = await page.evaluate(async () => {
          const cv = document.getElementById('timeline');
          const r0 = cv.getBoundingClientRect();
          const t0 = performance.now();
          for (let i = 0; i < 10; ++i) {
            cv.dispatchEvent(new WheelEvent('wheel', { deltaY: -200, ctrlKey: true, clientX: r0.left + 300, clientY: r0.top + 50, bubbles: true, cancelable: true }));
            await new Promise((res) => requestAnimationFrame(res));
          }
          for (let i = 0; i < 10; ++i) {
            cv.dispatchEvent(new WheelEvent('wheel', { deltaY: 400, ctrlKey: true, clientX: r0.left + 300, clientY: r0.top + 50, bubbles: true, cancelable: true }));
            await new Promise((res) => requestAnimationFrame(res));
          }
          return (performance.now() - t0) / 20;
        });
        info(`perf: a zoom step of the timeline takes ${ms.toFixed(1)} ms a frame`);
        if (opts.shots) { fs.mkdirSync(opts.shots, { recursive: true }); await page.screenshot({ path: path.join(opts.shots, 'perf-synthetic-2h.png') }); }
        check('perf: no script errors', !errors.length, errors.slice(0, 3).join(' | '));
      }
      await context.close();
    }
  } finally {
    await srv.close();
  }
  const nav = median(runs.map((t) => t.nav_to_ready_ms));
  const boot = median(runs.map((t) => t.boot_to_ready_ms));
  console.log(`perf: median open time (navigation start → window.cinesubReady) ${nav} ms over 3 runs; boot → ready ${boot} ms; document ${(bytes / 1e6).toFixed(1)} MB`);
  check('perf: the 2-hour job opens in under 1 s (median)', nav < 1000, nav + ' ms');
}

// ------------------------------------------------------------------ main
const opts = parseArgs(process.argv.slice(2));
if (!fs.existsSync(opts.chromium)) { console.error(`browser_test: no Chromium at ${opts.chromium} (apt-get install chromium, or --chromium PATH)`); process.exit(2); }
const browser = await chromium.launch({ executablePath: opts.chromium, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'], headless: true });
try {
  info(`chromium ${browser.version()}`);
  for (const job of opts.jobs) await testJob(browser, opts, job);
  if (opts.perf) await perf(browser, opts);
} finally {
  await browser.close();
}
console.log(`${failures ? 'FAILED' : 'OK'}: ${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
