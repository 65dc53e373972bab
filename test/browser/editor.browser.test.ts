/// <reference lib="dom" />
/**
 * The nodes as a merchant meets them in n8n's editor (issue 19), in a real Chromium against the `npm start`
 * stack (real n8n 2.41.1 with this package installed, the sandbox behind the credentials). Every check is
 * made on what the editor shows, and each leaves a screenshot in test/browser/screenshots/.
 *
 * BROWSER_N8N_URL=http://localhost:5678 runs it against a stack that is already up (e.g. `npm start`).
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { PaymentGateway } from '../../nodes/PaymentGateway/PaymentGateway.node';
import { WhatsAppCommerce } from '../../nodes/WhatsAppCommerce/WhatsAppCommerce.node';
import { SANDBOX_CREDENTIAL_IDS } from '../../sandbox/config';
import { freePortPair } from '../e2e/support';
import {
	addAction,
	type Browser,
	byTestId,
	chooseCredential,
	chooseOption,
	chosenCredential,
	fetchErrorsOnScreen,
	launch,
	newWorkflowWithTrigger,
	openList,
	openPage,
	optionText,
	screenshot,
	searchNodes,
	signIn,
	sleep,
	type WatchedPage,
} from './browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startStack, stopStack } = require('../../scripts/stack.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { N8nInstance } = require('../../scripts/n8n-instance.js');

const PACKAGE = 'n8n-nodes-whatsapp-commerce';
type Json = Record<string, any>;

let baseUrl = '';
let stack: Json | undefined;
let rest: (method: string, path: string, body?: unknown) => Promise<any>;
let folder = '';
let browser: Browser;
let tab: WatchedPage;

beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'wa-commerce-browser-'));
	if (process.env.BROWSER_N8N_URL) {
		baseUrl = process.env.BROWSER_N8N_URL.replace(/\/$/, '');
		const n8n = new N8nInstance({ userFolder: join(folder, 'unused'), port: Number(new URL(baseUrl).port) });
		await n8n.login();
		rest = n8n.rest.bind(n8n);
	} else {
		const started: Json = await startStack({ userFolder: join(folder, 'user'), port: await freePortPair(), log: () => undefined });
		stack = started;
		baseUrl = started.n8n.url;
		rest = started.n8n.rest.bind(started.n8n);
	}
	browser = await launch(join(folder, 'chromium-profile'));
	tab = await openPage(browser);
	await signIn(tab.page, baseUrl);
}, 420000);

afterAll(async () => {
	await browser?.close().catch(() => undefined);
	if (stack) await stopStack(stack);
	if (folder) rmSync(folder, { recursive: true, force: true });
}, 60000);

afterEach(() => {
	// Every screen of every test: no uncaught error in the editor, no failed option look-up.
	expect(tab.pageErrors).toEqual([]);
	expect(tab.failedLookups).toEqual([]);
	tab.pageErrors.length = 0;
	tab.failedLookups.length = 0;
});

const credential = (type: string) => ({ [type]: SANDBOX_CREDENTIAL_IDS[type] });

/** One node per operation of both action nodes, plus both triggers, in one workflow. */
function everyPanelWorkflow(): Json {
	const nodes: Json[] = [
		{ id: 'b0000000-0000-4000-8000-000000000000', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	const operationsOf = (properties: Json[]) =>
		properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) => (property.options as Json[]).map((option) => ({ resource: property.displayOptions.show.resource[0], operation: option.value, action: option.action })));
	const add = (name: string, type: string, parameters: Json, credentials: Json, x: number, y: number) =>
		nodes.push({ id: `b0000000-0000-4000-8000-${String(nodes.length).padStart(12, '0')}`, name, type, typeVersion: 1, position: [x, y], parameters, credentials });
	operationsOf(new WhatsAppCommerce().description.properties).forEach(({ resource, operation, action }, index) =>
		add(action, `${PACKAGE}.whatsAppCommerce`, { resource, operation }, credential('waCommerceMetaApi'), 300 + 220 * (index % 5), 200 * Math.floor(index / 5)),
	);
	operationsOf(new PaymentGateway().description.properties).forEach(({ resource, operation, action }, index) =>
		add(action, `${PACKAGE}.paymentGateway`, { gateway: 'razorpay', resource, operation }, credential('waCommerceRazorpayApi'), 300 + 220 * (index % 5), 700 + 200 * Math.floor(index / 5)),
	);
	add('WhatsApp Commerce Trigger', `${PACKAGE}.whatsAppCommerceTrigger`, { events: ['order', 'paymentStatus'] }, credential('waCommerceMetaApi'), 0, 400);
	add('Payment Gateway Trigger', `${PACKAGE}.paymentGatewayTrigger`, { gateway: 'stripe' }, credential('waCommerceStripeApi'), 0, 700);
	// A node after an unexecuted send, to see the shipped output schema as its input.
	nodes.push({ id: 'b0000000-0000-4000-8000-999999999999', name: 'After order details', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, -250], parameters: {} });
	const orderDetails = nodes.find((node) => node.parameters.operation === 'sendOrderDetails')!;
	const connections = {
		Start: { main: [[{ node: orderDetails.name, type: 'main', index: 0 }]] },
		[orderDetails.name]: { main: [[{ node: 'After order details', type: 'main', index: 0 }]] },
	};
	return { name: 'Every panel (browser suite)', nodes, connections, settings: {} };
}

