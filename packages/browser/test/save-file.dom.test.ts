import { createHash } from 'node:crypto'
import { expectedSha256 } from '@volley/chaos-server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isAbortError, isHTTPError, saveFile, type Progress, type SaveFileHandle, type ShowSaveFilePicker } from '@volley/browser'
import { useChaosServer } from './helpers/chaos.js'
import { capturePageConsole } from './helpers/page-console.js'
import { handshake } from '../../core/test/helpers/handshake.js'

// DOM glue only: the File System Access API is stubbed (happy-dom has none); real pickers and
// real downloads are exercised in e2e/ with Playwright.

const server = useChaosServer()

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

interface Clicked {
  href: string
  download: string
  connected: boolean
}

/**
 * Records the anchor clicks of each test and stops happy-dom from navigating to the object URL.
 * Read `clicks()` inside tests.
 */
function watchClicks(): () => Clicked[] {
  let clicks: Clicked[] = []
  const onClick = (event: Event): void => {
    const anchor = event.target as HTMLAnchorElement
    clicks.push({ href: anchor.href, download: anchor.download, connected: anchor.isConnected })
    event.preventDefault()
  }
  beforeEach(() => {
    clicks = []
    document.addEventListener('click', onClick)
  })
  afterEach(() => document.removeEventListener('click', onClick))
  return () => clicks
}

