// Building DOM without markup strings: every piece of data becomes a text node, never HTML.

/**
 * Creates an element. `props`: class, text (textContent), dataset, on<event> handlers, and
 * attributes; children are nodes or strings (strings become text nodes).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key === 'class') {
      node.className = value;
    } else if (key === 'text') {
      node.textContent = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

/** The element with that id (the page's skeleton is in index.html). */
export function byId(id) {
  const node = document.getElementById(id);
  if (node === null) {
    throw new Error(`#${id} is missing from index.html`);
  }
  return node;
}

/** Shows a reason next to a field (or clears it with an empty text). */
export function showFieldError(input, errorNode, text) {
  errorNode.textContent = text;
  if (input !== null) {
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
  }
}