/**
 * Opens a node's panel the way the editor's own URL does (/workflow/<id>/<nodeId>), inside the running
 * editor (a history entry n8n's router follows), so 20 panels do not cost 20 page loads.
 */
async function openNodePanel(workflowId: string, node: Json): Promise<void> {
	const page = tab.page;
	if (!new URL(page.url()).pathname.startsWith(`/workflow/${workflowId}`)) {
		await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'networkidle2' });
	}
	const close = await page.$('[data-test-id="ndv-close-button"]');
	if (close) {
		await close.click();
		await page.waitForSelector('[data-test-id="ndv"]', { hidden: true }).catch(() => undefined);
	}
	await page.evaluate((path: string) => {
		history.pushState({}, '', path);
		window.dispatchEvent(new PopStateEvent('popstate'));
	}, `/workflow/${workflowId}/${node.id}`);
	await byTestId(page, 'ndv');
	// The editor keeps a push connection open, so "network idle" never comes: give the panel a moment.
	await sleep(1200);
}

const shotName = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

describe('the node creator finds the nodes by every gateway and capability (item 3)', () => {
	it.each([
		['Razorpay', 'Payment Gateway'],
		['PayU', 'Payment Gateway'],
		['Stripe', 'Payment Gateway'],
		['Lyra', 'Payment Gateway'],
		['PayZen', 'Payment Gateway'],
		['UPI', 'WhatsApp Commerce'],
		['order', 'WhatsApp Commerce'],
		['payment link', 'Payment Gateway'],
		['refund', 'Payment Gateway'],
		['WhatsApp', 'WhatsApp Commerce'],
	])('"%s" lists %s', async (query, expected) => {
		if (query === 'Razorpay') await newWorkflowWithTrigger(tab.page, baseUrl);
		const names = await searchNodes(tab.page, query);
		await screenshot(tab.page, `03-search-${shotName(query)}`);
		expect(names).toContain(expected);
	});
});

