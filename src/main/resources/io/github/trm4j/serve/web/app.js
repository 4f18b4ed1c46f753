// trm4j serve page: plain JavaScript, no framework. Talks to the REST API of the same server.
'use strict';

const $ = (id) => document.getElementById(id);
const STEP_MS = 700;         // animation: time per supervision step
const MAZE_CHARS = '# SGo';  // the API's maze alphabet ('o' only in answers)

const state = { models: [], model: null, result: null, puzzle: '', kind: 'sudoku', step: 0, timer: null };

// ---------- small helpers ----------

function setStatus(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', !!isError);
}

async function api(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    throw new Error('the server did not answer (' + e.message + ')');
  }
  let body = null;
  try { body = await response.json(); } catch (e) { /* not JSON: reported below */ }
  if (!response.ok) {
    const retry = response.headers.get('Retry-After');
    const msg = (body && body.error) || ('HTTP ' + response.status);
    throw new Error(msg + (retry ? ' (retry in ' + retry + ' s)' : ''));
  }
  return body;
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

// ---------- models ----------

async function loadModels() {
  const data = await api('/api/models');
  state.models = data.models;
  const select = $('model');
  select.innerHTML = '';
  for (const m of data.models) {
    const opt = document.createElement('option');
    opt.value = m.name;
    opt.textContent = m.name + ' (' + m.kind + ')';
    select.appendChild(opt);
  }
  selectModel(data.models.length ? data.models[0].name : null);
}

function nSup(model) {
  const c = model && model.config ? model.config : {};
  return c.supervision_steps || c.supervisionSteps || c.halt_max_steps || null;
}

/** The side of the mazes a maze model solves (its cells are side × side). */
const mazeSide = (model) => Math.round(Math.sqrt(model.cells));

function selectModel(name) {
  state.model = state.models.find((m) => m.name === name) || null;
  state.kind = state.model ? state.model.kind : 'sudoku';
  $('sudoku-input').hidden = state.kind !== 'sudoku';
  $('maze-input').hidden = state.kind !== 'maze';
  const n = nSup(state.model);
  $('steps').placeholder = n ? String(n) : 'N_sup';
  const size = state.kind === 'maze' ? mazeSide(state.model) + '×' + mazeSide(state.model) + ' mazes' : state.model ? state.model.cells + ' cells' : '';
  $('model-info').textContent = state.model ? (n ? 'N_sup ' + n + ', ' : '') + size : 'no model loaded';
  if (state.kind === 'maze') {
    $('maze-size').textContent = size;
    if ($('maze-text').value.trim() === '') generate('maze');
  }
}

// ---------- the Sudoku editor: 81 inputs, keyboard first ----------

function buildEditor() {
  const editor = $('editor');
  for (let i = 0; i < 81; i++) {
    const cell = document.createElement('input');
    cell.className = 'cell';
    cell.maxLength = 1;
    cell.inputMode = 'numeric';
    cell.autocomplete = 'off';
    cell.setAttribute('aria-label', 'row ' + (Math.floor(i / 9) + 1) + ', column ' + (i % 9 + 1));
    cell.dataset.index = String(i);
    cell.tabIndex = i === 0 ? 0 : -1; // one tab stop; arrows move inside
    editor.appendChild(cell);
  }
  editor.addEventListener('keydown', onEditorKey);
  editor.addEventListener('input', (e) => {
    const v = e.target.value.replace(/[^1-9]/g, '');
    e.target.value = v.slice(-1);
  });
  editor.addEventListener('paste', onEditorPaste);
}

function editorCells() {
  return Array.from($('editor').children);
}

function focusCell(i) {
  const cells = editorCells();
  const target = cells[(i + 81) % 81];
  cells.forEach((c) => { c.tabIndex = -1; });
  target.tabIndex = 0;
  target.focus();
  target.select();
}

