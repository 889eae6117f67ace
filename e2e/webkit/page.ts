/**
 * A thin WebDriver-backed stand-in for Playwright's `Page` and `Locator`, so that the same spec
 * files run in WebKit (Debian's WebKitGTK through WebKitWebDriver; Playwright's own WebKit build
 * cannot be downloaded here). It implements the subset the specs use, no more; a method it lacks
 * is missing on purpose and fails with "is not a function".
 *
 * `expect(locator).toHaveText(...)` and friends are Playwright's own matchers: they call
 * `locator._expect(expression, options)` on any object whose `_apiName` is `'Locator'` and format
 * the result. This adapter answers that call by polling the page over WebDriver (see
 * `in-page.ts`) until the expectation holds or its timeout passes, as Playwright does. That is an
 * internal interface of @playwright/test, which is pinned to an exact version (package.json); an
 * expression the adapter does not know fails with a message naming it.
 *
 * WebDriver classic has no events: page errors and console errors are recorded in the page (a
 * script the fixture apps' Vite config puts first in every page, `apps/vite-shared.ts`; other
 * pages get it once loaded) and collected after every call into the page, and once more when a
 * test ends (`flushPageReports`).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { Key, type WebDriver, type WebElement } from 'selenium-webdriver'
import { PAGE_REPORTS } from '../apps/vite-shared.js'
import { inPage, type Probe, type Read, type Step, type TextQuery } from './in-page.js'
import { decode, encode, type Encoded } from './values.js'
import { VIEWPORT } from './webdriver.js'

/** What the page recorded: an uncaught error or unhandled rejection, or a console message. */
type PageReport = { kind: 'pageerror'; name: string; message: string } | { kind: 'console'; type: string; text: string }

/** The console message handed to `page.on('console')` listeners (the part of Playwright's the specs read). */
interface ConsoleMessage {
  type(): string
  text(): string
}

type Listener = ((error: Error) => void) | ((message: ConsoleMessage) => void)

/** Playwright's text expectations, as its matchers serialize them. */
interface ExpectedText {
  string?: string
  regexSource?: string
  regexFlags?: string
  matchSubstring?: boolean
  ignoreCase?: boolean
  normalizeWhiteSpace?: boolean
}

interface ExpectOptions {
  expectedText?: ExpectedText[]
  expectedValue?: unknown
  expressionArg?: string
  isNot: boolean
  timeout: number
  useInnerText?: boolean
}

interface ExpectResult {
  matches: boolean
  received?: { value: unknown }
  log: string[]
  timedOut: boolean
  errorMessage?: string
}

/** How long an action waits for its element to be there, alone and visible (Playwright: until the test times out). */
const ACTION_TIMEOUT = 15_000
/** Poll intervals while waiting, as Playwright's (ms), the last one repeated. */
const POLL = [0, 20, 50, 100, 100, 250, 500]

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The script prologue of every call: hands the page's recorded reports back with the result. */
const REPORTS = 'const reports = () => (window.__volleyPageReports || []).splice(0);'

/** Playwright's key names, as the specs press them, to WebDriver's key codes. */
const KEYS: Record<string, string> = {
  Control: Key.CONTROL,
  Shift: Key.SHIFT,
  Alt: Key.ALT,
  Meta: Key.META,
  Enter: Key.ENTER,
  Tab: Key.TAB,
  Escape: Key.ESCAPE,
  Backspace: Key.BACK_SPACE,
  ArrowUp: Key.ARROW_UP,
  ArrowDown: Key.ARROW_DOWN,
  ArrowLeft: Key.ARROW_LEFT,
  ArrowRight: Key.ARROW_RIGHT,
  Home: Key.HOME,
  End: Key.END,
  Space: Key.SPACE,
}

function normalizeSpace(text: string): string {
  return text.replace(/[\u200b\s]+/g, ' ').trim()
}

