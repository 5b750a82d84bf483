// Calls to the server's /v1 and /api with the API key kept in this browser; failures become banners.
import { showBanner, clearBanner } from './banners.js';

const KEY = 'parley.apiKey';

export function apiKey() { return localStorage.getItem(KEY) || ''; }
export function setApiKey(value) {
  if (value) localStorage.setItem(KEY, value); else localStorage.removeItem(KEY);
}

/** An error the page can explain: `kind` is auth, rate, upstream, offline, notfound or other. */
export class ApiError extends Error {
  constructor(kind, message, status) { super(message); this.kind = kind; this.status = status; }
}

function headers(extra) {
  const h = new Headers(extra || {});
  const key = apiKey();
  if (key) h.set('Authorization', 'Bearer ' + key);
  return h;
}

/** Fetches `path`; returns the Response when ok, else throws an ApiError after showing its banner. */
export async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: headers(options.headers) });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    const error = new ApiError('offline', navigator.onLine === false
      ? 'You are offline: messages cannot be sent until the connection is back.'
      : 'The Parley server cannot be reached. Is `parley serve` still running?', 0);
    report(error);
    throw error;
  }
  if (response.ok) {
    clearBanner('offline');
    if (response.status !== 204) clearBanner('auth');
    return response;
  }
  const error = await toError(response);
  report(error);
  throw error;
}

export async function getJson(path) { return (await request(path)).json(); }

/** The ApiError for a failed response, from its OpenAI-style error body. */
export async function toError(response) {
  let message = '';
  let code = '';
  try {
    const body = await response.json();
    message = body?.error?.message || '';
    code = body?.error?.code || '';
  } catch { /* not JSON */ }
  return errorFor(response.status, code, message, response.headers.get('Retry-After'));
}

export function errorFor(status, code, message, retryAfter) {
  if (status === 401) return new ApiError('auth', apiKey()
    ? 'The server refused this API key. Check it in the API key field above.'
    : 'The server needs an API key: enter it in the API key field above.', status);
  if (status === 429) {
    const wait = retryAfter ? ` Try again in ${retryAfter} s.` : ' Wait a moment and try again.';
    const upstream = /upstream/i.test(message);
    return new ApiError('rate', (upstream ? 'The model is rate limited upstream.' : 'Rate limited: too many requests with this key.') + wait, status);
  }
  if (status === 502 || status === 503 || status === 504 || code === 'upstream_error') {
    return new ApiError('upstream', 'The model behind this bot is not answering (upstream down or too slow). ' + (message || ''), status);
  }
  if (status === 404) return new ApiError('notfound', message || 'Not found.', status);
  return new ApiError('other', message || `The server answered HTTP ${status}.`, status);
}

export function report(error) {
  if (error.kind === 'notfound') return;
  showBanner(error.kind, error.message, error.kind === 'auth' ? 'error' : 'warn');
}

window.addEventListener('offline', () => showBanner('offline', 'You are offline: messages cannot be sent until the connection is back.', 'warn'));
window.addEventListener('online', () => clearBanner('offline'));
