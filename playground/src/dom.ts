/** A tiny element factory: the playground is vanilla TypeScript, and this keeps panels readable. */

type Attributes = Record<string, string | number | boolean | undefined>
type Child = Node | string | null | undefined | false

/**
 * Creates an element with attributes and children. `true` sets a boolean attribute, `false` and
 * `undefined` leave it out; strings become text nodes (never parsed as HTML, so nothing a user
 * types can inject markup).
 *
 * @example h('button', { type: 'button', class: 'primary' }, 'Run')
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
  append(element, ...children)
  return element
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
  }
}

/** A panel: a titled `<section>` whose heading labels it for assistive technology. */
export function panel(id: string, title: string, ...children: Child[]): HTMLElement {
  const heading = h('h2', { id: `${id}-title` }, title)
  return h('section', { class: `panel panel-${id}`, 'aria-labelledby': `${id}-title` }, heading, ...children)
}

/** Sets `textContent` only when it changed: live panels rewrite dozens of cells per frame. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text
}