/** Playwright's ExpectedTextMatcher: a string (whole or substring) or a RegExp against an element's text. */
function matchesText(expected: ExpectedText, received: unknown): boolean {
  if (typeof received !== 'string') return false
  const text = expected.normalizeWhiteSpace ? normalizeSpace(received) : received
  if (expected.regexSource !== undefined) {
    const flags = expected.regexFlags ?? ''
    return new RegExp(expected.regexSource, expected.ignoreCase && !flags.includes('i') ? `${flags}i` : flags).test(text)
  }
  let want = expected.string ?? ''
  if (expected.normalizeWhiteSpace) want = normalizeSpace(want)
  const [left, right] = expected.ignoreCase ? [text.toLowerCase(), want.toLowerCase()] : [text, want]
  return expected.matchSubstring ? left.includes(right) : left === right
}

/** What one `expect` expression reads in the page, and how its value decides the match. */
const EXPRESSIONS: Record<string, { read: string; matches(probe: Probe, options: ExpectOptions): boolean }> = {
  'to.be.attached': { read: 'to.be.attached', matches: (probe) => probe.count >= 1 },
  'to.be.detached': { read: 'to.be.attached', matches: (probe) => probe.count === 0 },
  'to.be.visible': { read: 'to.be.visible', matches: (probe) => probe.value === true },
  'to.be.hidden': { read: 'to.be.hidden', matches: (probe) => probe.count === 0 || probe.value === false },
  'to.be.in.viewport': { read: 'to.be.in.viewport', matches: (probe) => probe.value === true },
  'to.have.text': { read: 'to.have.text', matches: (probe, options) => matchesText(options.expectedText![0]!, probe.value) },
  'to.have.property': { read: 'to.have.property', matches: (probe, options) => probe.count === 1 && isDeepStrictEqual(probe.value, options.expectedValue) },
  'to.have.attribute': { read: 'to.have.attribute', matches: (probe) => typeof probe.value === 'string' },
  'to.have.attribute.value': { read: 'to.have.attribute.value', matches: (probe, options) => matchesText(options.expectedText![0]!, probe.value) },
  'to.have.value': { read: 'to.have.value', matches: (probe, options) => matchesText(options.expectedText![0]!, probe.value) },
  'to.have.css': { read: 'to.have.css', matches: (probe, options) => matchesText(options.expectedText![0]!, probe.value) },
}

function quote(text: TextQuery): string {
  return typeof text === 'string' ? `'${text}'` : `/${text.source}/${text.flags}`
}

function query(text: string | RegExp): TextQuery {
  return typeof text === 'string' ? text : { source: text.source, flags: text.flags }
}

/** A Locator over WebDriver: a chain of steps resolved in the page on every use, as Playwright's. */
export class WebKitLocator {
  /** Playwright's matchers accept any receiver with this `_apiName` (see the file's comment). */
  readonly _apiName = 'Locator'

  constructor(
    private readonly page: WebKitPage,
    private readonly chain: Step[],
    private readonly description: string,
  ) {}

  private then_(step: Step, description: string): WebKitLocator {
    return new WebKitLocator(this.page, [...this.chain, step], `${this.description}.${description}`)
  }

  locator(selector: string): WebKitLocator {
    return this.then_({ kind: 'css', selector }, `locator('${selector}')`)
  }

  getByRole(role: string, options: { name?: string | RegExp; exact?: boolean } = {}): WebKitLocator {
    const name = options.name === undefined ? undefined : query(options.name)
    const suffix = name === undefined ? '' : `, { name: ${quote(name)}${options.exact ? ', exact: true' : ''} }`
    return this.then_({ kind: 'role', role, ...(name !== undefined && { name }), ...(options.exact !== undefined && { exact: options.exact }) }, `getByRole('${role}'${suffix})`)
  }

  getByTestId(id: string): WebKitLocator {
    return this.then_({ kind: 'testid', id }, `getByTestId('${id}')`)
  }

  getByText(text: string | RegExp, options: { exact?: boolean } = {}): WebKitLocator {
    return this.then_({ kind: 'text', text: query(text), ...(options.exact !== undefined && { exact: options.exact }) }, `getByText(${quote(query(text))})`)
  }

  getByLabel(text: string | RegExp, options: { exact?: boolean } = {}): WebKitLocator {
    return this.then_({ kind: 'label', text: query(text), ...(options.exact !== undefined && { exact: options.exact }) }, `getByLabel(${quote(query(text))})`)
  }

