// The runs pages: training runs and fine-tuning jobs in one list, a run's page (parameters, metrics, curves with
// the best epoch marked; a running job's curves grow), and a comparison of several runs.
import { getJson, request } from './api.js';
import { svgNode } from './markdown.js';
import { el, when } from './ui.js';

const LIVE_MS = 2000;
const STATUSES = ['validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled'];

export function showRuns(main) {
  const page = el('section', { class: 'page', 'aria-labelledby': 'runs-title' });
  main.append(page);
  const filters = { kind: '', data: '', status: '' };
  const selected = new Set();
  const table = el('div');
  const compare = el('button', { type: 'button', class: 'primary', disabled: '' }, 'Compare selected');
  compare.addEventListener('click', () => { location.hash = '#/compare/' + [...selected].map(encodeURIComponent).join(','); });
  const selects = {};
  const bar = el('div', { class: 'filters', role: 'search', 'aria-label': 'Filter runs' });
  for (const [name, label] of [['kind', 'Kind'], ['data', 'Data set'], ['status', 'Status']]) {
    selects[name] = el('select', { id: 'filter-' + name }, el('option', { value: '' }, 'all'));
    selects[name].addEventListener('change', () => { filters[name] = selects[name].value; load(); });
    bar.append(el('label', { for: 'filter-' + name }, label, selects[name]));
  }
  bar.append(compare);
  page.append(el('h1', { id: 'runs-title' }, 'Training runs and fine-tuning jobs'), bar, table);

  const updateCompare = () => {
    compare.disabled = selected.size < 2;
    compare.textContent = selected.size ? `Compare selected (${selected.size})` : 'Compare selected';
  };

  async function load() {
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    let runs;
    try { runs = (await getJson('/api/runs?' + query)).data; } catch (e) { table.replaceChildren(el('p', { class: 'note' }, e.message)); return; }
    if (!runs.length) {
      table.replaceChildren(el('p', { class: 'note' }, query.size
        ? 'No runs match these filters.'
        : 'No runs yet. Train an intent model (parley nlu train) or start a fine-tuning job (parley finetune create) and it appears here.'));
      return;
    }
    const rows = runs.map(run => {
      const box = el('input', { type: 'checkbox', 'aria-label': `Select ${run.id} for comparison` });
      box.checked = selected.has(run.id);
      box.addEventListener('change', () => { if (box.checked) selected.add(run.id); else selected.delete(run.id); updateCompare(); });
      return el('tr', { 'data-run': run.id },
        el('td', {}, box),
        el('td', {}, el('a', { href: '#/runs/' + encodeURIComponent(run.id) }, run.id)),
        el('td', {}, run.kind),
        el('td', {}, el('span', { class: 'status ' + run.status }, run.status)),
        el('td', {}, run.data ?? '—'),
        el('td', {}, when(run.created)),
        el('td', { class: 'n' }, pct(run.metrics.validation_accuracy)),
        el('td', { class: 'n' }, run.metrics.best_epoch ?? '—'),
        el('td', { class: 'n' }, run.metrics.epochs ?? '—'));
    });
    table.replaceChildren(el('table', { class: 'grid' },
      el('caption', { class: 'sr-only' }, 'Runs, newest first'),
      el('thead', {}, el('tr', {}, ...['Compare', 'Run', 'Kind', 'Status', 'Data', 'Started', 'Validation accuracy', 'Best epoch', 'Epochs'].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows)));
  }

  (async () => {
    try {
      const all = (await getJson('/api/runs')).data;
      for (const name of ['kind', 'data', 'status']) {
        const known = { kind: ['fine-tuning'], data: [], status: STATUSES }[name];
        for (const value of [...new Set([...known, ...all.map(r => r[name]).filter(Boolean)])].sort()) selects[name].append(el('option', { value }, value));
      }
    } catch { /* banner */ }
    await load();
  })();
  return () => {};
}

export function showRun(main, id) {
  const page = el('section', { class: 'page', 'aria-labelledby': 'run-title' });
  main.append(page);
  const charts = el('div', { class: 'charts' });
  let timer = null;
  let stopped = false;
  let built = false;
  const status = el('span');
  const live = el('p', { class: 'live', hidden: '' }, 'Live: the curves grow as the job reports each epoch.');
  const info = el('div');
  const summary = el('div');
  const evaluation = el('section', { 'aria-labelledby': 'evaluation-title', hidden: '' });
  let evaluated = null;

  async function load() {
    let run;
    try { run = await getJson('/api/runs/' + encodeURIComponent(id)); } catch (e) { page.replaceChildren(el('p', { class: 'note' }, e.message)); return; }
    if (!built) {
      built = true;
      page.append(el('p', {}, el('a', { href: '#/runs' }, '← All runs')), el('h1', { id: 'run-title' }, run.summary.id, ' ', status), live,
        summary, el('h2', {}, 'Curves'), charts, evaluation, info);
    }
    if (run.evaluation && run.evaluation.evaluated !== evaluated) {
      evaluated = run.evaluation.evaluated;
      await drawEvaluation(evaluation, id, run.evaluation);
    }
    status.replaceChildren(el('span', { class: 'status ' + run.summary.status }, run.summary.status));
    live.hidden = !run.live;
    summary.replaceChildren(
      el('h2', {}, 'Summary'), keyValues({ kind: run.summary.kind, data: run.summary.data, model: run.summary.model, started: when(run.summary.created), 'best epoch': run.best_epoch, epochs: run.history.length }));
    info.replaceChildren(
      el('h2', {}, 'Parameters'), keyValues(run.parameters),
      el('h2', {}, 'Metrics'), keyValues(run.metrics));
    await drawCharts(charts, [id]);
    if (run.live && !stopped) timer = setTimeout(load, LIVE_MS);
  }

  load();
  return () => { stopped = true; clearTimeout(timer); };
}

export function showCompare(main, ids) {
  const page = el('section', { class: 'page', 'aria-labelledby': 'compare-title' });
  main.append(page);
  page.append(el('p', {}, el('a', { href: '#/runs' }, '← All runs')), el('h1', { id: 'compare-title' }, `Comparing ${ids.length} runs`));
  (async () => {
    let runs;
    try { runs = await Promise.all(ids.map(id => getJson('/api/runs/' + encodeURIComponent(id)))); } catch (e) { page.append(el('p', { class: 'note' }, e.message)); return; }
    const rows = [
      ['kind', r => r.summary.kind], ['status', r => r.summary.status], ['data', r => r.summary.data], ['best epoch', r => r.best_epoch], ['epochs', r => r.history.length],
      ...union(runs.map(r => r.metrics)).map(k => ['metric: ' + k, r => r.metrics[k]]),
      ...union(runs.map(r => r.parameters)).map(k => ['parameter: ' + k, r => r.parameters[k]]),
    ];
    const body = rows.map(([name, get]) => {
      const values = runs.map(r => format(get(r)));
      const differs = new Set(values).size > 1;
      return el('tr', { class: differs ? 'differs' : null }, el('th', { scope: 'row' }, name),
        ...values.map(v => el('td', { class: differs ? 'diff' : null }, v)));
    });
    const charts = el('div', { class: 'charts' });
    page.append(
      el('h2', {}, 'Curves, overlaid'), charts,
      el('h2', {}, 'Metrics and parameters'),
      el('p', { class: 'note' }, 'Highlighted rows differ between the runs.'),
      el('table', { class: 'grid compare' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, ''), ...runs.map(r => el('th', { scope: 'col' }, el('a', { href: '#/runs/' + encodeURIComponent(r.summary.id) }, r.summary.id))))),
        el('tbody', {}, ...body)));
    await drawCharts(charts, ids);
  })();
  return () => {};
}

