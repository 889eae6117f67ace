import { describe, expect, it } from 'vitest'
import { filenameFromContentDisposition, filenameFromUrl } from '../src/filename.js'

describe('filenameFromContentDisposition', () => {
  it('reads quoted and bare filename parameters', () => {
    expect(filenameFromContentDisposition('attachment; filename="report.pdf"')).toBe('report.pdf')
    expect(filenameFromContentDisposition('attachment; filename=report.pdf')).toBe('report.pdf')
    expect(filenameFromContentDisposition('attachment; filename="say \\"hi\\".txt"')).toBe('say "hi".txt')
    expect(filenameFromContentDisposition('ATTACHMENT; FILENAME="upper.txt"')).toBe('upper.txt')
  })

  it('prefers filename* (RFC 8187) in UTF-8 and ISO-8859-1', () => {
    expect(filenameFromContentDisposition(`attachment; filename="rates.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt`)).toBe('€ rates.txt')
    expect(filenameFromContentDisposition(`attachment; filename*=iso-8859-1'en'%E9t%E9.txt`)).toBe('été.txt')
    // Malformed percent-encoding: fall back to the plain parameter.
    expect(filenameFromContentDisposition(`attachment; filename*=UTF-8''%E2%82; filename="plain.txt"`)).toBe('plain.txt')
  })

  it('never returns a path, only a base name', () => {
    expect(filenameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd')
    expect(filenameFromContentDisposition('attachment; filename="C:\\\\Windows\\\\evil.exe"')).toBe('evil.exe')
    expect(filenameFromContentDisposition('attachment; filename=".."')).toBeUndefined()
  })

  it('returns undefined without a file name', () => {
    expect(filenameFromContentDisposition(null)).toBeUndefined()
    expect(filenameFromContentDisposition('inline')).toBeUndefined()
    expect(filenameFromContentDisposition('attachment; filename=""')).toBeUndefined()
  })
})

describe('filenameFromUrl', () => {
  it('takes the decoded last path segment, ignoring query and fragment', () => {
    expect(filenameFromUrl('https://example.com/files/report%202024.pdf?v=2#top')).toBe('report 2024.pdf')
    expect(filenameFromUrl('/relative/data.csv')).toBe('data.csv')
    expect(filenameFromUrl('https://example.com/')).toBeUndefined()
    expect(filenameFromUrl('https://example.com/bad%E2')).toBe('bad%E2')
  })
})