describe('Payment Gateway: the gateway is a visible choice that never flips by itself (item 1)', () => {
	it('a new "Create a payment link" shows Gateway = Razorpay with the Razorpay credential; choosing Stripe keeps Stripe', async () => {
		const page = tab.page;
		await newWorkflowWithTrigger(page, baseUrl);
		await addAction(page, 'Payment Gateway', 'Create a payment link');
		expect(await optionText(page, 'gateway')).toBe('Razorpay');
		expect(await chosenCredential(page)).toBe(SANDBOX_CREDENTIAL_IDS.waCommerceRazorpayApi.name);
		await screenshot(page, '01-gateway-visible');
		await chooseOption(page, 'gateway', 'Stripe');
		// The Razorpay credential is gone; the merchant picks the Stripe one, and the gateway stays Stripe.
		expect(await chosenCredential(page)).not.toBe(SANDBOX_CREDENTIAL_IDS.waCommerceRazorpayApi.name);
		await chooseCredential(page, SANDBOX_CREDENTIAL_IDS.waCommerceStripeApi.id);
		await sleep(1500);
		expect(await optionText(page, 'gateway')).toBe('Stripe');
		expect(await chosenCredential(page)).toBe(SANDBOX_CREDENTIAL_IDS.waCommerceStripeApi.name);
		await screenshot(page, '01-gateway-stripe');
		expect(await fetchErrorsOnScreen(page)).toEqual([]);
	});
});

describe('WhatsApp Commerce: a node just added fills its dropdowns on first open (items 2, 5, 9)', () => {
	it('Send Order Details lists the payment configurations at once', async () => {
		await newWorkflowWithTrigger(tab.page, baseUrl);
		await addAction(tab.page, 'WhatsApp Commerce', 'Send an order details message');
		const entries = await openList(tab.page, 'configurationName');
		await screenshot(tab.page, '02-payment-configuration-first-open');
		expect(entries.join(' ')).toContain('rzp-prod (razorpay, Active)');
		expect(await fetchErrorsOnScreen(tab.page)).toEqual([]);
	});

	it('Send a product lists the catalogs at once', async () => {
		await newWorkflowWithTrigger(tab.page, baseUrl);
		await addAction(tab.page, 'WhatsApp Commerce', 'Send a product');
		const entries = await openList(tab.page, 'catalogId');
		await screenshot(tab.page, '02-catalog-first-open');
		expect(entries.join(' ')).toContain('Chai Point catalog');
		expect(await fetchErrorsOnScreen(tab.page)).toEqual([]);
	});

	it('Send Payment Link: body parameters only with a template, and only URL-button templates, with their parameter count', async () => {
		const page = tab.page;
		await newWorkflowWithTrigger(page, baseUrl);
		await addAction(page, 'WhatsApp Commerce', 'Send a payment link');
		const panelText = async () => await page.$eval('[data-test-id="ndv"]', (el: HTMLElement) => el.innerText);
		expect(await panelText()).not.toContain('Body Parameters');
		await screenshot(page, '05-payment-link-button');
		await chooseOption(page, 'deliverAs', 'Text With Link Preview');
		expect(await panelText()).not.toContain('Body Parameters');
		await chooseOption(page, 'deliverAs', 'Template With Pay Button');
		expect(await panelText()).toContain('Body Parameters');
		expect(await panelText()).toContain('Pay Button Position');
		const templates = await openList(page, 'templateName');
		await screenshot(page, '09-url-button-templates');
		expect(templates).toEqual(['payment_reminder (2 body parameters, URL button, en_US)']);
		expect(await fetchErrorsOnScreen(page)).toEqual([]);
	});
});

