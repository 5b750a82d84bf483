// Replies as sanitised Markdown: marked renders, DOMPurify sanitises (scripts, event handlers and javascript: links
// are removed), highlight.js colours code blocks, each of which gets a copy button.
import { marked } from '../vendor/marked/marked.esm.js';
import DOMPurify from '../vendor/dompurify/purify.es.mjs';
import hljs from '../vendor/highlight/highlight.min.js';

marked.setOptions({ gfm: true, breaks: false });

DOMPurify.addHook('afterSanitizeAttributes', node => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/** Renders `text` into `element` (replacing its content). */
export function renderMarkdown(element, text) {
  const html = DOMPurify.sanitize(marked.parse(text || ''), { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button'] });
  element.innerHTML = html;
  for (const block of element.querySelectorAll('pre > code')) {
    try { hljs.highlightElement(block); } catch { /* unknown language: left plain */ }
    const pre = block.parentElement;
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'copy';
    copy.textContent = 'Copy';
    copy.setAttribute('aria-label', 'Copy this code');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(block.textContent);
        copy.textContent = 'Copied';
      } catch {
        copy.textContent = 'Copy failed';
      }
      setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
    });
    pre.append(copy);
  }
}

/** Sanitises an SVG chart from the server into a node. */
export function svgNode(svgText) {
  return DOMPurify.sanitize(svgText, { USE_PROFILES: { svg: true }, RETURN_DOM_FRAGMENT: true });
}