function onEditorKey(e) {
  if (!e.target.classList.contains('cell')) return;
  const i = Number(e.target.dataset.index);
  const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -9, ArrowDown: 9 };
  if (e.key in moves) {
    focusCell(i + moves[e.key]);
  } else if (/^[1-9]$/.test(e.key)) {
    e.target.value = e.key;
    focusCell(i + 1);
  } else if (e.key === '0' || e.key === '.' || e.key === ' ' || e.key === 'Delete') {
    e.target.value = '';
    if (e.key !== 'Delete') focusCell(i + 1);
  } else if (e.key === 'Backspace') {
    if (e.target.value === '') focusCell(i - 1);
    e.target.value = '';
  } else if (e.key === 'Home') {
    focusCell(i - (i % 9));
  } else if (e.key === 'End') {
    focusCell(i - (i % 9) + 8);
  } else {
    return; // Tab, Enter and the rest keep their usual meaning
  }
  e.preventDefault();
}

function onEditorPaste(e) {
  const text = (e.clipboardData || window.clipboardData).getData('text');
  const cells = parseSudoku(text);
  e.preventDefault();
  if (cells.length === 81) {
    setPuzzle(cells.join(''));
    setStatus('Pasted 81 cells.');
  } else {
    const start = Number(e.target.dataset.index || 0);
    const all = editorCells();
    cells.forEach((c, k) => { if (start + k < 81) all[start + k].value = c === '.' ? '' : c; });
  }
}

/** The cells in pasted text: digits and '.', everything else (spaces, |, -, +, line breaks) ignored. */
function parseSudoku(text) {
  return (text.match(/[0-9.]/g) || []).map((c) => (c === '0' ? '.' : c));
}

function getPuzzle() {
  return editorCells().map((c) => (/^[1-9]$/.test(c.value) ? c.value : '.')).join('');
}

function setPuzzle(p) {
  editorCells().forEach((c, i) => { c.value = p[i] === '.' || p[i] === '0' ? '' : p[i]; });
  $('paste').value = p;
}

// ---------- mazes ----------

/** Pasted maze text as the API's row-major string: rows joined, 'o' (a drawn path) read as open. */
function parseMaze(text) {
  const rows = text.replace(/\r/g, '').split('\n').filter((r) => r.length > 0);
  return rows.join('').replace(/o/g, ' ');
}

function showMazeText(p) {
  const side = Math.round(Math.sqrt(p.length));
  const rows = [];
  for (let r = 0; r < side; r++) rows.push(p.slice(r * side, (r + 1) * side));
  $('maze-text').value = rows.join('\n');
}

// ---------- generate and solve ----------

async function generate(kind) {
  const busy = kind === 'maze' ? $('generate-maze') : $('generate');
  busy.disabled = true;
  setStatus('Generating...');
  try {
    const query = kind === 'maze' ? 'kind=maze&size=' + mazeSide(state.model) : 'kind=sudoku&givens=' + encodeURIComponent($('givens').value);
    const g = await api('/api/generate?' + query);
    if (kind === 'maze') {
      showMazeText(g.puzzle);
      setStatus('Generated a maze whose shortest path has ' + g.moves + ' moves.');
    } else {
      setPuzzle(g.puzzle);
      setStatus('Generated a Sudoku with ' + g.givens + ' givens.');
    }
  } catch (e) {
    setStatus(e.message, true);
  } finally {
    busy.disabled = false;
  }
}

