/**
 * Issue 14 in a REAL n8n 2.41.1: one signed delivery runs the workflow at most once, whatever the sender does.
 * The sandbox resends a delivery byte for byte (same body, same signature), as Meta and the gateways do when
 * they retry: one after another, ten at once, and after n8n restarts on the same database.
 *
 * "Ran" means the trigger handed the event to the workflow: its output in that execution has the item. A copy
 * that reaches a new execution anyway (another process, or after a restart) ends at the trigger with no item.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Delivery, Sandbox } from '../../sandbox/sandbox';
import { effectRuns, executionData, executions, freePortPair, outputOf, settledExecutions, type Json } from './support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startStack, stopStack } = require('../../scripts/stack.js');

interface Stack {
	n8n: {
		url: string;
		rest: (method: string, path: string, body?: unknown) => Promise<any>;
		start: () => Promise<unknown>;
		stop: () => Promise<void>;
		login: () => Promise<unknown>;
		logFile: string;
	};
	sandbox: Sandbox;
	workflows: Json[];
}

const META = { workflow: 'sbxOrderToCash01', trigger: 'WhatsApp Commerce Trigger' };
const RAZORPAY = { workflow: 'sbxPayLinkErp001', trigger: 'Payment Gateway Trigger' };
const STRIPE = { workflow: 'sbxStripeLink001', trigger: 'Payment Gateway Trigger' };
const PAYU = { workflow: 'e2ePayUTrigger01', trigger: 'Payment Gateway Trigger', webhookId: '5b0c8f4e-2a51-4f0e-9d39-7c1b9a6e0b02' };
const LYRA = { workflow: 'e2eLyraTrigger01', trigger: 'Payment Gateway Trigger', webhookId: '5b0c8f4e-2a51-4f0e-9d39-7c1b9a6e0b03' };
const SOURCES = { meta: META, razorpay: RAZORPAY, stripe: STRIPE, payu: PAYU, lyra: LYRA };
type Source = keyof typeof SOURCES;

let stack: Stack;
let folder: string;
/** The one delivery per source that the cases resend. */
const original: Partial<Record<Source, Delivery>> = {};

const hookUrl = (webhookId: string) => `${stack.n8n.url}/webhook/${webhookId}/webhook`;

async function api(base: string, path: string, init: RequestInit): Promise<Json> {
	const res = await fetch(`${base}${path}`, init);
	const body = (await res.json()) as Json;
	if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
	return body;
}