/** A fake `showSaveFilePicker` whose file collects what is written (and whether it was aborted). */
function fakePicker(name = 'picked.bin'): { picker: ShowSaveFilePicker & ReturnType<typeof vi.fn>; written: Uint8Array[]; state: { closed: boolean; aborted: unknown } } {
  const written: Uint8Array[] = []
  const state = { closed: false, aborted: undefined as unknown }
  const handle: SaveFileHandle = {
    name,
    createWritable: async () =>
      new WritableStream<Uint8Array>({
        write: (chunk) => void written.push(chunk),
        close: () => void (state.closed = true),
        abort: (reason) => void (state.aborted = reason ?? 'aborted'),
      }),
  }
  const picker = vi.fn(async () => handle)
  return { picker: picker as ShowSaveFilePicker & typeof picker, written, state }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

describe('saveFile with an <a download> (no File System Access API)', () => {
  const clicks = watchClicks()

  it('clicks an <a download> on an object URL, then revokes the URL', async () => {
    const created = vi.spyOn(URL, 'createObjectURL')
    const revoked = vi.spyOn(URL, 'revokeObjectURL')
    const result = await saveFile(`${server().url}/file/5000?filename=report.bin`, { revokeDelay: 0 })

    expect(result).toEqual({ method: 'anchor', bytes: 5000, filename: 'report.bin' })
    expect(created).toHaveBeenCalledTimes(1)
    const objectUrl = created.mock.results[0]?.value as string
    expect(objectUrl).toMatch(/^blob:/)
    expect(clicks()).toEqual([{ href: objectUrl, download: 'report.bin', connected: true }])
    expect(document.querySelector('a[download]')).toBeNull()
    await vi.waitFor(() => expect(revoked).toHaveBeenCalledWith(objectUrl), handshake)
  })

  it('names the file: suggestedName, else Content-Disposition, else the URL', async () => {
    const named = await saveFile(`${server().url}/file/10?filename=server.bin`, { suggestedName: 'mine.bin', revokeDelay: 0 })
    expect(named.filename).toBe('mine.bin')
    const fromUrl = await saveFile(`${server().url}/bytes/10`, { revokeDelay: 0 })
    expect(fromUrl.filename).toBe('10')
    expect(clicks().map((click) => click.download)).toEqual(['mine.bin', '10'])
  })

  it('reports download progress and rejects with the HTTP error, clicking nothing', async () => {
    const events: Progress[] = []
    await saveFile(`${server().url}/bytes/20000`, { onProgress: (p) => events.push(p), revokeDelay: 0 })
    expect(events.at(-1)).toMatchObject({ loaded: 20000, done: true })

    const before = clicks().length
    const pageConsole = capturePageConsole()
    const error = await saveFile(`${server().url}/status/404`, { retry: false }).catch((e: unknown) => e)
    expect(isHTTPError(error) && error.status).toBe(404)
    expect(clicks().length).toBe(before)
    expect(pageConsole()).toEqual([`GET ${server().url}/status/404 404 (Not Found)`])
  })
})

describe('saveFile with the File System Access API (stubbed picker)', () => {
  const clicks = watchClicks()

  it('streams every byte to the picked file', async () => {
    const { picker, written, state } = fakePicker('chosen.bin')
    vi.stubGlobal('showSaveFilePicker', picker)
    const events: Progress[] = []
    const types = [{ description: 'Binary', accept: { 'application/octet-stream': ['.bin'] } }]
    const result = await saveFile(`${server().url}/file/300000`, { suggestedName: 'data.bin', types, onProgress: (p) => events.push(p) })

    expect(picker).toHaveBeenCalledWith({ suggestedName: 'data.bin', types })
    expect(result).toEqual({ method: 'file-system-access', bytes: 300000, filename: 'chosen.bin' })
    // Compared by digest: a deep equality over 300,000 elements takes seconds.
    expect(createHash('sha256').update(concat(written)).digest('hex')).toBe(expectedSha256(300000))
    expect(state).toEqual({ closed: true, aborted: undefined })
    expect(events.at(-1)).toMatchObject({ loaded: 300000, done: true })
    expect(clicks()).toEqual([])
  })

  it('suggests the URL file name when none is given', async () => {
    const { picker } = fakePicker()
    vi.stubGlobal('showSaveFilePicker', picker)
    await saveFile(`${server().url}/file/10`)
    expect(picker).toHaveBeenCalledWith({ suggestedName: '10' })
  })

  it('rejects with an AbortError when the user cancels the picker', async () => {
    vi.stubGlobal('showSaveFilePicker', async () => {
      throw new DOMException('The user aborted a request.', 'AbortError')
    })
    const error = await saveFile(`${server().url}/file/10`).catch((e: unknown) => e)
    expect(isAbortError(error)).toBe(true)
    expect(clicks()).toEqual([])
  })

  it('falls back to the anchor when the picker is refused (no user gesture)', async () => {
    vi.stubGlobal('showSaveFilePicker', async () => {
      throw new DOMException('Must be handling a user gesture to show a file picker.', 'SecurityError')
    })
    const result = await saveFile(`${server().url}/file/10`, { revokeDelay: 0 })
    expect(result.method).toBe('anchor')
    expect(clicks()).toHaveLength(1)
    await expect(saveFile(`${server().url}/file/10`, { method: 'file-system-access' })).rejects.toMatchObject({ name: 'SecurityError' })
  })

  it('aborts the writable when the download fails, so no partial file is kept', async () => {
    const { picker, state } = fakePicker()
    vi.stubGlobal('showSaveFilePicker', picker)
    const pageConsole = capturePageConsole()
    const error = await saveFile(`${server().url}/status/500`, { retry: false }).catch((e: unknown) => e)
    expect(isHTTPError(error)).toBe(true)
    expect(pageConsole()).toEqual([`GET ${server().url}/status/500 500 (Internal Server Error)`])
    expect(state.closed).toBe(false)
    expect(state.aborted).toBe(error)
  })

  it('aborts the writable when the caller aborts mid-body, rejecting with AbortError', async () => {
    const { picker, written, state } = fakePicker()
    vi.stubGlobal('showSaveFilePicker', picker)
    const controller = new AbortController()
    const saving = saveFile(`${server().url}/stall?after=1000&length=100000`, { signal: controller.signal })
    await vi.waitFor(() => expect(written.length).toBeGreaterThan(0), handshake)
    controller.abort(new Error('navigated away'))
    const error = await saving.catch((e: unknown) => e)
    expect(isAbortError(error)).toBe(true)
    expect(state.closed).toBe(false)
    expect(state.aborted).toBeDefined()
  })

  it("never opens the picker with method: 'anchor'", async () => {
    const { picker } = fakePicker()
    vi.stubGlobal('showSaveFilePicker', picker)
    const result = await saveFile(`${server().url}/file/10`, { method: 'anchor', revokeDelay: 0 })
    expect(result.method).toBe('anchor')
    expect(picker).not.toHaveBeenCalled()
  })
})
