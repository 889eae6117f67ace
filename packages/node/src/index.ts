/**
 * @volley/node — volley for Node: the isomorphic core on an undici transport (keep-alive pool,
 * connect timeout, proxy from the environment, TLS options, opt-in HTTP/2), plus downloads to disk
 * that resume and verify, and file bodies that stream with exact upload progress.
 *
 * Everything from `@volley/core` is re-exported; `createClient` and `volley` are replaced by
 * versions with Node's defaults.
 */
export * from '@volley/core'
export { createClient, DEFAULT_CONNECT_TIMEOUT } from './create-client.js'
export { volley } from './default-client.js'
export { createNodeTransport, type NodeTransport } from './transport.js'
export { channels, type VolleyChannels } from './diagnostics.js'
export type { NodeTlsOptions, NodeTransportOptions } from './transport-options.js'
export { download, MAX_DOWNLOAD_RESTARTS, type DownloadChecksum, type DownloadOptions, type DownloadResult } from './download.js'
export { ChecksumError, isChecksumError } from './checksum-error.js'
export { ProtocolError, isProtocolError } from './protocol-error.js'
export { fileBody, type FileBodyOptions } from './file-body.js'
