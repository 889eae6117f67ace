import { describe, expect, it } from 'vitest'
import { parseResponseHeaders } from '../src/parse-headers.js'

describe('parseResponseHeaders', () => {
  it('parses CRLF lines, combining repeated fields and ignoring name case', () => {
    const headers = parseResponseHeaders('Content-Type: text/plain\r\nx-a: 1\r\nX-A: 2\r\nx-empty:\r\n\r\n')
    expect(headers.get('content-type')).toBe('text/plain')
    expect(headers.get('X-A')).toBe('1, 2')
    expect(headers.get('x-empty')).toBe('')
  })

  it('keeps colons inside values and trims whitespace around them', () => {
    const headers = parseResponseHeaders('date:  Tue, 01 Jul 2025 10:00:00 GMT \nlocation: http://a.example:8080/x')
    expect(headers.get('date')).toBe('Tue, 01 Jul 2025 10:00:00 GMT')
    expect(headers.get('location')).toBe('http://a.example:8080/x')
  })

  it('skips malformed lines instead of failing the response', () => {
    const headers = parseResponseHeaders('no colon here\r\n: no name\r\nbad name: x\r\nok: yes')
    expect([...headers]).toEqual([['ok', 'yes']])
  })

  it('gives empty Headers for an empty string', () => {
    expect([...parseResponseHeaders('')]).toEqual([])
  })
})
