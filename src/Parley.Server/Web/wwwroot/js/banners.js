// One banner per kind (auth, rate, upstream, offline, other) at the top of the page.
const host = () => document.getElementById('banners');

export function showBanner(kind, text, level = 'warn') {
  let banner = host().querySelector(`[data-kind="${kind}"]`);
  if (!banner) {
    banner = document.createElement('div');
    banner.dataset.kind = kind;
    const message = document.createElement('span');
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Dismiss';
    close.setAttribute('aria-label', 'Dismiss this message');
    close.addEventListener('click', () => banner.remove());
    banner.append(message, close);
    host().append(banner);
  }
  banner.className = `banner ${level}`;
  banner.firstChild.textContent = text;
}

export function clearBanner(kind) {
  host().querySelector(`[data-kind="${kind}"]`)?.remove();
}
