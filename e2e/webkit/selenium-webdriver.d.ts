/**
 * The part of `selenium-webdriver` (4.46.0, which ships no types) the WebKit adapter uses: classic
 * WebDriver commands only (WebKitWebDriver speaks no BiDi). See e2e/README.md, "WebKit".
 */
declare module 'selenium-webdriver' {
  export class WebElement {
    click(): Promise<void>
    clear(): Promise<void>
    sendKeys(...keys: string[]): Promise<void>
  }

  export interface Actions {
    keyDown(key: string): Actions
    keyUp(key: string): Actions
    sendKeys(...keys: string[]): Actions
    /** A pointer move to `x`, `y` from `origin` (default: the viewport's top-left corner). */
    move(options: { x?: number; y?: number; duration?: number; origin?: 'viewport' | 'pointer' | WebElement }): Actions
    perform(): Promise<void>
  }

  export interface Window {
    setRect(rect: { x?: number; y?: number; width?: number; height?: number }): Promise<unknown>
  }

  export interface Options {
    setTimeouts(timeouts: { script?: number; pageLoad?: number; implicit?: number }): Promise<void>
    window(): Window
  }

  export class WebDriver {
    get(url: string): Promise<void>
    getCurrentUrl(): Promise<string>
    executeScript<T = unknown>(script: string, ...args: unknown[]): Promise<T>
    executeAsyncScript<T = unknown>(script: string, ...args: unknown[]): Promise<T>
    takeScreenshot(): Promise<string>
    actions(options?: { async?: boolean }): Actions
    manage(): Options
    quit(): Promise<void>
  }

  export class Builder {
    usingServer(url: string): Builder
    withCapabilities(capabilities: Record<string, unknown>): Builder
    build(): WebDriver
  }

  export const Key: Record<'CONTROL' | 'SHIFT' | 'ALT' | 'META' | 'ENTER' | 'TAB' | 'ESCAPE' | 'BACK_SPACE' | 'ARROW_UP' | 'ARROW_DOWN' | 'ARROW_LEFT' | 'ARROW_RIGHT' | 'HOME' | 'END' | 'SPACE', string>
}
