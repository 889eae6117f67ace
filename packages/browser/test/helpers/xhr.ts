import { createXhrTransport, type XhrTransport } from '@volley/browser'

/** An XHR transport that keeps the XMLHttpRequests it creates (a spy that only watches). */
export function countingXhr(): { transport: XhrTransport; created: XMLHttpRequest[] } {
  const created: XMLHttpRequest[] = []
  const transport = createXhrTransport({
    createXhr: () => {
      const xhr = new XMLHttpRequest()
      created.push(xhr)
      return xhr
    },
  })
  return { transport, created }
}