/** One real delivery per source; returns nothing until every workflow has settled with one run. */
async function deliverOriginals(): Promise<void> {
	const { sandbox } = stack;
	const log = () => sandbox.deliveries.at(-1) as Delivery;

	await sandbox.customerOrder({});
	original.meta = log();

	const razorpay = sandbox.credentials().waCommerceRazorpayApi as Json;
	const link = await api(sandbox.razorpay.baseUrl, '/v1/payment_links', {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${razorpay.keyId}:${razorpay.keySecret}`).toString('base64')}` },
		body: JSON.stringify({ amount: 49900, currency: 'INR', reference_id: 'E2E-ONCE-1', description: 'exactly once' }),
	});
	await sandbox.gatewayPay('razorpay', { linkId: link.id });
	original.razorpay = log();

	const stripe = sandbox.credentials().waCommerceStripeApi as Json;
	const form = new URLSearchParams({
		mode: 'payment',
		success_url: 'https://shop.example/thanks',
		client_reference_id: 'E2E-ONCE-2',
		'line_items[0][price_data][currency]': 'eur',
		'line_items[0][price_data][unit_amount]': '1999',
		'line_items[0][price_data][product_data][name]': 'Tea',
		'line_items[0][quantity]': '1',
	});
	const session = await api(sandbox.stripe.baseUrl, '/v1/checkout/sessions', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${stripe.secretKey}` },
		body: form.toString(),
	});
	await sandbox.gatewayPay('stripe', { linkId: session.id });
	original.stripe = log();

	await sandbox.gatewayNotify('payu', { url: hookUrl(PAYU.webhookId) });
	original.payu = log();
	await sandbox.gatewayNotify('lyra', { url: hookUrl(LYRA.webhookId) });
	original.lyra = log();

	if (process.env.E2E_DEBUG) console.log(JSON.stringify(sandbox.deliveries, null, 1));
	for (const source of Object.keys(SOURCES) as Source[]) {
		await settledExecutions(stack.n8n, SOURCES[source].workflow, 1).catch((error: Error) => {
			// Say what the sandbox delivered and what n8n answered: a missing execution is otherwise hard to place.
			const deliveries = sandbox.deliveries.map((d) => `${d.service} ${d.event} -> ${d.url}: ${d.status} ${String(d.response).slice(0, 80)}`);
			throw new Error(`${error.message}\ndeliveries:\n${deliveries.join('\n')}`);
		});
	}
}

const runs = async (source: Source) => await effectRuns(stack.n8n, SOURCES[source].workflow, SOURCES[source].trigger);

beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'wa-commerce-once-'));
	const port = process.env.E2E_N8N_PORT ? Number(process.env.E2E_N8N_PORT) + 10 : await freePortPair();
	stack = await startStack({
		userFolder: folder,
		port,
		build: process.env.E2E_SKIP_BUILD !== '1',
		extraWorkflows: ['payu-trigger.json', 'lyra-trigger.json', 'stripe-refunds.json'].map((file) => join(__dirname, 'workflows', file)),
		log: () => undefined,
	});
	await deliverOriginals();
}, 15 * 60 * 1000);

afterAll(async () => {
	await stopStack(stack);
	if (folder && process.env.E2E_KEEP !== '1') rmSync(folder, { recursive: true, force: true });
}, 60000);

describe.each(Object.keys(SOURCES) as Source[])('%s: one signed delivery runs the workflow once', (source) => {
	it('the first delivery ran once and was answered 200 "OK"', async () => {
		expect(await runs(source)).toBe(1);
		const first = stack.sandbox.deliveries.filter((d) => d.service === source).at(-1) as Json;
		expect(first.status).toBe(200);
		expect(first.response).toBe('OK');
	});

	it('resent twice, one after another: answered 200, starts no execution', async () => {
		const before = (await executions(stack.n8n, SOURCES[source].workflow)).length;
		const answers = await stack.sandbox.redeliverMany(original[source] as Delivery, { times: 2 });
		expect(answers.map((a) => a.status)).toEqual([200, 200]);
		expect((await settledExecutions(stack.n8n, SOURCES[source].workflow)).length).toBe(before);
		expect(await runs(source)).toBe(1);
	});

	it('resent ten times at once: starts no execution', async () => {
		const before = (await executions(stack.n8n, SOURCES[source].workflow)).length;
		const answers = await stack.sandbox.redeliverMany(original[source] as Delivery, { times: 10, concurrent: true });
		expect(answers.every((a) => a.status === 200)).toBe(true);
		expect((await settledExecutions(stack.n8n, SOURCES[source].workflow)).length).toBe(before);
		expect(await runs(source)).toBe(1);
	});
});

describe('a new event delivered ten times at once', () => {
	it('runs once (the copies race the first execution)', async () => {
		const before = (await executions(stack.n8n, META.workflow)).length;
		await stack.sandbox.customerOrder({ from: '919800000002' });
		await stack.sandbox.redeliverMany(stack.sandbox.deliveries.at(-1) as Delivery, { times: 9, concurrent: true });
		const after = await settledExecutions(stack.n8n, META.workflow, before + 1);
		expect(after.length - before).toBe(1);
		expect(await runs('meta')).toBe(2); // the original order of deliverOriginals and this one
	});
});

describe('duplicates are recognised from signed content only', () => {
	it('razorpay: the same signed body with another x-razorpay-event-id (unsigned) does not run again', async () => {
		const answers = await stack.sandbox.redeliverMany(original.razorpay as Delivery, { headers: { 'x-razorpay-event-id': 'evt_replayed_with_new_id' } });
		expect(answers[0].status).toBe(200);
		await settledExecutions(stack.n8n, RAZORPAY.workflow);
		expect(await runs('razorpay')).toBe(1);
	});
});

describe('one refund, told three ways by Stripe, runs the workflow once', () => {
	const REFUNDS = { workflow: 'e2eStripeRefund1', trigger: 'Payment Gateway Trigger', webhookId: '5b0c8f4e-2a51-4f0e-9d39-7c1b9a6e0b04' };
	it('refund.created, refund.updated and charge.refunded for re_... yield one refund.processed', async () => {
		const refund = { id: 're_3PqE2e0nce', object: 'refund', amount: 1000, currency: 'eur', charge: 'ch_3PqE2e0nce', payment_intent: 'pi_3PqE2e0nce', status: 'succeeded', metadata: {} };
		const charge = {
			id: 'ch_3PqE2e0nce', object: 'charge', amount: 1999, amount_refunded: 1000, currency: 'eur', payment_intent: 'pi_3PqE2e0nce', refunded: false,
			refunds: { object: 'list', data: [refund], has_more: false },
		};
		await stack.sandbox.stripeEvent({ type: 'refund.created', object: refund });
		await stack.sandbox.stripeEvent({ type: 'refund.updated', object: refund });
		const last = await stack.sandbox.stripeEvent({ type: 'charge.refunded', object: charge, url: hookUrl(REFUNDS.webhookId) });
		expect(last.status).toBe(200);
		await settledExecutions(stack.n8n, REFUNDS.workflow, 1);
		expect(await effectRuns(stack.n8n, REFUNDS.workflow, 'Effect')).toBe(1);
	});
});

describe('one bad event in a signed Meta delivery costs nothing else', () => {
	it('an order priced 7.999 USD next to a captured payment: 200, both reach the workflow, only the order carries an error', async () => {
		const before = (await executions(stack.n8n, META.workflow)).length;
		const delivery = await stack.sandbox.metaWebhook({
			value: {
				contacts: [{ profile: { name: 'Asha' }, wa_id: '919800000003' }],
				messages: [{
					from: '919800000003',
					id: 'wamid.HBgMOTE5ODAwMDAwMDAzFQIAEhgUM0VCMEJBRDdFOTk5OUFFMDAzQjAA',
					timestamp: String(Math.floor(Date.now() / 1000)),
					type: 'order',
					order: { catalog_id: '1234567890', product_items: [{ product_retailer_id: 'tea', quantity: 1, item_price: 7.999, currency: 'USD' }] },
				}],
				statuses: [{
					id: 'gBGGFlB5YjFgAgk1kvLmPEuqC0M',
					recipient_id: '919800000003',
					type: 'payment',
					status: 'captured',
					timestamp: String(Math.floor(Date.now() / 1000)),
					payment: { reference_id: 'E2E-MIXED-1', amount: { value: 19999, offset: 100 }, currency: 'INR', transaction: { id: 'order_E2EMIXED1', pg_transaction_id: 'pay_E2EMIXED1', type: 'razorpay', status: 'success', method: { type: 'upi' } } },
				}],
			},
		});
		expect(delivery.status).toBe(200);
		const [latest] = await settledExecutions(stack.n8n, META.workflow, before + 1);
		const run = await executionData(stack.n8n, latest.id);
		const items = outputOf(run, META.trigger) ?? [];
		expect(items.map((i) => i.event ?? i.type)).toHaveLength(2);
		const bad = items.find((i) => i.error);
		const good = items.find((i) => !i.error);
		expect(JSON.stringify(bad?.error)).toContain('item_price');
		expect(good).toEqual(expect.objectContaining({ referenceId: 'E2E-MIXED-1' }));
	});
});

describe('after n8n restarts on the same database', () => {
	beforeAll(async () => {
		await stack.n8n.stop();
		await stack.n8n.start();
		await stack.n8n.login();
		const deadline = Date.now() + 90000;
		while (Date.now() < deadline) {
			const active = (await stack.n8n.rest('GET', '/active-workflows')) as string[];
			if (Object.values(SOURCES).every((s) => active.includes(s.workflow))) break;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}, 5 * 60 * 1000);

	it.each(Object.keys(SOURCES) as Source[])('%s: a redelivery starts no execution', async (source) => {
		const before = await runs(source);
		const executionsBefore = (await executions(stack.n8n, SOURCES[source].workflow)).length;
		const answers = await stack.sandbox.redeliverMany(original[source] as Delivery, { times: 1 });
		expect(answers[0].status).toBe(200);
		expect((await settledExecutions(stack.n8n, SOURCES[source].workflow)).length).toBe(executionsBefore);
		expect(await runs(source)).toBe(before);
	});
});
