/** Provided by `chaos-plugin.ts`: where the dev server's chaos servers are, or null in a static build. */
declare module 'virtual:chaos-targets' {
  /** Path of the same-origin routes, e.g. `'/chaos'`. */
  export const sameOrigin: string | null
  /** URL of the cross-origin chaos server, e.g. `'http://127.0.0.1:40731'`. */
  export const crossOrigin: string | null
}
