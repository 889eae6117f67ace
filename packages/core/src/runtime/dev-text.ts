/**
 * Texts for development builds only (docs/DESIGN.md#development-and-production-messages). A
 * message that says what was expected costs bytes in every browser bundle, so each long text sits
 * in a function written as `() => process.env.NODE_ENV !== 'production' && '...'`, inline where it
 * is used: bundlers replace `process.env.NODE_ENV` only where it is written out, and then drop the
 * dead text. Where nothing replaced it and there is no `process` (a browser without a bundler),
 * reading it throws, and the short text is used.
 */

/** The one global read, declared here so core needs no Node types. */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

/**
 * A development-only text, always written as
 * `() => process.env.NODE_ENV !== 'production' && '...'` so that production bundles drop it.
 */
export type DevText = () => string | false

/** The text of `dev`; '' in production builds, and where there is no `process` to read. */
export function devText(dev: DevText): string {
  try {
    return dev() || ''
  } catch {
    return ''
  }
}

/**
 * A TypeError for bad input that says what was expected in development builds (`dev`) and names
 * what was wrong in production (`short`, such as ``volley: map(): invalid `items` ``).
 */
export function inputError(short: string, dev: DevText): TypeError {
  return new TypeError(devText(dev) || short)
}
