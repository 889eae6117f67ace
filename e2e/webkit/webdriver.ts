/**
 * The processes behind the WebKit run: an X server (Xvfb, once per run, from global setup) and,
 * per Playwright worker, a `WebKitWebDriver` that drives Debian's WebKitGTK `MiniBrowser` over
 * classic WebDriver (no BiDi, no headless mode: hence Xvfb).
 *
 * Every process is started here and stopped here by its PID. WebKitWebDriver runs in its own
 * process group, and the whole group is signalled: MiniBrowser and its web and network processes
 * are children of the driver, and signalling the driver alone leaves MiniBrowser running.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { Builder, type WebDriver } from 'selenium-webdriver'

/** Where WebKitWebDriver is looked for (after `$VOLLEY_WEBKIT_DRIVER`). */
const SYSTEM_DRIVERS = ['/usr/bin/WebKitWebDriver', '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/WebKitWebDriver']

/** The WebKitWebDriver executable, or undefined with the reason it was not found. */
export function findWebKitDriver(env: NodeJS.ProcessEnv = process.env): { path: string } | { missing: string } {
  const override = env.VOLLEY_WEBKIT_DRIVER
  if (override) return existsSync(override) ? { path: override } : { missing: `VOLLEY_WEBKIT_DRIVER=${override} does not exist` }
  const found = SYSTEM_DRIVERS.find((path) => existsSync(path))
  return found ? { path: found } : { missing: `no WebKitWebDriver found (looked at $VOLLEY_WEBKIT_DRIVER, ${SYSTEM_DRIVERS.join(', ')})` }
}

/** How to get WebKit, as shown when it is missing. */
export const WEBKIT_INSTALL_HELP = [
  'Install it, then run the suite again:',
  '  - Debian/Ubuntu (as root): bash e2e/install-browsers.sh   (apt-get install webkit2gtk-driver xvfb xauth)',
  '  - or point to the driver: VOLLEY_WEBKIT_DRIVER=/path/to/WebKitWebDriver',
  'See e2e/README.md ("WebKit").',
].join('\n')

/** Stops a child by PID (its whole process group with `group`) and waits until it has exited. */
async function stop(child: ChildProcess, group: boolean): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    process.kill(group ? -child.pid : child.pid, 'SIGTERM')
  } catch {
    return // already gone
  }
  await exited
}

/** An X display for the run. */
export interface Display {
  /** `:N`, for `$DISPLAY`. */
  readonly name: string
  stop(): Promise<void>
}

/**
 * Starts Xvfb on a display number it picks itself (`-displayfd`: it writes the number once it
 * accepts clients, so there is no race on a guessed number or a lock file).
 */
export async function startXvfb(): Promise<Display> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
  let stderr = ''
  xvfb.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk))
  const number = await new Promise<string>((resolve, reject) => {
    let out = ''
    xvfb.stdio[3]?.on('data', (chunk: Buffer) => {
      out += chunk
      if (out.includes('\n')) resolve(out.trim())
    })
    xvfb.once('error', (error) => reject(new Error(`volley e2e: cannot start Xvfb (${error.message}); apt-get install xvfb xauth`)))
    xvfb.once('exit', (code) => reject(new Error(`volley e2e: Xvfb exited with ${code}: ${stderr}`)))
  })
  return { name: `:${number}`, stop: () => stop(xvfb, false) }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (address && typeof address !== 'string' ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** A WebDriver session on MiniBrowser, with the driver process behind it. */
export interface WebKitSession {
  readonly driver: WebDriver
  /** Ends the session and stops the driver's process group. */
  close(): Promise<void>
}

/** The window the specs expect (Playwright's `viewport` in playwright.config.ts). */
export const VIEWPORT = { width: 1000, height: 700 } as const

/**
 * Starts WebKitWebDriver on a free port and opens one session on MiniBrowser. About a second on
 * an idle machine; a worker keeps its session across tests (see `page.ts`).
 */
export async function startWebKitSession(display: string): Promise<WebKitSession> {
  const found = findWebKitDriver()
  if ('missing' in found) throw new Error(`volley e2e: ${found.missing}\n${WEBKIT_INSTALL_HELP}`)
  const port = await freePort()
  const server = spawn(found.path, [`--port=${port}`, '--host=127.0.0.1'], { env: { ...process.env, DISPLAY: display }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  server.stdout?.on('data', (chunk: Buffer) => void (output += chunk))
  server.stderr?.on('data', (chunk: Buffer) => void (output += chunk))
  const url = `http://127.0.0.1:${port}`
  try {
    // The driver answers /status once it listens; poll it (it starts in tens of ms).
    for (let tries = 0; ; tries++) {
      if (server.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${server.exitCode}: ${output}`)
      const ready = await fetch(`${url}/status`).then((response) => response.ok, () => false)
      if (ready) break
      if (tries > 200) throw new Error(`WebKitWebDriver did not answer on ${url} within 10 s: ${output}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const driver = new Builder().usingServer(url).withCapabilities({ browserName: 'MiniBrowser' }).build()
    await driver.manage().setTimeouts({ script: 60_000, pageLoad: 30_000 })
    await driver.manage().window().setRect(VIEWPORT)
    return {
      driver,
      close: async () => {
        await driver.quit().catch(() => undefined)
        await stop(server, true)
      },
    }
  } catch (error) {
    await stop(server, true)
    throw error
  }
}
