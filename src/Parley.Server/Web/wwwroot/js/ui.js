// Small DOM helpers and what the page keeps in this browser (conversations with models, which the server does not store).

/** Creates an element; attributes with null values are left out; children may be strings, nodes or null. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null) continue;
    if (name === 'value' && 'value' in node) node.value = value;
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function store(key) {
  const read = () => { try { return JSON.parse(localStorage.getItem(key) || '{}'); } catch { return {}; } };
  const write = value => localStorage.setItem(key, JSON.stringify(value));
  return { read, write };
}

const chatStore = store('parley.localChats');

/** Conversations with models (not bots), with their titles: the server stores no sessions for them, so this browser does. */
export const localChats = {
  get: id => chatStore.read()[id],
  all: () => Object.entries(chatStore.read()),
  set: (id, chat) => { const all = chatStore.read(); all[id] = chat; chatStore.write(all); },
  remove: id => { const all = chatStore.read(); delete all[id]; chatStore.write(all); },
};

/** A short local date and time. */
export function when(seconds) {
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
