import { createClient, createNodeTransport } from '@volley/node'
import { describeRedirectSecrets } from '../../core/test/helpers/redirect-secrets-suite.js'

// The Node entry follows redirects in its undici transport (src/redirect.ts).
describeRedirectSecrets('the Node entry', (ca, headers) => ({
  client: createClient({ transport: createNodeTransport({ tls: { ca } }), retry: false, headers }),
}))
