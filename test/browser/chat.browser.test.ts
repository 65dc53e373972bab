/// <reference lib="dom" />
/**
 * The chat view driven in a real Chromium (puppeteer-core) against the real stack (sandbox + n8n 2.41.1 with the
 * examples): the customer opens a chat with the checkout shop (example 5), sends a cart from the catalog, sees the
 * bill appear, pays it from the pay sheet and sees the order move to processing; then opens the PayU shop as Ana
 * (username, no phone). Asserts on the page, on what the sandbox recorded and on n8n's executions.
 *
 * CHAT_SCREENSHOTS_DIR=docs writes the README's screenshots (docs/chat-checkout.png, docs/chat-phone.png).
 * Part of `npm run test:browser`; Chromium from CHROMIUM_PATH or Debian's /usr/bin/chromium (browser.ts launch()).
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Sandbox } from '../../sandbox/sandbox';
import { SHOP_NUMBERS } from '../../sandbox/shops';
import { freePortPair, settledExecutions, type Json } from '../e2e/support';
import { launch } from './browser';

describe('chat view in Chromium', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { startStack, stopStack } = require('../../scripts/stack.js');
	let stack: { n8n: { url: string; rest: (m: string, p: string) => Promise<any>; logFile: string }; sandbox: Sandbox; erpAuth: { headers: Record<string, string> } };
	let browser: any;
	let page: any;
	let folder: string;
	const shop = SHOP_NUMBERS.checkout.id;

	beforeAll(async () => {
		folder = mkdtempSync(join(tmpdir(), 'wa-commerce-chat-'));
		stack = await startStack({ userFolder: folder, port: await freePortPair(), build: process.env.E2E_SKIP_BUILD !== '1', log: () => undefined });
		browser = await launch(mkdtempSync(join(tmpdir(), 'wa-chat-profile-')));
		page = await browser.newPage();
		await page.setViewport({ width: 1440, height: 900 });
	}, 15 * 60 * 1000);

	afterAll(async () => {
		await browser?.close();
		await stopStack(stack);
		if (folder) rmSync(folder, { recursive: true, force: true });
	}, 60000);

	const bubbles = async (kind: string) => await page.$$(`#messages li[data-kind="${kind}"]`);

	it('sends a cart from the catalog; the bill n8n sends appears with tax and shipping', async () => {
		// The live event stream keeps a connection open: wait for the page's first render, not for network idle.
		await page.goto(`${stack.sandbox.controlUrl}/_sandbox/chat`, { waitUntil: 'domcontentloaded' });
		await page.waitForSelector('#who option');
		await page.select('#who', 'IN.1739912004471');
		await page.select('#shop', shop);
		await page.click('#new-chat button[type="submit"]');
		await page.click('#open-catalog');
		await page.click('li[data-product="masala-chai"] button[aria-label="One Masala chai more"]');
		await page.click('li[data-product="samosa"] button[aria-label="One Samosa more"]');
		await page.click('li[data-product="samosa"] button[aria-label="One Samosa more"]');
		await page.click('#send-cart');
		await page.waitForSelector('#messages li[data-kind="order_details"]', { timeout: 60000 });
		const card = await page.$eval('#messages li[data-kind="order_details"]', (el: Element) => el.textContent);
		// 120.00 + 2 x 25.50 = 171.00; tax 5% = 8.55; delivery 40.00; total 219.55.
		expect(card).toContain('Tax (GST 5%)');
		expect(card).toContain('219.55');
		const order = stack.sandbox.deliveries.find((d) => d.event === 'order')!;
		expect(order.status).toBe(200);
		expect(await bubbles('order')).toHaveLength(1);
	}, 120000);

	it('pays from the pay sheet; the card turns paid and the processing update arrives, with its execution link', async () => {
		await page.click('#messages li[data-kind="order_details"] .buttons button');
		await page.waitForSelector('#pay-dialog[open]');
		const methods = await page.$eval('#pay-methods', (el: Element) => el.textContent);
		expect(methods).toContain('WhatsApp Pay via razorpay');
		await page.click('#pay-now');
		await page.waitForSelector('#messages li[data-kind="order_status"]', { timeout: 60000 });
		await page.waitForFunction(() => document.querySelector('#messages li[data-kind="order_details"] .pill')?.textContent === 'processing', { timeout: 30000 });
		await page.waitForSelector('#messages li[data-kind="order_status"] .meta a', { timeout: 30000 });
		const link = await page.$eval('#messages li[data-kind="order_status"] .meta a', (a: HTMLAnchorElement) => a.href);
		const runs = await settledExecutions(stack.n8n, 'sbxSeedCheckout5', 2);
		expect(runs.some((e: Json) => link.endsWith(`/executions/${e.id}`))).toBe(true);
		expect(stack.sandbox.meta.state.payments.size).toBe(1);
		await page.screenshot({ path: join(process.env.CHAT_SCREENSHOTS_DIR ?? folder, 'chat-checkout.png') });
	}, 120000);

	it('is readable at phone width and works as a customer without a phone (BSUID)', async () => {
		await page.setViewport({ width: 390, height: 844 });
		await page.goto(`${stack.sandbox.controlUrl}/_sandbox/chat?chat=BR.8812004471@${SHOP_NUMBERS.kirana.id}`, { waitUntil: 'domcontentloaded' });
		await page.waitForSelector('#composer:not([hidden])');
		expect(await page.$eval('#conversation-who', (el: Element) => el.textContent)).toContain('no phone shared');
		await page.click('#open-catalog');
		await page.click('li[data-product="vada-pav"] button[aria-label="One Vada pav more"]');
		await page.click('#send-cart');
		await page.waitForSelector('#messages li[data-kind="order_details"]', { timeout: 60000 });
		const bill = stack.sandbox.meta.sent.find((m) => m.phoneNumberId === SHOP_NUMBERS.kirana.id)!;
		expect(bill.message.recipient).toBe('BR.8812004471');
		const side = await page.$eval('.side', (el: Element) => getComputedStyle(el).display);
		expect(side).toBe('none');
		await page.screenshot({ path: join(process.env.CHAT_SCREENSHOTS_DIR ?? folder, 'chat-phone.png') });
	}, 120000);
});
