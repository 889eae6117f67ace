import { createClient } from '@volley/node'
import { describeHostileServers } from '../../core/test/helpers/hostile-suite.js'
import { useChaosServer } from './helpers/servers.js'

// The Node entry over its undici transport (its own redirects, decoding and body reading).
describeHostileServers('@volley/node', createClient, useChaosServer())
