import { expect, test } from './fixtures.js'

test.describe('offline pause', () => {
  // Taking the browser offline is Playwright's network emulation; WebDriver classic has none.
  test.skip(({ browserName }) => browserName === 'webkit', 'WebDriver cannot take WebKit offline (e2e/README.md, "WebKit")')

  test('calls made offline wait for the network, then go once each; a deadline still ends its wait', async ({ vanilla, chaos, key, context }) => {
    await context.setOffline(true)
    const started = await vanilla.run('offlineStart', { key, count: 3, deadlineMs: 300 })
    expect(started).toEqual({ onLine: false, waiting: 4 })
    // The deadline call gives up while offline; the others keep waiting and nothing reached the server.
    await expect.poll(async () => (await vanilla.page.evaluate(() => navigator.onLine))).toBe(false)
    await vanilla.page.waitForTimeout(400)
    expect(await chaos.hits('json', key)).toHaveLength(0)
    await context.setOffline(false)
    const report = await vanilla.run('offlineFinish')
    expect(report.results.slice(0, 3)).toEqual([{ attempts: 1 }, { attempts: 1 }, { attempts: 1 }])
    expect(report.results[3]).toMatchObject({ error: { isTimeoutError: true, phase: 'total' } })
    expect(await chaos.hits('json', key)).toHaveLength(3)
    expect(report.offlineEvents).toEqual([true, true, true, true, false, false, false])
  })
})
