import { useEffect, useRef, useState } from 'react'
import { download, isAbortError } from 'volley'
import { chaosUrl } from '../../shared/chaos.js'
import { track } from './events.js'

/** A download with a progress bar: `<progress>` follows `onProgress` to 100%. */
export function DownloadProgress({ bytes }: { bytes: number }) {
  const [percent, setPercent] = useState(0)
  const [result, setResult] = useState<string>()
  const controller = useRef<AbortController | undefined>(undefined)
  useEffect(() => () => controller.current?.abort(), [])

  async function start(): Promise<void> {
    controller.current?.abort()
    const current = (controller.current = new AbortController())
    setResult(undefined)
    try {
      const { blob } = await download(`${chaosUrl()}/drip?bytes=${bytes}&chunks=20&duration=1000`, {
        signal: current.signal,
        onProgress: (p) => {
          const value = Math.round(p.percent ?? 0)
          track(`progress: ${value}`)
          setPercent(value)
        },
      })
      setResult(`${blob.size} bytes`)
    } catch (error) {
      if (!isAbortError(error)) setResult(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <div>
      <button onClick={() => void start()}>Download</button>
      <progress aria-label="download progress" max={100} value={percent} />
      <output aria-label="percent"> {percent}%</output>
      {result && <p data-testid="download-result">{result}</p>}
    </div>
  )
}
