/// <reference lib="dom" />
/**
 * What the browser suite shares: Debian's Chromium driven by puppeteer-core (no browser download, no
 * network), signed in to the `npm start` stack as its owner, plus the few moves a merchant makes in n8n's
 * editor (node creator, node panel, dropdowns) and the checks every screen gets (no page error, no
 * "Error fetching options"). Screenshots go to test/browser/screenshots/ (gitignored).
 */
import { existsSync, mkdirSync } from 'fs';
import { join } from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { OWNER } = require('../../scripts/n8n-instance.js');

// puppeteer-core is a devDependency; typed loosely here so the type check does not depend on its version.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type Page = any;
export type Browser = any;

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, 'screenshots');

export const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export async function launch(profileDir: string): Promise<Browser> {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
	}
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const puppeteer = require('puppeteer-core');
	return await puppeteer.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			`--user-data-dir=${profileDir}`,
		],
		defaultViewport: { width: 1440, height: 900 },
	});
}

/** A page that records what went wrong on it: uncaught page errors and failed option look-ups. */
export interface WatchedPage {
	page: Page;
	pageErrors: string[];
	failedLookups: string[];
}

export async function openPage(browser: Browser): Promise<WatchedPage> {
	const page = await browser.newPage();
	const watched: WatchedPage = { page, pageErrors: [], failedLookups: [] };
	page.on('pageerror', (error: Error) => watched.pageErrors.push(error.message));
	page.on('response', (response: any) => {
		if (response.url().includes('/rest/dynamic-node-parameters') && response.status() >= 400) {
			watched.failedLookups.push(`${response.status()} ${response.url()}`);
		}
	});
	// Leaving an edited workflow asks "leave without saving?": the suite always leaves.
	page.on('dialog', (dialog: any) => void dialog.accept().catch(() => undefined));
	page.setDefaultTimeout(20000);
	return watched;
}

export async function signIn(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'networkidle2' });
	await page.type('input[type=email], input[name=emailOrLdapLoginId]', OWNER.email);
	await page.type('input[type=password]', OWNER.password);
	await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle2' }).catch(() => undefined), page.keyboard.press('Enter')]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	const file = join(SCREENSHOTS, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

/** "Error fetching options" anywhere on screen, including the placeholder n8n puts in a failed dropdown. */
export async function fetchErrorsOnScreen(page: Page): Promise<string[]> {
	return await page.evaluate(() => {
		const texts = [document.body.innerText, ...Array.from(document.querySelectorAll('input, textarea')).map((el) => el.getAttribute('placeholder') ?? '')];
		return texts.filter((text) => /Error fetching options/i.test(text)).map((text) => text.slice(0, 200));
	});
}

export async function byTestId(page: Page, id: string): Promise<any> {
	return await page.waitForSelector(`[data-test-id="${id}"]`, { visible: true });
}

/** Types into the node creator's search and returns the node names it lists. */
export async function searchNodes(page: Page, query: string): Promise<string[]> {
	const input = (await page.$('[data-test-id=node-creator-search-bar] input')) ?? (await page.$('[data-test-id=node-creator-search-bar]'));
	await input.click({ clickCount: 3 });
	await page.keyboard.press('Backspace');
	await input.type(query);
	await sleep(700);
	return await page.$$eval('[data-test-id=node-creator-item-name]', (els: Element[]) => els.map((el) => (el.textContent ?? '').trim()));
}

export async function clickText(page: Page, testId: string, text: string): Promise<void> {
	const literal = JSON.stringify(text);
	const [element] = await page.$$(`xpath/.//*[@data-test-id="${testId}"][normalize-space(.)=${literal}]`);
	if (!element) throw new Error(`no ${testId} reading "${text}"`);
	await element.click();
}

/** A new workflow with a manual trigger, the node creator open on "What happens next?". */
export async function newWorkflowWithTrigger(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`, { waitUntil: 'networkidle2' });
	await (await byTestId(page, 'canvas-plus-button')).click();
	await sleep(500);
	await searchNodes(page, 'Manual');
	await page.keyboard.press('Enter');
	await sleep(1200);
	await page.keyboard.press('Escape');
	await sleep(400);
	await (await byTestId(page, 'node-creator-plus-button')).click();
	await sleep(600);
}

/** Adds `node` with the action `action` from the node creator; the node's panel opens. */
export async function addAction(page: Page, node: string, action: string): Promise<void> {
	await searchNodes(page, node);
	await clickText(page, 'node-creator-item-name', node);
	await sleep(700);
	await clickText(page, 'node-creator-item-name', action);
	await page.waitForSelector('[data-test-id="parameter-input-operation"], [data-test-id="parameter-input-resource"]', { visible: true });
	await sleep(1500);
}

/** The text shown by an options parameter (its selected option). */
export async function optionText(page: Page, name: string): Promise<string> {
	return await page.$eval(`[data-test-id="parameter-input-${name}"] input`, (el: HTMLInputElement) => el.value);
}

/** Picks an option of an options parameter by its visible name. */
export async function chooseOption(page: Page, name: string, option: string): Promise<void> {
	await (await byTestId(page, `parameter-input-${name}`)).click();
	await sleep(400);
	const literal = JSON.stringify(option);
	// An option with a description shows both: match the option whose text starts with its name.
	const [item] = await page.$$(`xpath/.//li[contains(@class, "el-select-dropdown__item")][starts-with(normalize-space(.), ${literal})]`);
	if (!item) throw new Error(`no option "${option}" in ${name}`);
	await item.click();
	await sleep(800);
}

/** Chooses a credential by its id in the open node panel. */
export async function chooseCredential(page: Page, id: string): Promise<void> {
	await (await byTestId(page, 'node-credentials-select')).click();
	await (await byTestId(page, `node-credentials-select-item-${id}`)).click();
	await sleep(800);
}

/** The credential chosen in the open node panel. */
export async function chosenCredential(page: Page): Promise<string> {
	return await page.$eval('[data-test-id="node-credentials-select"] input', (el: HTMLInputElement) => el.value);
}

/** Opens a searchable list (resource locator) and returns the entries it shows. */
export async function openList(page: Page, name: string): Promise<string[]> {
	const locator = await byTestId(page, `resource-locator-${name}`);
	const input = (await locator.$('[data-test-id="rlc-input"]')) ?? (await locator.$('input:not([readonly])')) ?? (await locator.$('input'));
	await input.click();
	await sleep(1500);
	return await page.$$eval('[data-test-id="rlc-item"]', (els: Element[]) => els.map((el) => (el.textContent ?? '').trim()));
}