describe('every operation panel, both triggers, the canvas and the output schemas', () => {
	let workflow: Json;
	beforeAll(async () => {
		workflow = await rest('POST', '/workflows', everyPanelWorkflow());
	});

	it('every panel opens without an error; sender and recipient come after the operation; hints are visible (items 2, 6, 7, 8, 10)', async () => {
		const page = tab.page;
		for (const node of workflow.nodes as Json[]) {
			if (node.type.startsWith('n8n-nodes-base.')) continue;
			await openNodePanel(workflow.id, node);
			await screenshot(page, `panel-${shotName(node.name)}`);
			expect({ node: node.name, errors: await fetchErrorsOnScreen(page) }).toEqual({ node: node.name, errors: [] });
			const order = await page.$$eval('[data-test-id^="parameter-input-"]', (els: Element[]) => els.map((el) => el.getAttribute('data-test-id')));
			if (order.includes('parameter-input-to')) {
				expect(order.indexOf('parameter-input-operation')).toBeLessThan(order.indexOf('parameter-input-phoneNumberId'));
				expect(await page.$eval('[data-test-id="ndv"]', (el: HTMLElement) => el.innerText)).toContain('Include the country code');
			}
			if (node.parameters.operation === 'sendOrderDetails') {
				const text = await page.$eval('[data-test-id="ndv"]', (el: HTMLElement) => el.innerText);
				for (const hint of ['Unique per message', 'Must be the provider shown next to the Payment Configuration', 'Razorpay returns it with the payment', 'In rupees for India']) {
					expect(text).toContain(hint);
				}
				await screenshot(page, '10-order-details-hints');
			}
			if (node.type.endsWith('.paymentGatewayTrigger')) {
				expect(await optionText(page, 'gateway')).toBe('Stripe');
				await screenshot(page, '01-gateway-trigger-visible');
			}
		}
	}, 180000);

	it('Send Order Status: Body Text right after Status, before the optional block (item 7)', async () => {
		const node = (workflow.nodes as Json[]).find((candidate) => candidate.parameters.operation === 'sendOrderStatus')!;
		await openNodePanel(workflow.id, node);
		const order = await tab.page.$$eval('[data-test-id^="parameter-input-"]', (els: Element[]) => els.map((el) => el.getAttribute('data-test-id')));
		expect(order.indexOf('parameter-input-orderStatus')).toBeLessThan(order.indexOf('parameter-input-bodyText'));
		const text = await tab.page.$eval('[data-test-id="ndv"]', (el: HTMLElement) => el.innerText);
		expect(text.indexOf('Body Text')).toBeGreaterThan(-1);
		expect(text.indexOf('Body Text')).toBeLessThan(text.indexOf('No properties'));
		await screenshot(tab.page, '07-order-status-order');
	});

	it('Items (JSON) starts empty with an example as placeholder (item 6)', async () => {
		const node = (workflow.nodes as Json[]).find((candidate) => candidate.parameters.operation === 'sendOrderDetails')!;
		await openNodePanel(workflow.id, node);
		await tab.page.evaluate(() => document.querySelector('[data-test-id="parameter-input-itemsInput"]')?.scrollIntoView());
		await chooseOption(tab.page, 'itemsInput', 'From JSON');
		// The JSON editor holds nothing (a forgotten sample would bill a customer); the shape is in the hint.
		const editor = await tab.page.$eval('[data-test-id="parameter-input-itemsJson"]', (el: HTMLElement) => el.innerText);
		expect(editor).not.toContain('Masala Chai');
		const text = await tab.page.$eval('[data-test-id="ndv"]', (el: HTMLElement) => el.innerText);
		expect(text).toContain('Map an array like');
		await screenshot(tab.page, '06-items-json-empty');
	});

	it('the canvas shows readable subtitles and four different icons (items 4, 11)', async () => {
		await tab.page.goto(`${baseUrl}/workflow/${workflow.id}`, { waitUntil: 'networkidle2' });
		await sleep(1500);
		const text = await tab.page.$eval('[data-test-id="canvas-wrapper"]', (el: HTMLElement) => el.innerText);
		expect(text).toContain('Send order details');
		expect(text).toContain('Razorpay: create payment link');
		expect(text).toContain('Order, Payment status');
		expect(text).toContain('Stripe');
		expect(text).not.toMatch(/sendOrderDetails|paymentLink|paymentStatus/);
		const icons = await tab.page.$$eval(
			'[data-test-id="canvas-wrapper"] img',
			(els: HTMLImageElement[], name: string) => els.map((el) => el.src).filter((src: string) => src.includes(name)),
			PACKAGE,
		);
		const distinct = new Set(icons.map((src: string) => src.replace(/.*\/(nodes\/[^/]+\/[^/?]+).*/, '$1')));
		expect(distinct.size).toBeGreaterThanOrEqual(4);
		await screenshot(tab.page, '04-11-canvas-icons-subtitles');
	});

	it('the editor gets the shipped output schema of an operation and shows it before a first run (item 16)', async () => {
		const response = await fetch(`${baseUrl}/schemas/${PACKAGE}.whatsAppCommerce/1.0.0/order/sendOrderDetails.json`);
		expect(response.status).toBe(200);
		expect(((await response.json()) as Json).properties.messageId).toEqual({ type: 'string' });
		const after = (workflow.nodes as Json[]).find((node) => node.name === 'After order details')!;
		await openNodePanel(workflow.id, after);
		await sleep(1500);
		const input = await tab.page.$eval('[data-test-id="ndv-input-panel"]', (el: HTMLElement) => el.innerText);
		expect(input).toContain('messageId');
		await screenshot(tab.page, '16-schema-before-first-run');
	});

	it('an input error names the field as the panel shows it and counts items from 1 (item 14)', async () => {
		const node = (workflow.nodes as Json[]).find((candidate) => candidate.type.endsWith('.paymentGateway') && candidate.parameters.operation === 'create')!;
		await rest('PATCH', `/workflows/${workflow.id}`, {
			versionId: (await rest('GET', `/workflows/${workflow.id}`)).versionId,
			nodes: (workflow.nodes as Json[]).map((candidate) =>
				candidate.id === node.id ? { ...candidate, parameters: { ...candidate.parameters, amount: '10.001', currency: 'INR', reference: 'INV-1' } } : candidate,
			),
		});
		await openNodePanel(workflow.id, node);
		await (await byTestId(tab.page, 'node-execute-button')).click();
		await tab.page.waitForFunction(() => /\(item 1\)/.test(document.querySelector('[data-test-id="ndv"]')?.textContent ?? ''), { timeout: 30000 });
		const text = await tab.page.$eval('[data-test-id="ndv"]', (el: HTMLElement) => el.innerText);
		expect(text).toContain('Amount: "10.001" has more decimals than INR allows (2) (item 1)');
		await screenshot(tab.page, '14-error-wording');
	});
});

