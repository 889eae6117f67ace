/** The code panel: the volley code equivalent to the builder's settings, with a copy button. */
import { h, panel, setText } from './dom.js'

export interface CodePanel {
  readonly element: HTMLElement
  show(code: string): void
}

export function createCodePanel(): CodePanel {
  const code = h('code', { class: 'language-ts' })
  const pre = h('pre', { class: 'code', tabindex: 0, 'aria-label': 'Equivalent volley code', 'data-testid': 'code' }, code)
  const status = h('span', { class: 'copy-status', role: 'status' })
  const copy = h('button', { type: 'button', class: 'small' }, 'Copy code')
  let statusTimer: ReturnType<typeof setTimeout> | undefined

  const say = (text: string): void => {
    setText(status, text)
    clearTimeout(statusTimer)
    statusTimer = setTimeout(() => setText(status, ''), 2500)
  }
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.textContent ?? '')
      say('Copied')
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select the text so that
      // Ctrl+C / Cmd+C copies it.
      const range = document.createRange()
      range.selectNodeContents(code)
      const selection = getSelection()
      selection?.removeAllRanges()
      selection?.addRange(range)
      say('Selected: press Ctrl+C to copy')
    }
  })

  const element = panel('code', 'Code', h('p', { class: 'hint' }, 'What the current settings do, as volley code. Paste it into a module (top-level await).'), pre, h('div', { class: 'panel-actions' }, copy, status))
  return {
    element,
    show(text) {
      setText(code, text)
    },
  }
}
