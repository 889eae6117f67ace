import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici'
import { createClient } from '@volley/core'
import { describeRedirectSecrets } from './helpers/redirect-secrets-suite.js'

// Core over Node's global fetch: a request with a secret header follows its redirects through
// volley (src/redirect-guard.ts). The global dispatcher trusts the test CA for the https hop.
describeRedirectSecrets('core over fetch', (ca, headers) => {
  const previous = getGlobalDispatcher()
  const agent = new Agent({ connect: { ca } })
  setGlobalDispatcher(agent)
  return {
    client: createClient({ retry: false, headers }),
    cleanup: async () => {
      setGlobalDispatcher(previous)
      await agent.close()
    },
  }
})