async function solve() {
  const puzzle = state.kind === 'maze' ? parseMaze($('maze-text').value) : getPuzzle();
  const body = { kind: state.kind, puzzle: puzzle, adaptive: $('adaptive').checked };
  if (state.model) body.model = state.model.name;
  const steps = $('steps').value.trim();
  if (steps !== '') body.steps = Number(steps);
  const trajectories = Number($('trajectories').value || 1), augment = Number($('augment').value || 1);
  if (trajectories > 1 || augment > 1) {
    body.trajectories = trajectories;
    body.augment = augment;
    body.select = $('select-rule').value;
  }
  $('solve').disabled = true;
  setStatus('Solving...');
  try {
    const res = await api('/api/solve', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    setStatus('Solved in ' + res.millis + ' ms.');
    showResult(res, puzzle);
  } catch (e) {
    setStatus(e.message, true);
  } finally {
    $('solve').disabled = false;
  }
}

// ---------- the result: board, step controls, chart, summary ----------

function showResult(res, puzzle) {
  state.result = res;
  state.puzzle = puzzle;
  const panel = $('result-panel');
  panel.hidden = false;
  const board = $('board');
  board.className = 'board ' + res.kind;
  board.innerHTML = '';
  const side = Math.round(Math.sqrt(puzzle.length));
  if (res.kind === 'maze') board.style.gridTemplateColumns = 'repeat(' + side + ', 11px)';
  else board.style.gridTemplateColumns = '';
  for (let i = 0; i < puzzle.length; i++) {
    const cell = document.createElement('div');
    cell.className = 'cell';
    board.appendChild(cell);
  }
  const slider = $('step-slider');
  slider.max = String(res.trace.length);
  drawChart(res.trace, res.thinking);
  showSummary(res);
  play();
}

function play() {
  stop();
  const panel = $('result-panel');
  panel.dataset.state = 'playing';
  renderStep(0);
  state.timer = setInterval(() => {
    if (state.step + 1 >= state.result.trace.length) {
      stop();
      return;
    }
    renderStep(state.step + 1);
  }, STEP_MS);
}

function stop() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
  if (state.result) $('result-panel').dataset.state = 'done';
}