  or(other: WebKitLocator): WebKitLocator {
    return new WebKitLocator(this.page, [{ kind: 'or', chains: [this.chain, other.chain] }], `${this.description}.or(${other.description})`)
  }

  toString(): string {
    return this.description
  }

  /** Playwright's matcher protocol: polls until the expectation holds (or, with `isNot`, fails), or times out. */
  async _expect(expression: string, options: ExpectOptions): Promise<ExpectResult> {
    const known = EXPRESSIONS[expression]
    if (!known) throw new Error(`volley e2e (WebKit): the adapter does not implement the "${expression}" expectation (e2e/webkit/page.ts)`)
    const deadline = Date.now() + options.timeout
    for (let i = 0; ; i++) {
      const probe = await this.page.read(this.chain, { expression: known.read, ...(options.expressionArg !== undefined && { arg: options.expressionArg }), ...(options.useInnerText && { useInnerText: true }) })
      if (probe.count > 1 && expression !== 'to.be.attached') {
        return { matches: options.isNot, log: [], timedOut: false, errorMessage: `strict mode violation: ${this.description} resolved to ${probe.count} elements` }
      }
      const matches = known.matches(probe, options)
      const received = { value: typeof probe.value === 'boolean' ? (probe.value ? expression.replace(/^to\.be\./, '') : `not ${expression.replace(/^to\.be\./, '')}`) : probe.value }
      if (matches !== options.isNot) return { matches, received, log: [], timedOut: false }
      if (Date.now() >= deadline) {
        const found = probe.count === 0 ? 'no element matched' : 'one element matched'
        return { matches, received, log: [`  - ${this.description}: ${found}, polled ${i + 1} times over WebDriver`], timedOut: true }
      }
      await sleep(POLL[Math.min(i, POLL.length - 1)]!)
    }
  }

  /** The only element, once it is there and visible (Playwright's strictness and actionability). */
  private async element(): Promise<WebElement> {
    const deadline = Date.now() + ACTION_TIMEOUT
    for (let i = 0; ; i++) {
      const elements = await this.page.elements(this.chain)
      if (elements.length > 1) throw new Error(`strict mode violation: ${this.description} resolved to ${elements.length} elements`)
      const [only] = elements
      if (only) {
        const probe = await this.page.read(this.chain, { expression: 'to.be.visible' })
        if (probe.value === true) return only
      }
      if (Date.now() >= deadline) throw new Error(`volley e2e (WebKit): ${this.description} was not there and visible within ${ACTION_TIMEOUT} ms`)
      await sleep(POLL[Math.min(i, POLL.length - 1)]!)
    }
  }

  /**
   * Clicks the element in the page (`HTMLElement.click()`) once it is there, alone and visible. A
   * WebDriver click is a mouse event at the element's centre as measured a moment before: it
   * missed a button that the page moved while laying out data that had just arrived, where
   * Playwright would have waited for the element to stop moving.
   */
  async click(): Promise<void> {
    await this.evaluate((element: HTMLElement) => element.click())
  }

  async clear(): Promise<void> {
    await (await this.element()).clear()
  }

  /** Replaces the value, as typing would (WebDriver's clear, then its keystrokes). */
  async fill(value: string): Promise<void> {
    const element = await this.element()
    await element.clear()
    if (value !== '') await element.sendKeys(value)
    await this.page.collect()
  }

  async check(): Promise<void> {
    const checked = await this.evaluate((input: HTMLInputElement) => input.checked)
    if (!checked) await this.click()
  }

  /** Selects the option with this value, and fires `input` and `change` as Playwright does. */
  async selectOption(value: string): Promise<string[]> {
    return this.evaluate((select: HTMLSelectElement, wanted: string) => {
      select.value = wanted
      if (select.value !== wanted) throw new Error(`no option with the value ${wanted}`)
      select.dispatchEvent(new Event('input', { bubbles: true }))
      select.dispatchEvent(new Event('change', { bubbles: true }))
      return [wanted]
    }, value)
  }

  async focus(): Promise<void> {
    await this.evaluate((element: HTMLElement) => element.focus())
  }

  async innerText(): Promise<string> {
    return (await this.page.read(this.chain, { expression: 'inner.text' })).value as string
  }

