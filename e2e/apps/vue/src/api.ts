import { createClient } from 'volley'
import { chaosUrl } from '../../shared/chaos.js'

/** The app's client, as a Vue app would configure one. */
export const api = createClient({ baseURL: chaosUrl(), timeout: { total: 120_000 } })
