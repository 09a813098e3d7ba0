import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from './helpers/platform.js';

const CHROMIUM = '/usr/bin/chromium';

describe('web console in headless Chromium', () => {
  let p: Platform;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
    p = await startPlatform();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('alice asks for a scale in the chat, bob clicks Approve, the world changes', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(p.url);
    await page.click('[data-user="alice"]');
    await page.waitForSelector('[data-testid="whoami"]:has-text("Alice")');
    await page.fill('#chat-input', 'scale checkout-api in prod to 4 replicas');
    await page.click('#send');
    await page.waitForSelector('[data-testid="msg-bot"]:has-text("needs approval")');
    const pending = page.locator('.approval[data-status="pending"]');
    await expect.poll(() => pending.count()).toBe(1);
    expect(await pending.first().textContent()).toContain('k8s_scale_deployment');
    expect(p.replicas('prod', 'checkout-api')).not.toBe(4);

    await page.click('[data-user="bob"]');
    await page.waitForSelector('[data-testid="whoami"]:has-text("Bob")');
    await page.click('.approval[data-status="pending"] button[data-action="approve"]');
    await page.waitForSelector('[data-testid="msg-bot"]:has-text("Done: scale checkout-api in prod to 4")');
    expect(p.replicas('prod', 'checkout-api')).toBe(4);
    await page.waitForSelector('.approval[data-status="executed"]');
    await page.waitForSelector('[data-testid="deploy-prod-checkout-api"] .replicas:has-text("4")');
    await page.screenshot({ path: join(tmpdir(), 'devops-ai-console.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
