/**
 * What a call resolves with, by `responseType` (docs/reference.md, Results). Types only: it
 * imports nothing, so the client, the options and the entries can all use it without a cycle.
 */

/** The data each non-JSON `responseType` gives. `'json'` (and no `responseType`) gives the caller's `T`. */
export interface ResponseTypeData {
  text: string
  blob: Blob
  arrayBuffer: ArrayBuffer
  stream: ReadableStream<Uint8Array>
}

/**
 * The data of a call made with `options`: the `responseType`'s type when the options name one
 * literally (`{ responseType: 'blob' }` → `Blob`), else `T`, the type the caller asked for.
 *
 * @example
 * type A = ResponseData<{ responseType: 'text' }, unknown> // string
 * type B = ResponseData<{ method: 'GET' }, User> // User
 */
export type ResponseData<Options, T> = Options extends { responseType: infer Type }
  ? Type extends keyof ResponseTypeData
    ? ResponseTypeData[Type]
    : T
  : T
