import { createClient } from '@volley/core'
import { useChaosServer } from './helpers/chaos.js'
import { describeMswInterception } from './helpers/msw-suite.js'

// Core over the global fetch, looked up per call (docs/DESIGN.md#mocking-with-msw).
describeMswInterception('@volley/core (the global fetch)', createClient, useChaosServer())
