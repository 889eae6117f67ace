import { createClient } from '@volley/core'
import { useChaosServer } from './helpers/chaos.js'
import { describeHostileServers } from './helpers/hostile-suite.js'

// Core over the global fetch (the runtime's own redirects, decoding and buffering).
describeHostileServers('@volley/core over fetch', createClient, useChaosServer())
