import type { Dispatcher } from 'undici'
import { describe, expectTypeOf, it } from 'vitest'
import {
  ChecksumError,
  createClient,
  createNodeTransport,
  download,
  fileBody,
  isChecksumError,
  isProtocolError,
  MAX_DOWNLOAD_RESTARTS,
  ProtocolError,
  volley,
  type Client,
  type DownloadResult,
  type Meta,
  type NodeTransport,
  type Transport,
} from '@volley/node'

describe('@volley/node types', () => {
  it('types the download protocol error and its bound', () => {
    expectTypeOf(MAX_DOWNLOAD_RESTARTS).toEqualTypeOf<number>()
    const error: unknown = undefined
    if (isProtocolError(error)) expectTypeOf(error).toEqualTypeOf<ProtocolError>()
  })

  it('re-exports core and replaces createClient and volley with Node-typed equivalents', () => {
    expectTypeOf(createClient).returns.toEqualTypeOf<Client>()
    expectTypeOf(volley).toEqualTypeOf<Client>()
  })

  it('types the transport as a fetch-compatible function with a lifecycle', () => {
    const transport = createNodeTransport({ connections: 8, proxy: false, tls: { rejectUnauthorized: true } })
    expectTypeOf(transport).toEqualTypeOf<NodeTransport>()
    expectTypeOf(transport).toExtend<Transport>()
    expectTypeOf(transport.close).returns.resolves.toBeVoid()
    expectTypeOf(transport.dispatcher).toEqualTypeOf<Dispatcher>()
    // @ts-expect-error: proxy takes a URL or false, not true
    createNodeTransport({ proxy: true })
  })

  it('types download results and file bodies', () => {
    expectTypeOf(download).returns.resolves.toEqualTypeOf<DownloadResult>()
    expectTypeOf<DownloadResult['meta']>().toEqualTypeOf<Meta>()
    expectTypeOf(fileBody).returns.resolves.toEqualTypeOf<Blob>()
    const error: unknown = undefined
    if (isChecksumError(error)) expectTypeOf(error).toEqualTypeOf<ChecksumError>()
  })
})