describe('credential forms (item 13)', () => {
	it.each(Object.entries(SANDBOX_CREDENTIAL_IDS))('%s opens with its guidance', async (type, { id }) => {
		await tab.page.goto(`${baseUrl}/home/credentials/${id}`, { waitUntil: 'networkidle2' });
		await tab.page.waitForSelector('[data-test-id="editCredential-modal"]', { visible: true });
		await sleep(1000);
		const text = await tab.page.$eval('[data-test-id="editCredential-modal"]', (el: HTMLElement) => el.innerText);
		if (type === 'waCommerceLyraApi') expect(text).toContain('REST API Password');
		if (type === 'waCommerceMetaApi') {
			expect(text).toContain('Required for the WhatsApp Commerce Trigger');
			expect(text).not.toMatch(/\bV2\d\.0\b/);
		}
		await screenshot(tab.page, `13-credential-${shotName(type)}`);
		await tab.page.keyboard.press('Escape');
	});

	it('typing "WhatsApp" in the credential picker lists the Meta credential and no gateway credential', async () => {
		await tab.page.goto(`${baseUrl}/home/credentials`, { waitUntil: 'networkidle2' });
		await (await byTestId(tab.page, 'add-resource-credential')).click();
		const select = await byTestId(tab.page, 'new-credential-type-select');
		await ((await select.$('input')) ?? select).type('WhatsApp');
		await sleep(1000);
		const listed = await tab.page.$$eval('[data-test-id="new-credential-type-select-option"]', (els: HTMLElement[]) =>
			els.filter((el) => el.offsetParent !== null).map((el) => (el.textContent ?? '').trim()),
		);
		await screenshot(tab.page, '13-credential-picker-whatsapp');
		expect(listed).toContain('WhatsApp Commerce (Meta Cloud) API');
		expect(listed.join(' ')).not.toMatch(/Stripe|Razorpay|PayU|Lyra/);
	});
});