  async getAttribute(name: string): Promise<string | null> {
    return (await this.page.read(this.chain, { expression: 'to.have.attribute', arg: name })).value as string | null
  }

  async allTextContents(): Promise<string[]> {
    return (await this.page.read(this.chain, { expression: 'all.text' })).value as string[]
  }

  /** Runs `fn(element, arg)` in the page, on the only element. */
  async evaluate<R, A, E extends Element>(fn: (element: E, arg: A) => R, arg?: A): Promise<R> {
    return this.page.evaluateOn(await this.element(), fn as (element: Element, arg: unknown) => unknown, arg) as Promise<R>
  }
}

/** A Page over WebDriver (one WebKit window, kept by the worker across tests). */
export class WebKitPage {
  private readonly listeners = new Map<string, Listener[]>()
  private currentUrl = 'about:blank'
  readonly keyboard = { press: (keys: string) => this.press(keys) }
  /** Moves the pointer to `x`, `y` (CSS pixels of the viewport), as Playwright's `mouse.move`. */
  readonly mouse = { move: (x: number, y: number) => this.moveMouse(x, y) }

  constructor(private readonly driver: WebDriver) {}

  /** `pageerror` (an Error) and `console` (a message with `type()` and `text()`), as Playwright's. */
  on(event: 'pageerror' | 'console', listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }

  private dispatch(reports: PageReport[] | null | undefined): void {
    for (const report of reports ?? []) {
      if (report.kind === 'pageerror') {
        const error = Object.assign(new Error(report.message), { name: report.name })
        for (const listener of this.listeners.get('pageerror') ?? []) (listener as (error: Error) => void)(error)
      } else {
        const message: ConsoleMessage = { type: () => report.type, text: () => report.text }
        for (const listener of this.listeners.get('console') ?? []) (listener as (message: ConsoleMessage) => void)(message)
      }
    }
  }

  /** Hands the page's recorded errors and console messages to the listeners. */
  async collect(): Promise<void> {
    this.dispatch(await this.driver.executeScript<PageReport[]>(`${REPORTS} return reports()`).catch(() => []))
  }

  /** Navigates and waits for the load event. WebDriver does not report the HTTP status: `status()` is null. */
  async goto(url: string): Promise<{ status(): number | null }> {
    await this.collect()
    await this.driver.get(url)
    // A page not built with the fixture apps' config (the playground) records from here on.
    await this.driver.executeScript(PAGE_REPORTS)
    this.currentUrl = await this.driver.getCurrentUrl()
    return { status: () => null }
  }

  url(): string {
    return this.currentUrl
  }

  locator(selector: string): WebKitLocator {
    return new WebKitLocator(this, [{ kind: 'css', selector }], `locator('${selector}')`)
  }

  getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): WebKitLocator {
    return new WebKitLocator(this, [], 'page').getByRole(role, options)
  }

  getByTestId(id: string): WebKitLocator {
    return new WebKitLocator(this, [], 'page').getByTestId(id)
  }

  getByText(text: string | RegExp, options?: { exact?: boolean }): WebKitLocator {
    return new WebKitLocator(this, [], 'page').getByText(text, options)
  }

  getByLabel(text: string | RegExp, options?: { exact?: boolean }): WebKitLocator {
    return new WebKitLocator(this, [], 'page').getByLabel(text, options)
  }

  /** Runs `fn(arg)` in the page and resolves with its (awaited) result; values cross as Playwright's do. */
  async evaluate<R, A>(fn: ((arg: A) => R) | string, arg?: A): Promise<Awaited<R>> {
    return this.evaluateOn(null, fn as string | ((arg: unknown) => unknown), arg) as Promise<Awaited<R>>
  }

  /** `fn(element, arg)`, or `fn(arg)` without an element. */
  async evaluateOn(element: WebElement | null, fn: string | ((...args: never[]) => unknown), arg: unknown): Promise<unknown> {
    const script = `${REPORTS}
      const [source, element, arg, done] = arguments;
      const encode = ${String(encode)}, decode = ${String(decode)};
      const fn = (0, eval)('(' + source + ')');
      Promise.resolve()
        .then(() => (element ? fn(element, decode(arg)) : typeof fn === 'function' ? fn(decode(arg)) : fn))
        .then((value) => done({ ok: true, value: encode(value), reports: reports() }),
              (error) => done({ ok: false, error: { name: error && error.name, message: error && error.message !== undefined ? error.message : String(error), stack: error && error.stack }, reports: reports() }));`
    const outcome = await this.driver.executeAsyncScript<{ ok: boolean; value?: Encoded; error?: { name: string; message: string; stack?: string }; reports: PageReport[] }>(script, String(fn), element, encode(arg))
    this.dispatch(outcome.reports)
    if (!outcome.ok) {
      const error = Object.assign(new Error(`page.evaluate: ${outcome.error?.name}: ${outcome.error?.message}\n${outcome.error?.stack ?? ''}`), { name: outcome.error?.name ?? 'Error' })
      throw error
    }
    return decode(outcome.value)
  }

  /** What `read` says about the elements of `chain` (see `in-page.ts`). */
  async read(chain: Step[], read: Read): Promise<Probe> {
    const { probe, reports } = await this.driver.executeScript<{ probe: Probe; reports: PageReport[] }>(
      `${REPORTS} return { probe: (${String(inPage)})(arguments[0], arguments[1]), reports: reports() }`,
      chain,
      read,
    )
    this.dispatch(reports)
    return probe
  }

  /** The elements of `chain`, as WebDriver element references. */
  async elements(chain: Step[]): Promise<WebElement[]> {
    return this.driver.executeScript<WebElement[]>(`return (${String(inPage)})(arguments[0], { expression: 'elements' })`, chain)
  }

  /** A key or a chord, as Playwright writes them: 'Enter', 'Control+Enter'. */
  async press(keys: string): Promise<void> {
    const parts = keys.split('+').map((name) => KEYS[name] ?? (name.length === 1 ? name : undefined))
    if (parts.some((key) => key === undefined)) throw new Error(`volley e2e (WebKit): the adapter does not know the key ${keys}`)
    const codes = parts as string[]
    const modifiers = codes.slice(0, -1)
    let actions = this.driver.actions({ async: true })
    for (const modifier of modifiers) actions = actions.keyDown(modifier)
    actions = actions.sendKeys(codes.at(-1)!)
    for (const modifier of modifiers.reverse()) actions = actions.keyUp(modifier)
    await actions.perform()
    await this.collect()
  }

  /** WebDriver's pointer move, from the viewport's top-left corner (its default origin). */
  private async moveMouse(x: number, y: number): Promise<void> {
    await this.driver.actions({ async: true }).move({ x: Math.round(x), y: Math.round(y) }).perform()
    await this.collect()
  }

  /** Sizes the window so that the page's viewport is `size` (the window's frame added). */
  async setViewportSize(size: { width: number; height: number }): Promise<void> {
    const frame = await this.driver.executeScript<{ width: number; height: number }>('return { width: outerWidth - innerWidth, height: outerHeight - innerHeight }')
    await this.driver.manage().window().setRect({ width: size.width + frame.width, height: size.height + frame.height })
  }

  async waitForTimeout(ms: number): Promise<void> {
    await sleep(ms)
  }

  /** The viewport as a PNG (WebDriver classic cannot shoot the full page: `fullPage` is ignored). */
  async screenshot(options: { path?: string; fullPage?: boolean } = {}): Promise<Buffer> {
    const png = Buffer.from(await this.driver.takeScreenshot(), 'base64')
    if (options.path) {
      mkdirSync(dirname(options.path), { recursive: true })
      writeFileSync(options.path, png)
    }
    return png
  }

  /**
   * Ends the test's use of the window: collects the last reports and leaves the page (which
   * aborts whatever it still had in flight), and restores the window size.
   */
  async reset(): Promise<void> {
    await this.collect()
    await this.driver.get('about:blank')
    await this.driver.manage().window().setRect(VIEWPORT)
  }
}

/** Collects the page's last reports before a fixture checks them (a no-op for Playwright's own pages). */
export async function flushPageReports(page: unknown): Promise<void> {
  if (page instanceof WebKitPage) await page.collect()
}