/** The run's evaluation report (`nlu eval --model` of its model): headline metrics and the shared evaluation charts. */
async function drawEvaluation(host, id, evaluation) {
  const m = evaluation.metrics || {};
  const pct = v => v == null ? null : (v * 100).toFixed(1) + '%';
  const nodes = [
    el('h2', { id: 'evaluation-title' }, 'Evaluation'),
    el('p', { class: 'note' }, `On ${evaluation.data}, ${when(evaluation.evaluated)}: ${m.count ?? '?'} items.`),
    keyValues({
      accuracy: pct(m.accuracy), 'in-scope accuracy': pct(m.in_scope_accuracy), 'closed-set accuracy': pct(m.closed_accuracy),
      'out-of-scope recall': pct(m.oos_recall), 'out-of-scope precision': pct(m.oos_precision), 'macro-F1': pct(m.macro_f1),
      'expected calibration error': m.ece == null ? null : m.ece.toFixed(3),
    }),
  ];
  const charts = el('div', { class: 'charts' });
  for (const chart of ['confusion', 'f1', 'confidence']) {
    try {
      const svg = await (await request(`/api/runs/${encodeURIComponent(id)}/evaluation/${chart}.svg`)).text();
      const figure = el('figure', { class: 'chart-' + chart });
      figure.append(svgNode(svg));
      charts.append(figure);
    } catch (e) {
      charts.append(el('p', { class: 'note' }, e.message));
    }
  }
  nodes.push(charts);
  host.replaceChildren(...nodes);
  host.hidden = false;
}

async function drawCharts(host, ids) {
  const list = ids.map(encodeURIComponent).join(',');
  const nodes = [];
  for (const chart of ['loss', 'accuracy']) {
    try {
      const svg = await (await request(`/api/runs/charts/${chart}.svg?ids=${list}`)).text();
      const figure = el('figure', { class: 'chart-' + chart });
      figure.append(svgNode(svg));
      nodes.push(figure);
    } catch (e) {
      nodes.push(el('p', { class: 'note' }, e.message));
    }
  }
  host.replaceChildren(...nodes);
}

function keyValues(object) {
  const entries = Object.entries(object || {}).filter(([, v]) => v != null && v !== '');
  if (!entries.length) return el('p', { class: 'note' }, 'None recorded.');
  return el('dl', { class: 'kv' }, ...entries.flatMap(([k, v]) => [el('dt', {}, k.replaceAll('_', ' ')), el('dd', {}, format(v))]));
}

function union(objects) { return [...new Set(objects.flatMap(o => Object.keys(o || {})))].sort(); }

function format(value) {
  if (value == null) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function pct(value) { return value == null ? '—' : (value * 100).toFixed(1) + '%'; }
