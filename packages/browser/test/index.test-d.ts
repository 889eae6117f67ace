import { describe, expectTypeOf, it } from 'vitest'
import {
  createBrowserTransport,
  createClient,
  createXhrTransport,
  download,
  saveFile,
  volley,
  type Client,
  type DownloadResult,
  type Meta,
  type SaveFileResult,
  type Transport,
} from '@volley/browser'

describe('@volley/browser types', () => {
  it('re-exports core with browser defaults', () => {
    expectTypeOf(createClient()).toEqualTypeOf<Client>()
    expectTypeOf(volley).toEqualTypeOf<Client>()
    expectTypeOf(createXhrTransport()).toExtend<Transport>()
    expectTypeOf(createBrowserTransport()).toExtend<Transport>()
    expectTypeOf(createClient).parameter(0).toExtend<{ transport?: Transport } | undefined>()
  })

  it('types download and saveFile results', () => {
    expectTypeOf(download('/x')).resolves.toEqualTypeOf<DownloadResult>()
    expectTypeOf<DownloadResult['blob']>().toEqualTypeOf<Blob>()
    expectTypeOf<DownloadResult['meta']>().toEqualTypeOf<Meta>()
    expectTypeOf<DownloadResult['filename']>().toEqualTypeOf<string | undefined>()
    expectTypeOf(saveFile('/x')).resolves.toEqualTypeOf<SaveFileResult>()
    expectTypeOf<SaveFileResult['method']>().toEqualTypeOf<'file-system-access' | 'anchor'>()
  })
})
