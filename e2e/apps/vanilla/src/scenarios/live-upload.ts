import { createClient, progress } from 'volley'
import { uploadBytes } from '../../../shared/bytes.js'
import { chaosUrl } from '../../../shared/chaos.js'
import type { UploadAnswer } from './progress.js'

/** How the body is handed to volley: raw bytes, or the same size as a string. */
export type LiveUploadBody = 'bytes' | 'text'

/**
 * Uploads `bytes` bytes with `onUploadProgress` on a client with `use: [progress()]` (so through the
 * XHR transport) while a 16 ms
 * `setInterval` timer records when it fires. A main thread blocked by `xhr.send` shows as one
 * long gap between ticks; a page that stays live ticks every ~16 ms throughout. The server reads
 * the body slowly (`delayPerChunk`), so the upload lasts long enough to be watched.
 */
export async function liveUpload(args: { bytes: number; body: LiveUploadBody; delayPerChunk: number }): Promise<{
  maxGapMs: number
  ticks: number
  progressEvents: number
  lastLoaded: number
  server: UploadAnswer
  bytesOut: number
}> {
  const body = args.body === 'bytes' ? uploadBytes(args.bytes) : 'x'.repeat(args.bytes)
  const ticks: number[] = [performance.now()]
  const timer = setInterval(() => ticks.push(performance.now()), 16)
  const loaded: number[] = []
  try {
    const response = await createClient({ baseURL: chaosUrl(), timeout: 60_000, use: [progress()] }).raw.post<UploadAnswer>(`/upload?delayPerChunk=${args.delayPerChunk}`, {
      body,
      headers: { 'content-type': 'application/octet-stream' },
      onUploadProgress: (p) => loaded.push(p.loaded),
    })
    ticks.push(performance.now())
    const gaps = ticks.slice(1).map((tick, i) => tick - (ticks[i] as number))
    return { maxGapMs: Math.round(Math.max(...gaps)), ticks: ticks.length, progressEvents: loaded.length, lastLoaded: loaded.at(-1) ?? 0, server: response.data, bytesOut: response.meta.bytesOut }
  } finally {
    clearInterval(timer)
  }
}
