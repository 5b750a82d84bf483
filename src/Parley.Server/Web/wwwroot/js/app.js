// The app's shell: the API key field, navigation and the hash routes (#/chat/ID, #/runs, #/runs/ID, #/compare/A,B).
import { apiKey, setApiKey } from './api.js';
import { clearBanner } from './banners.js';
import { showChat } from './chat.js';
import { showRuns, showRun, showCompare } from './runs.js';

const main = document.getElementById('main');
let leave = null;

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [page, ...rest] = hash.split('/');
  const arg = decodeURIComponent(rest.join('/'));
  if (leave) { leave(); leave = null; }
  main.replaceChildren();
  document.body.dataset.route = ['runs', 'compare'].includes(page) ? 'runs' : 'chat';
  for (const link of document.querySelectorAll('[data-nav]')) {
    const current = link.dataset.nav === (page === 'compare' ? 'runs' : page || 'chat');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (page === 'runs' && arg) leave = showRun(main, arg);
  else if (page === 'runs') leave = showRuns(main);
  else if (page === 'compare') leave = showCompare(main, arg.split(',').filter(Boolean));
  else leave = showChat(main, page === 'chat' ? arg : '', newHash => {
    if (location.hash !== newHash) history.replaceState(null, '', newHash);
  });
}

const keyInput = document.getElementById('api-key');
keyInput.value = apiKey();
document.getElementById('key-form').addEventListener('submit', event => {
  event.preventDefault();
  setApiKey(keyInput.value.trim());
  document.getElementById('key-hint').textContent = keyInput.value ? 'saved in this browser only' : 'cleared';
  clearBanner('auth');
  route();
});

window.addEventListener('hashchange', route);
route();
