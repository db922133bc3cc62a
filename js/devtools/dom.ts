// A tiny element builder for the devtools panel: no framework, so the panel
// mounts the same in React apps and plain pages, and its code is only in
// bundles that import it.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

/** `h('button', {type: 'button', onclick: fn, 'aria-pressed': true}, 'Pause')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'style') el.setAttribute('style', String(value));
    else el.setAttribute(name, value === true ? (name.startsWith('aria-') ? 'true' : '') : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
}

/** Replaces `parent`'s children (the dynamic parts are rebuilt each refresh; the controls are not). */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