function renderStep(k) {
  const res = state.result;
  const n = res.trace.length;
  k = Math.max(0, Math.min(n - 1, k));
  state.step = k;
  const t = res.trace[k];
  const last = k === n - 1;
  const changed = new Set(t.changed);
  const cells = $('board').children;
  const exact = res.exact && res.exact.answer;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    const ch = t.grid[i];
    let cls = 'cell';
    if (res.kind === 'maze') {
      cls += ' ' + ['wall', 'open', 'start', 'goal', 'path'][MAZE_CHARS.indexOf(ch)];
    } else {
      cell.textContent = ch;
      if (state.puzzle[i] !== '.' && state.puzzle[i] !== '0') cls += ' given';
    }
    if (changed.has(i)) cls += ' changed';
    if (last && exact && exact[i] !== ch) cls += ' wrong';
    cell.className = cls;
  }
  $('board').dataset.step = String(t.step);
  $('step-slider').value = String(k + 1);
  $('step-label').textContent = 'step ' + t.step + ' of ' + n + ' · ' + changed.size + ' changed · confidence '
    + (100 * sigmoid(t.qHalt)).toFixed(1) + '%';
  for (const dot of $('chart').querySelectorAll('.dot')) dot.classList.toggle('current', Number(dot.dataset.k) === k);
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(name, attrs, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Confidence sigmoid(q_halt) per step: a polyline with one dot per step, 0..1 on y; the other runs as thin lines. */
function drawChart(trace, thinking) {
  const chart = $('chart');
  chart.innerHTML = '';
  const left = 34, right = 350, top = 10, bottom = 122;
  const n = trace.length;
  const x = (k) => (n === 1 ? (left + right) / 2 : left + (k * (right - left)) / (n - 1));
  const y = (p) => bottom - p * (bottom - top);
  chart.appendChild(svg('line', { class: 'axis', x1: left, y1: bottom, x2: right, y2: bottom }));
  chart.appendChild(svg('line', { class: 'axis', x1: left, y1: top, x2: left, y2: bottom }));
  chart.appendChild(svg('line', { class: 'halt', x1: left, y1: y(0.5), x2: right, y2: y(0.5) }));
  for (const p of [0, 0.5, 1]) chart.appendChild(svg('text', { x: left - 6, y: y(p) + 3, 'text-anchor': 'end' }, p.toFixed(1)));
  const every = Math.ceil(n / 12);
  trace.forEach((t, k) => {
    if (k % every === 0 || k === n - 1) chart.appendChild(svg('text', { x: x(k), y: bottom + 13, 'text-anchor': 'middle' }, t.step));
  });
  chart.appendChild(svg('text', { x: (left + right) / 2, y: 148, 'text-anchor': 'middle' }, 'supervision step'));
  if (thinking) {
    thinking.qHalt.forEach((q, c) => {
      if (c === thinking.winner) return;
      const pts = q.map((v, k) => x(k).toFixed(1) + ',' + y(sigmoid(v)).toFixed(1)).join(' ');
      chart.appendChild(svg('polyline', { class: 'curve other', points: pts }));
    });
  }
  const points = trace.map((t, k) => x(k).toFixed(1) + ',' + y(sigmoid(t.qHalt)).toFixed(1)).join(' ');
  chart.appendChild(svg('polyline', { class: 'curve', points: points }));
  trace.forEach((t, k) => {
    const dot = svg('circle', { class: 'dot', cx: x(k), cy: y(sigmoid(t.qHalt)), r: 4, 'data-k': k });
    dot.appendChild(svg('title', {}, 'step ' + t.step + ': ' + (100 * sigmoid(t.qHalt)).toFixed(1) + '%'));
    dot.addEventListener('click', () => { stop(); renderStep(k); });
    chart.appendChild(dot);
  });
}

function showSummary(res) {
  const dl = $('summary');
  dl.innerHTML = '';
  const add = (term, text, cls) => {
    dl.appendChild(Object.assign(document.createElement('dt'), { textContent: term }));
    const dd = Object.assign(document.createElement('dd'), { textContent: text });
    if (cls) dd.className = cls;
    dl.appendChild(dd);
  };
  add('Steps used', String(res.stepsUsed));
  add('Confidence', (100 * res.confidence).toFixed(1) + '% (sigmoid q_halt at the last step)');
  add('Rules', (res.valid ? 'valid: ' : 'invalid: ') + res.check, res.valid ? 'ok' : 'bad');
  const ex = res.exact;
  if (!ex) {
    add('Exact solver', 'not available');
  } else if (!ex.answer) {
    add('Exact solver', ex.detail, 'bad');
  } else if (ex.agrees) {
    add('Exact solver', 'agrees (' + ex.detail + ')', 'ok');
  } else {
    let diff = 0;
    for (let i = 0; i < ex.answer.length; i++) if (ex.answer[i] !== res.answer[i]) diff++;
    add('Exact solver', 'differs in ' + diff + ' cell' + (diff === 1 ? '' : 's') + ', outlined in red (' + ex.detail + ')', 'bad');
  }
  const th = res.thinking;
  if (th) {
    add('Runs', th.trajectories + ' trajectories × ' + th.augment + ' copies, picked by ' + th.select + ': trajectory ' + th.trajectory
      + (th.trajectory === 0 ? ' (no noise)' : '') + ' of copy ' + th.symmetry + ' won; ' + th.agree + ' of ' + (th.trajectories * th.augment)
      + ' runs agree, ' + th.valid + ' pass the rule check; ' + th.netCalls + ' network calls');
  }
  add('Time', res.millis + ' ms on the server');
  add('Model', res.model);
}

// ---------- wiring ----------

function init() {
  buildEditor();
  $('model').addEventListener('change', (e) => selectModel(e.target.value));
  $('generate').addEventListener('click', () => generate('sudoku'));
  $('generate-maze').addEventListener('click', () => generate('maze'));
  $('clear').addEventListener('click', () => { setPuzzle('.'.repeat(81)); $('paste').value = ''; focusCell(0); });
  $('paste').addEventListener('input', () => {
    const cells = parseSudoku($('paste').value);
    if (cells.length === 81) {
      editorCells().forEach((c, i) => { c.value = cells[i] === '.' ? '' : cells[i]; });
      setStatus('Read 81 cells.');
    } else if (cells.length > 0) {
      setStatus('Read ' + cells.length + ' of 81 cells.');
    }
  });
  $('solve').addEventListener('click', solve);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); solve(); }
  });
  $('prev').addEventListener('click', () => { stop(); renderStep(state.step - 1); });
  $('next').addEventListener('click', () => { stop(); renderStep(state.step + 1); });
  $('play').addEventListener('click', play);
  $('step-slider').addEventListener('input', (e) => { stop(); renderStep(Number(e.target.value) - 1); });
  loadModels().catch((e) => setStatus('Could not list the models: ' + e.message, true));
}

document.addEventListener('DOMContentLoaded', init);
