/** volley for Node: the core on an undici transport, plus downloads to disk and file bodies. */
export * from '@volley/node'
