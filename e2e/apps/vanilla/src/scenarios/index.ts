/**
 * Every scenario the specs run in this page, by name. Each takes plain data and resolves with plain
 * data (what `page.evaluate` can carry); the code under test stays here, in a real Vite-built app.
 */
import * as cacheScenarios from './cache.js'
import * as json from './json.js'
import * as liveUpload from './live-upload.js'
import * as midbody from './midbody.js'
import * as offline from './offline.js'
import * as otel from './otel.js'
import * as pool from './pool.js'
import * as progress from './progress.js'
import * as retries from './retries.js'
import * as streams from './streams.js'
import * as timeouts from './timeouts.js'

export const scenarios = { ...json, ...timeouts, ...retries, ...pool, ...progress, ...liveUpload, ...streams, ...offline, ...midbody, ...otel, ...cacheScenarios }

/** The scenario functions, as the specs see them. */
export type Scenarios = typeof scenarios
/** A scenario's name. */
export type ScenarioName = keyof Scenarios
