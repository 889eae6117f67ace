/**
 * What a call resolves with, by `schema` and `responseType` (docs/reference.md, Results). Types
 * only: it imports only types, so the client, the options and the entries can all use it without
 * a cycle.
 */
import type { StandardSchemaV1 } from '../policies/standard-schema.js'

/** The data each non-JSON `responseType` gives. `'json'` (and no `responseType`) gives the caller's `T`. */
export interface ResponseTypeData {
  text: string
  blob: Blob
  arrayBuffer: ArrayBuffer
  stream: ReadableStream<Uint8Array>
}

/**
 * The data of a call made with `options`: the schema's output when the options carry a `schema`;
 * the `responseType`'s type when they name one literally (`{ responseType: 'blob' }` → `Blob`);
 * else `T`, the type the caller asked for.
 *
 * @example
 * type A = ResponseData<{ responseType: 'text' }, unknown> // string
 * type B = ResponseData<{ method: 'GET' }, User> // User
 * type C = ResponseData<{ schema: typeof UserSchema }, unknown> // the schema's output
 */
export type ResponseData<Options, T> = Options extends { schema: infer Schema extends StandardSchemaV1 }
  ? StandardSchemaV1.InferOutput<Schema>
  : Options extends { responseType: infer Type }
    ? Type extends keyof ResponseTypeData
      ? ResponseTypeData[Type]
      : T
    : T
