// The chat page: pick a bot or model, keep conversations (bots: the server's sessions; models: this browser),
// stream replies, stop, regenerate, edit and resend, citations, tool calls and approvals, "why this answer".
import { request, getJson, report, errorFor, ApiError } from './api.js';
import { renderMarkdown } from './markdown.js';
import { el, localChats } from './ui.js';

/** The longest conversation title the server accepts (SessionTitles.MaxLength). */
const TITLE_MAX = 200;

const EMBEDDING_MODEL = 'all-MiniLM-L6-v2';
const LAST_MODEL = 'parley.model';

export function showChat(main, openId, setHash) {
  const view = new ChatView(main, setHash);
  view.start(openId);
  return () => view.leave();
}

class ChatView {
  constructor(main, setHash) {
    this.setHash = setHash;
    this.models = [];
    this.bots = new Set();
    this.conv = null;
    this.abort = null;
    this.editing = false;
    this.modelSelect = el('select', { id: 'model' });
    this.list = el('ul', { class: 'conversations', 'aria-label': 'Conversations' });
    this.messages = el('div', { class: 'messages', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation' });
    this.input = el('textarea', { id: 'message', rows: '2', placeholder: 'Write a message…', 'aria-describedby': 'message-hint' });
    this.send = el('button', { type: 'submit', class: 'primary' }, 'Send');
    this.stop = el('button', { type: 'button', hidden: '' }, 'Stop');
    const newChat = el('button', { type: 'button' }, 'New chat');
    newChat.addEventListener('click', () => this.newConversation());
    this.modelSelect.addEventListener('change', () => {
      localStorage.setItem(LAST_MODEL, this.modelSelect.value);
      if (this.conv && this.conv.messages.length === 0) this.conv.model = this.modelSelect.value;
      else this.newConversation();
    });
    const form = el('form', { class: 'composer' },
      el('div', { class: 'grow' },
        el('label', { for: 'message', class: 'sr-only' }, 'Message'), this.input,
        el('span', { id: 'message-hint', class: 'hint' }, 'Enter sends · Shift+Enter for a new line')),
      this.send, this.stop);
    form.addEventListener('submit', event => { event.preventDefault(); this.submit(); });
    this.input.addEventListener('keydown', event => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); this.submit(); }
    });
    this.stop.addEventListener('click', () => this.abort?.abort());
    main.append(el('div', { class: 'chat' },
      el('aside', { class: 'sidebar', 'aria-label': 'Conversations and model' },
        el('label', { for: 'model' }, 'Bot or model'), this.modelSelect, newChat,
        // Folded on a phone, where the list would push the conversation off the screen.
        el('details', { class: 'history', open: matchMedia('(min-width: 761px)').matches ? '' : null },
          el('summary', {}, 'Conversations'), this.list)),
      el('section', { class: 'thread', 'aria-label': 'Chat' }, this.messages, form)));
  }

  leave() { this.abort?.abort(); }

  async start(openId) {
    try {
      const models = await getJson('/v1/models');
      this.models = models.data.filter(m => m.id !== EMBEDDING_MODEL);
      this.bots = new Set(this.models.filter(m => m.owned_by === 'parley' && !m.id.startsWith('ft:')).map(m => m.id));
    } catch { /* the banner says why */ }
    this.fillModels();
    await this.refreshList();
    if (openId) await this.open(openId); else this.newConversation();
  }

  fillModels() {
    const groups = [['Bots', this.models.filter(m => this.bots.has(m.id))], ['Models', this.models.filter(m => !this.bots.has(m.id))]];
    this.modelSelect.replaceChildren(...groups.filter(([, list]) => list.length).map(([label, list]) =>
      el('optgroup', { label }, ...list.map(m => el('option', { value: m.id }, m.id)))));
    const last = localStorage.getItem(LAST_MODEL);
    if (last && this.models.some(m => m.id === last)) this.modelSelect.value = last;
  }

  isBot(model) { return this.bots.has(model); }

  newConversation() {
    this.conv = { id: null, model: this.modelSelect.value, messages: [] };
    this.setHash('#/chat');
    this.render();
    this.markActive();
    this.input.focus();
  }

  async open(id) {
    try {
      if (id.startsWith('local-')) {
        const saved = localChats.get(id);
        if (!saved) throw new ApiError('notfound', 'no such conversation', 404);
        this.conv = { id, model: saved.model, messages: saved.messages, title: saved.title || null };
      } else {
        this.conv = fromSession(await getJson('/api/sessions/' + encodeURIComponent(id)));
      }
      if ([...this.modelSelect.options].some(o => o.value === this.conv.model)) this.modelSelect.value = this.conv.model;
      this.setHash('#/chat/' + encodeURIComponent(id));
      this.render();
      this.markActive();
    } catch (e) {
      if (e.kind === 'notfound') this.newConversation(); else throw e;
    }
  }

  async refreshList() {
    let sessions = [];
    try { sessions = (await getJson('/api/sessions?limit=100')).data; } catch { /* banner */ }
    const items = [
      ...sessions.map(s => ({ id: s.id, model: s.bot, updated: Date.parse(s.updated), preview: s.preview, title: s.title })),
      ...localChats.all().map(([id, c]) => ({ id, model: c.model, updated: c.updated, preview: c.messages.find(m => m.role === 'user')?.content, title: c.title })),
    ].sort((a, b) => b.updated - a.updated);
    this.list.replaceChildren(...items.map(item => this.listItem(item)));
    this.markActive();
  }

  listItem(item) {
    const name = item.title || item.preview || 'New conversation';
    const link = el('a', { href: '#/chat/' + encodeURIComponent(item.id), title: name }, name, el('small', {}, item.model));
    const rename = el('button', { type: 'button', 'aria-label': `Rename “${name}”` }, 'Rename');
    const remove = el('button', { type: 'button', 'aria-label': `Delete “${name}”` }, 'Delete');
    const li = el('li', { 'data-id': item.id }, link, rename, remove);
    rename.addEventListener('click', () => {
      const field = el('input', { type: 'text', value: name, maxlength: String(TITLE_MAX), 'aria-label': 'New name' });
      li.replaceChildren(field);
      field.focus();
      field.select();
      let finished = false;
      const done = async save => {
        if (finished) return;
        finished = true;
        const title = field.value.trim();
        if (save && title !== name) {
          try { await this.setTitle(item.id, title); } catch { /* banner */ }
        }
        await this.refreshList();
      };
      field.addEventListener('keydown', e => {
        if (e.key === 'Enter') done(true);
        if (e.key === 'Escape') done(false);
      });
      field.addEventListener('blur', () => done(true));
    });
    remove.addEventListener('click', async () => {
      if (!confirm(`Delete the conversation “${name}”?`)) return;
      if (item.id.startsWith('local-')) localChats.remove(item.id);
      else await request('/api/sessions/' + encodeURIComponent(item.id), { method: 'DELETE' });
      if (this.conv?.id === item.id) this.newConversation();
      await this.refreshList();
    });
    return li;
  }

  /** Names a conversation: a bot session on the server (PATCH), a model conversation in this browser; '' removes the name. */
  async setTitle(id, title) {
    if (id.startsWith('local-')) {
      const chat = localChats.get(id);
      if (chat) localChats.set(id, { ...chat, title: title || undefined });
    } else {
      await request('/api/sessions/' + encodeURIComponent(id), {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: title || null }),
      });
    }
    if (this.conv?.id === id) this.conv.title = title || null;
  }

  markActive() {
    for (const li of this.list.children) li.classList.toggle('active', li.dataset.id === this.conv?.id);
  }

  render() {
    this.messages.replaceChildren();
    if (!this.conv || this.conv.messages.length === 0) {
      this.messages.append(el('p', { class: 'empty' }, this.models.length
        ? `Ask ${this.modelSelect.value || 'a bot'} something. Bots answer from their intents and knowledge and cite their sources.`
        : 'No bots or models are available yet.'));
      return;
    }
    const messages = this.conv.messages;
    const events = [...(this.conv.events || [])];
    messages.forEach((m, i) => {
      this.messages.append(this.messageNode(m, i === messages.length - 1, i === lastIndex(messages, 'user')));
      if (m.at != null) for (const event of takeEvents(events, m.at)) this.messages.append(eventNode(event));
    });
    for (const event of events) this.messages.append(eventNode(event));
    this.messages.scrollTop = this.messages.scrollHeight;
  }

  messageNode(m, isLast, isLastUser) {
    const node = el('article', { class: 'msg ' + m.role, 'aria-label': m.role === 'user' ? 'You' : this.conv.model });
    node.append(el('div', { class: 'who' }, m.role === 'user' ? 'You' : this.conv.model));
    const body = el('div', { class: 'body' });
    node.append(body);
    if (m.role === 'user') {
      body.textContent = m.content;
      if (isLastUser && !this.abort) {
        const edit = el('button', { type: 'button' }, 'Edit');
        edit.addEventListener('click', () => this.edit(node, m));
        node.append(el('div', { class: 'actions' }, edit));
      }
      return node;
    }
    renderMarkdown(body, m.content);
    m.node = node;
    m.body = body;
    if (m.error) node.append(el('p', { class: 'note', role: 'alert' }, m.error));
    if (m.incomplete) node.append(el('p', { class: 'note' }, 'Stopped: the reply was cut off here.'));
    this.details(node, m, isLast);
    if (isLast && !this.abort) {
      const regenerate = el('button', { type: 'button' }, 'Regenerate');
      regenerate.addEventListener('click', () => this.regenerate());
      node.append(el('div', { class: 'actions' }, regenerate));
    }
    return node;
  }

  details(node, m, isLast) {
    const p = m.parley;
    if (!p) return;
    if (p.sources?.length) {
      const box = el('div', { class: 'sources', role: 'group', 'aria-label': 'Sources' }, el('span', {}, 'Sources:'));
      const panel = el('div', { class: 'passage', hidden: '' });
      p.sources.forEach((s, i) => {
        const button = el('button', { type: 'button', 'aria-expanded': 'false', title: s.source }, `[${i + 1}] ${s.title}`);
        button.addEventListener('click', () => this.togglePassage(button, panel, s, box));
        box.append(button);
      });
      node.append(box, panel);
    }
    for (const call of p.tool_calls || []) {
      const waiting = p.awaiting_approval === true && call.approved === false && call.result == null;
      const state = waiting ? (isLast ? 'waiting for your approval' : 'asked for approval') : call.result != null ? (call.approved ? 'approved, ran' : 'ran') : 'not run';
      const tool = el('details', { class: 'tool', open: waiting && isLast ? '' : null },
        el('summary', {}, `Tool: ${call.name} (${state})`),
        el('div', {}, 'Arguments:'), el('pre', {}, JSON.stringify(call.arguments ?? {}, null, 2)),
        call.result != null ? el('div', {}, 'Result:') : null, call.result != null ? el('pre', {}, call.result) : null);
      if (waiting && isLast && !this.abort) {
        const approve = el('button', { type: 'button', class: 'primary' }, 'Approve');
        const deny = el('button', { type: 'button' }, 'Deny');
        approve.addEventListener('click', () => this.sendText('yes'));
        deny.addEventListener('click', () => this.sendText('no'));
        tool.append(el('div', { class: 'approval', role: 'group', 'aria-label': `Approve ${call.name}?` }, el('span', {}, `Run ${call.name}?`), approve, deny));
      }
      node.append(tool);
    }
    const why = el('dl');
    const add = (name, value) => { if (value != null && value !== '') why.append(el('dt', {}, name), el('dd', {}, String(value))); };
    add('Route', p.route);
    add('Intent', p.intent?.name);
    if (p.intent?.confidence != null) add('Confidence', (p.intent.confidence * 100).toFixed(1) + '%');
    for (const [key, value] of Object.entries(p)) {
      if (['route', 'intent', 'sources', 'tool_calls', 'session', 'awaiting_approval'].includes(key) || value == null) continue;
      add(key.replaceAll('_', ' ').replace(/^./, c => c.toUpperCase()), typeof value === 'object' ? JSON.stringify(value, null, 1) : value);
    }
    if (why.children.length) node.append(el('details', { class: 'why' }, el('summary', {}, 'Why this answer'), why));
  }

  async togglePassage(button, panel, source, box) {
    const open = button.getAttribute('aria-expanded') === 'true';
    for (const b of box.querySelectorAll('button')) b.setAttribute('aria-expanded', 'false');
    if (open) { panel.hidden = true; return; }
    button.setAttribute('aria-expanded', 'true');
    panel.hidden = false;
    panel.replaceChildren(el('p', { class: 'note' }, 'Loading the passage…'));
    try {
      const passage = await getJson(`/api/bots/${encodeURIComponent(this.conv.model)}/passages?id=${encodeURIComponent(source.id)}`);
      const text = el('div', { class: 'passage-text' });
      renderMarkdown(text, passage.text);
      panel.replaceChildren(el('h4', {}, [passage.title, passage.heading].filter(Boolean).join(' › ') + ` (${passage.source})`), text);
    } catch (e) {
      panel.replaceChildren(el('p', { class: 'note' }, 'The passage could not be loaded: ' + e.message));
    }
  }

  edit(node, m) {
    const field = el('textarea', { rows: '3', 'aria-label': 'Edit your message' });
    field.value = m.content;
    const save = el('button', { type: 'button', class: 'primary' }, 'Send edited');
    const cancel = el('button', { type: 'button' }, 'Cancel');
    node.replaceChildren(field, el('div', { class: 'actions' }, save, cancel));
    field.focus();
    cancel.addEventListener('click', () => this.render());
    save.addEventListener('click', () => { if (field.value.trim()) this.resend(field.value.trim()); });
    field.addEventListener('keydown', e => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); save.click(); } });
  }

  regenerate() {
    const i = lastIndex(this.conv.messages, 'user');
    if (i >= 0) this.resend(this.conv.messages[i].content);
  }

  /** Sends `text` in place of the last user message: the history before it is kept, the last turn replaced. */
  async resend(text) {
    const i = lastIndex(this.conv.messages, 'user');
    const history = this.conv.messages.slice(0, Math.max(0, i));
    const old = this.conv.id;
    const title = this.conv.title;
    if (this.isBot(this.conv.model)) {
      // A session cannot be rewound: the history goes into a new session, and the old one is deleted once it exists.
      this.conv = { id: null, model: this.conv.model, messages: history };
      const ok = await this.sendText(text, { seed: true });
      if (ok && old && old !== this.conv.id) {
        try { await request('/api/sessions/' + encodeURIComponent(old), { method: 'DELETE' }); } catch { /* banner */ }
        if (title) { try { await this.setTitle(this.conv.id, title); } catch { /* banner */ } }
        await this.refreshList();
      }
    } else {
      this.conv.messages = history;
      await this.sendText(text);
    }
  }

  submit() {
    const text = this.input.value.trim();
    if (!text || this.abort) return;
    this.input.value = '';
    this.sendText(text);
  }

  /** Sends a user message and streams the reply; true when a reply arrived. */
  async sendText(text, { seed = false } = {}) {
    if (this.abort) return false;
    const conv = this.conv;
    const bot = this.isBot(conv.model);
    const user = { role: 'user', content: text };
    const reply = { role: 'assistant', content: '', parley: null };
    const history = conv.messages.filter(m => !m.error).map(m => ({ role: m.role, content: m.content }));
    conv.messages.push(user, reply);
    const headers = { 'Content-Type': 'application/json' };
    let messages;
    if (bot && conv.id) {
      headers['X-Parley-Session'] = conv.id;
      messages = [{ role: 'user', content: text }];
    } else {
      messages = [...(bot && !seed ? [] : history), { role: 'user', content: text }];
    }
    this.abort = new AbortController();
    this.stop.hidden = false;
    this.send.disabled = true;
    this.render();
    reply.body.classList.add('cursor');
    let ok = false;
    try {
      const response = await request('/v1/chat/completions', {
        method: 'POST', headers, signal: this.abort.signal,
        body: JSON.stringify({ model: conv.model, stream: true, messages }),
      });
      const session = response.headers.get('X-Parley-Session');
      if (bot && session && conv.id !== session) {
        conv.id = session;
        this.setHash('#/chat/' + encodeURIComponent(session));
      }
      ok = await this.readStream(response, reply);
      if (ok && bot && this.conv === conv) {
        // The stored session also holds what happened besides the reply (a handoff, a rule that fired).
        try {
          const stored = fromSession(await getJson('/api/sessions/' + encodeURIComponent(conv.id)));
          conv.messages = stored.messages;
          conv.events = stored.events;
        } catch { /* the reply stays as streamed; the banner says why */ }
      }
    } catch (e) {
      if (e.name === 'AbortError') reply.incomplete = true;
      else reply.error = e.message || String(e);
    } finally {
      reply.done = true;
      this.abort = null;
      this.stop.hidden = true;
      this.send.disabled = false;
    }
    if (reply.error && !reply.content) {
      // Nothing came back: the message goes back into the box to be sent again, and out of the conversation.
      conv.messages.splice(conv.messages.indexOf(user), 2);
      if (!this.input.value) this.input.value = text;
    }
    if (!bot && conv.messages.length) {
      if (!conv.id) { conv.id = 'local-' + Date.now().toString(36) + Math.random().toString(36).slice(2, 6); this.setHash('#/chat/' + conv.id); }
      localChats.set(conv.id, { title: localChats.get(conv.id)?.title, model: conv.model, messages: conv.messages.filter(m => !m.error).map(m => ({ role: m.role, content: m.content, incomplete: !!m.incomplete })), updated: Date.now() });
    }
    this.render();
    this.input.focus();
    await this.refreshList();
    return ok;
  }

  /** Reads server-sent chunks into `reply`, redrawing as text arrives. */
  async readStream(response, reply) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let pending = false;
    const draw = () => {
      pending = false;
      if (!reply.body || reply.done) return;
      renderMarkdown(reply.body, reply.content);
      reply.body.classList.add('cursor');
      this.messages.scrollTop = this.messages.scrollHeight;
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return true;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trimStart()).join('\n');
        if (!data) continue;
        if (data === '[DONE]') return !reply.error;
        const chunk = JSON.parse(data);
        if (chunk.error) {
          const error = errorFor(chunk.error.code === 'rate_limit_exceeded' ? 429 : chunk.error.code === 'upstream_error' ? 502 : 500, chunk.error.code, chunk.error.message);
          report(error);
          reply.error = error.message;
          continue;
        }
        const choice = chunk.choices?.[0];
        if (choice?.delta?.content) reply.content += choice.delta.content;
        if (chunk.parley) reply.parley = chunk.parley;
        if (choice?.finish_reason === 'length') reply.error = 'The reply reached its length limit.';
        if (!pending) { pending = true; requestAnimationFrame(draw); }
      }
    }
  }
}

/** A conversation from a stored session. */
function fromSession(session) {
  return {
    id: session.id,
    model: session.bot,
    title: session.title || null,
    // `at`: how many stored messages precede the next one, to place the session's events (handoffs, rules).
    messages: session.messages.map((m, i) => ({ role: m.role, content: m.content, parley: m.parley, incomplete: !!m.incomplete, at: i + 1 }))
      .filter(m => m.role === 'user' || m.role === 'assistant'),
    events: session.events || [],
  };
}

/** Removes and returns the events that happened after at most `at` stored messages. */
function takeEvents(events, at) {
  const due = events.filter(e => e.after_messages <= at);
  events.splice(0, events.length, ...events.filter(e => e.after_messages > at));
  return due;
}

function eventNode(event) {
  const data = Object.entries(event.data || {}).map(([k, v]) => `${k}: ${v}`).join(' · ');
  return el('div', { class: 'event', role: 'note', 'aria-label': 'Event: ' + event.kind },
    el('strong', {}, event.kind), event.detail ? ' — ' + event.detail : '', data ? el('small', {}, data) : null);
}

function lastIndex(messages, role) {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === role) return i;
  return -1;
}
