// A message's text as nodes: text stays text. Only http and https addresses become links (opened
// in a new tab, no referrer); anything else, `javascript:` included, is shown as written.

import { el } from './dom.js';

const ADDRESS = /\bhttps?:\/\/[^\s<>"']+/giu;

function safeLink(candidate) {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The nodes showing `text`. */
export function messageTextNodes(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const href = safeLink(match[0]);
    if (href === null) {
      continue;
    }
    nodes.push(document.createTextNode(text.slice(last, match.index)));
    nodes.push(el('a', { href, target: '_blank', rel: 'noopener noreferrer', text: match[0] }));
    last = match.index + match[0].length;
  }
  nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}
