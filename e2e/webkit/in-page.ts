/**
 * The code the WebKit adapter runs inside the page over WebDriver (`executeScript`): it finds the
 * elements of a locator (CSS, role, test id, text, label, `or`) and reads what an `expect` or an
 * action needs from them. Playwright does the same with its injected script; WebDriver classic has
 * no such script, so this is the small subset the specs use (see e2e/README.md, "WebKit").
 *
 * Everything here is one self-contained function: it is sent as source text (`String(inPage)`), so
 * it may not refer to anything outside itself.
 */

/** One step of a locator chain, applied to the elements the previous steps found. */
export type Step =
  | { kind: 'css'; selector: string }
  | { kind: 'role'; role: string; name?: TextQuery; exact?: boolean }
  | { kind: 'testid'; id: string }
  | { kind: 'text'; text: TextQuery; exact?: boolean }
  | { kind: 'label'; text: TextQuery; exact?: boolean }
  | { kind: 'or'; chains: Step[][] }

/** A string, or a RegExp sent as its source and flags. */
export type TextQuery = string | { source: string; flags: string }

/** What the page reports about a locator's elements for one `expect` expression or action. */
export interface Probe {
  /** How many elements the locator matched. */
  count: number
  /** The value the expression reads from the only element (undefined without exactly one). */
  value?: unknown
}

/** What a read asks for: an `expect` expression of Playwright's (`to.have.text`, ...) plus an argument. */
export interface Read {
  expression: string
  arg?: string
  useInnerText?: boolean
}

/**
 * Runs in the page. `chain` selects the elements; `read` says what to report about them, or,
 * with `read.expression === 'elements'`, the elements themselves (WebDriver hands them back as
 * element references, for clicks and typing).
 */
export function inPage(chain: Step[], read: Read): Probe | Element[] {
  const normalize = (text: string): string => text.replace(/[\u200b\s]+/g, ' ').trim()
  const matches = (query: TextQuery, text: string, exact: boolean | undefined): boolean => {
    if (typeof query !== 'string') return new RegExp(query.source, query.flags).test(normalize(text))
    // Playwright's rule: exact is whole and case-sensitive; otherwise a case-insensitive substring.
    return exact ? normalize(text) === normalize(query) : normalize(text).toLowerCase().includes(normalize(query).toLowerCase())
  }
  const visible = (element: Element): boolean => {
    const style = getComputedStyle(element)
    if (style.visibility !== 'visible') return false
    const box = element.getBoundingClientRect()
    return box.width > 0 && box.height > 0
  }
  const textOf = (ids: string): string =>
    ids
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
  const labelText = (element: Element): string | undefined => {
    const labelledBy = element.getAttribute('aria-labelledby')
    if (labelledBy) return textOf(labelledBy)
    const label = element.getAttribute('aria-label')
    if (label) return label
    if ('labels' in element && (element as HTMLInputElement).labels?.length) {
      return [...(element as HTMLInputElement).labels!].map((node) => node.textContent ?? '').join(' ')
    }
    return undefined
  }
  const accessibleName = (element: Element): string => labelText(element) ?? element.getAttribute('title') ?? (element as HTMLElement).innerText ?? element.textContent ?? ''
  // Implicit ARIA roles of the elements the fixture apps use (https://www.w3.org/TR/html-aria/).
  const IMPLICIT: Record<string, string> = {
    button: 'button, input[type=button], input[type=submit], input[type=reset]',
    list: 'ul, ol',
    listitem: 'li',
    progressbar: 'progress',
    status: 'output',
    checkbox: 'input[type=checkbox]',
    textbox: 'input:not([type]), input[type=text], input[type=email], input[type=url], textarea',
    combobox: 'select',
    spinbutton: 'input[type=number]',
  }
  const all = (roots: ParentNode[], selector: string): Element[] => roots.flatMap((root) => [...root.querySelectorAll(selector)])
  const inOrder = (elements: Element[]): Element[] =>
    [...new Set(elements)].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
  const apply = (roots: ParentNode[], step: Step): Element[] => {
    switch (step.kind) {
      case 'css':
        return all(roots, step.selector)
      case 'testid':
        return all(roots, `[data-testid="${CSS.escape(step.id)}"]`)
      case 'role': {
        const implicit = IMPLICIT[step.role]
        const candidates = all(roots, `[role="${step.role}"]${implicit ? `, ${implicit}` : ''}`)
        return candidates.filter((element) => {
          const explicit = element.getAttribute('role')
          if (explicit && explicit !== step.role) return false
          if (element.closest('[aria-hidden="true"]') || !visible(element)) return false
          return step.name === undefined || matches(step.name, accessibleName(element), step.exact)
        })
      }
      case 'label':
        return all(roots, 'input, select, textarea, button, [aria-label], [aria-labelledby]').filter((element) => {
          const label = labelText(element)
          return label !== undefined && matches(step.text, label, step.exact)
        })
      case 'text': {
        // The innermost elements whose text matches (Playwright's getByText), never <head> or scripts.
        const found = all(roots, 'body *').filter((element) => !['SCRIPT', 'STYLE'].includes(element.tagName) && matches(step.text, element.textContent ?? '', step.exact))
        return found.filter((element) => !found.some((other) => other !== element && element.contains(other)))
      }
      case 'or':
        return inOrder(step.chains.flatMap((chain) => chain.reduce<ParentNode[]>((found, next) => apply(found, next), roots) as Element[]))
    }
  }
  const elements = inOrder(chain.reduce<ParentNode[]>((found, step) => apply(found, step), [document]) as Element[])
  if (read.expression === 'elements') return elements
  const probe: Probe = { count: elements.length }
  const [only] = elements
  if (elements.length !== 1 || !only) {
    if (read.expression === 'to.be.hidden' || read.expression === 'to.be.visible') probe.value = false
    if (read.expression === 'all.text') probe.value = elements.map((element) => element.textContent ?? '')
    return probe
  }
  const html = only as HTMLElement & { value?: unknown }
  switch (read.expression) {
    case 'to.be.attached':
      probe.value = true
      break
    case 'to.be.visible':
    case 'to.be.hidden':
      probe.value = visible(only)
      break
    case 'to.be.in.viewport': {
      const box = only.getBoundingClientRect()
      probe.value = box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.top < innerHeight
      break
    }
    case 'to.have.text':
    case 'inner.text':
      probe.value = read.useInnerText || read.expression === 'inner.text' ? html.innerText : only.textContent
      break
    case 'all.text':
      probe.value = [only.textContent ?? '']
      break
    case 'to.have.property':
      probe.value = (only as unknown as Record<string, unknown>)[read.arg ?? '']
      break
    case 'to.have.attribute.value':
    case 'to.have.attribute':
      probe.value = only.getAttribute(read.arg ?? '')
      break
    case 'to.have.value':
      probe.value = html.value
      break
    case 'to.have.css':
      probe.value = getComputedStyle(only).getPropertyValue(read.arg ?? '')
      break
    default:
      throw new Error(`volley e2e (WebKit): the adapter cannot read "${read.expression}"`)
  }
  return probe
}
