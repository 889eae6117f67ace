/**
 * File names for downloads: from `Content-Disposition` (RFC 6266), else from the URL.
 * Names are reduced to a base name (no directories, no control characters), because a server
 * must not choose where a file lands.
 */

/** Keeps the last path segment and drops characters no file system accepts. */
function sanitize(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const base = name.split(/[/\\]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  return base && base !== '.' && base !== '..' ? base : undefined
}

/** Decodes an RFC 8187 ext-value (`UTF-8''%E2%82%AC.txt`); ISO-8859-1 percent-escapes are bytes. */
function decodeExtValue(charset: string, encoded: string): string | undefined {
  try {
    if (/^utf-8$/i.test(charset)) return decodeURIComponent(encoded)
    return encoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  } catch {
    return undefined // malformed percent-encoding
  }
}

/**
 * The file name a `Content-Disposition` header suggests, or undefined. `filename*` (RFC 8187,
 * any language, UTF-8 or ISO-8859-1) wins over `filename`, as RFC 6266 §4.3 asks.
 *
 * @example
 * filenameFromContentDisposition(`attachment; filename="report.pdf"`) // 'report.pdf'
 * filenameFromContentDisposition(`attachment; filename=x.txt; filename*=UTF-8''%E2%82%AC%20rates.txt`) // '€ rates.txt'
 * filenameFromContentDisposition('inline') // undefined
 */
export function filenameFromContentDisposition(header: string | null | undefined): string | undefined {
  if (!header) return undefined
  const extended = /(?:^|;)\s*filename\*\s*=\s*([\w!#$%&+^`{}~-]+)'[^']*'([^;\s]+)/i.exec(header)
  if (extended?.[1] && extended[2]) {
    const decoded = decodeExtValue(extended[1], extended[2])
    const name = decoded === undefined ? undefined : sanitize(decoded)
    if (name) return name
  }
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(header)
  const value = plain?.[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain?.[2]
  return value === undefined ? undefined : sanitize(value)
}

/**
 * The last path segment of a URL, decoded, or undefined for a URL ending in `/`.
 *
 * @example
 * filenameFromUrl('https://example.com/files/report%202024.pdf?v=2') // 'report 2024.pdf'
 */
export function filenameFromUrl(url: string): string | undefined {
  let path: string
  try {
    path = new URL(url, 'http://volley.invalid').pathname
  } catch {
    return undefined
  }
  const segment = path.slice(path.lastIndexOf('/') + 1)
  try {
    return sanitize(decodeURIComponent(segment))
  } catch {
    return sanitize(segment)
  }
}
