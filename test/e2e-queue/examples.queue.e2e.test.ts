/**
 * The four example workflows in n8n 2.41.1's QUEUE MODE (how merchants scale out): the project's own Postgres
 * and Redis, n8n main (trigger registration, REST), two webhook processes and two workers (scripts/queue-stack.js).
 * The sandbox plays the customer and the ERP and delivers to the webhook process; assertions are on what the
 * sandbox received, on n8n's execution records (Postgres, and main's REST API) and on where each execution ran
 * (the workers' "Worker started execution N" log lines).
 *
 * Then the redelivery cases of exactly-once (issue 15): Meta and the gateways retry a webhook they believe was not
 * received, byte for byte; across processes each delivery must start the workflow at most once.
 */
import { createHmac } from 'crypto';

import type { Delivery, Sandbox } from '../../sandbox/sandbox';
import { META_TRIGGER_WEBHOOK_ID, GATEWAY_TRIGGER_WEBHOOK_IDS, productionWebhookUrl } from '../../sandbox/config';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startQueueStack, stopQueueStack } = require('../../scripts/queue-stack.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runtime } = require('../../scripts/n8n-runtime.js');

type Json = Record<string, any>;

interface N8nProcess {
	name: string;
	url: string;
	port: number;
	logFile: string;
	readLog: () => string;
	rest: (method: string, path: string, body?: unknown) => Promise<any>;
}

interface QueueStack {
	main: N8nProcess;
	webhooks: N8nProcess[];
	workers: N8nProcess[];
	webhookUrl: string;
	sandbox: Sandbox;
	postgres: { query: (sql: string) => string[][] };
	executionsByWorker: () => Record<string, string[]>;
	restartN8n: () => Promise<void>;
	erpAuth: { headers: Record<string, string> };
}

const PHONE_ID = '106540352242922';
const EXAMPLES = ['sbxOrderToCash01', 'sbxPayLinkErp001', 'sbxRefundCancel1', 'sbxStripeLink001'];
let stack: QueueStack;

// ---- reading n8n's records ---------------------------------------------------------------------------

/** Execution ids and statuses of a workflow, straight from Postgres (no page limit), oldest first. */
function executionRows(workflowId: string, afterId = 0): Array<{ id: string; status: string }> {
	if (!/^\w+$/.test(workflowId)) throw new Error(`bad workflow id ${workflowId}`);
	return stack.postgres
		.query(`select id, status from execution_entity where "workflowId" = '${workflowId}' and id > ${Number(afterId)} order by id`)
		.map(([id, status]) => ({ id, status }));
}

function lastExecutionId(): number {
	return Number(stack.postgres.query('select coalesce(max(id), 0) from execution_entity')[0][0]);
}

const unfinished = (status: string) => ['new', 'running', 'waiting'].includes(status);

/** Waits (bounded) until the workflow has at least `count` executions after `afterId`, all finished. */
async function settled(workflowId: string, afterId: number, count: number): Promise<Array<{ id: string; status: string }>> {
	const deadline = Date.now() + 120000;
	let rows: Array<{ id: string; status: string }> = [];
	while (Date.now() < deadline) {
		rows = executionRows(workflowId, afterId);
		if (rows.length >= count && !rows.some((r) => unfinished(r.status))) return rows;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`workflow ${workflowId}: ${count} finished executions after #${afterId} expected, saw ${JSON.stringify(rows)}; logs: ${stack.workers.map((w) => w.logFile).join(', ')}`);
}

/** One execution with its run data (main's REST API). */
async function execution(id: string): Promise<Json> {
	const record = await stack.main.rest('GET', `/executions/${id}`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(`${runtime(process.env.N8N_RUNTIME_DIR).modules}/flatted`);
	return { ...record, data: flatted.parse(record.data) };
}

/** The newest finished execution once the workflow has `count` new ones after `afterId`. */
async function finishedExecution(workflowId: string, afterId: number, count = 1): Promise<Json> {
	const rows = await settled(workflowId, afterId, count);
	return execution(rows[rows.length - 1].id);
}

/** The JSON items a node produced in an execution (first output). */
function outputOf(record: Json, node: string): Json[] {
	const runs = record.data.resultData.runData[node];
	if (!runs) throw new Error(`node "${node}" did not run; ran: ${Object.keys(record.data.resultData.runData).join(', ')}`);
	return (runs[0].data?.main?.[0] ?? []).map((item: Json) => item.json);
}

/** A production webhook of the examples' ERP side, posted to the webhook process. */
async function postWebhook(path: string, body: Json, base = stack.webhookUrl): Promise<number> {
	// The examples' ERP webhooks require n8n Header Auth (a token the stack generated).
	const res = await fetch(`${base}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...stack.erpAuth.headers }, body: JSON.stringify(body) });
	await res.text();
	return res.status;
}

beforeAll(async () => {
	stack = await startQueueStack({ webhookProcesses: 2, build: process.env.E2E_SKIP_BUILD !== '1', keep: process.env.E2E_KEEP === '1', log: () => undefined });
}, 15 * 60 * 1000);

afterAll(async () => {
	await stopQueueStack(stack);
}, 120000);

describe('queue mode: who does what', () => {
	it('main registered the WhatsApp trigger at (sandbox) Meta with the webhook process\'s URL', () => {
		// Example 1 chooses no phone number: it owns the WABA override (see the WhatsApp trigger's Registration Scope).
		const { meta } = stack.sandbox;
		const override = meta.subscribedApps.get(meta.appId)?.override_callback_uri;
		expect(override).toBe(productionWebhookUrl(stack.webhookUrl, META_TRIGGER_WEBHOOK_ID));
		expect(override).not.toContain(`:${stack.main.port}/`);
		expect(meta.callbackFor(meta.state.phoneNumbers[0].id)).toBe(override);
		expect(meta.subscribedApps.size).toBe(1);
	});

	it('main registered the Stripe trigger\'s endpoint with the webhook process\'s URL', () => {
		const endpoints = [...stack.sandbox.stripe.endpoints.values()];
		expect(endpoints.map((e) => e.url)).toEqual([productionWebhookUrl(stack.webhookUrl, GATEWAY_TRIGGER_WEBHOOK_IDS.stripe!)]);
	});
});

describe('example 1 (queue mode): order to cash', () => {
	let referenceId = '';

	it('a cart order delivered to the webhook process gets an order_details bill with the exact total', async () => {
		const since = lastExecutionId();
		const before = stack.sandbox.meta.sent.length;
		const { delivery } = await stack.sandbox.customerOrder({
			from: '919800000001',
			name: 'Asha',
			items: [
				{ retailerId: 'masala-chai', quantity: 3, price: '19.99', currency: 'INR' },
				{ retailerId: 'samosa', quantity: 1, price: '0.10', currency: 'INR' },
			],
		});
		expect(delivery).toMatchObject({ status: 200, url: expect.stringContaining(stack.webhookUrl) });
		const record = await finishedExecution('sbxOrderToCash01', since);
		expect(record.status).toBe('success');
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].phoneNumberId).toBe(PHONE_ID);
		const parameters = (sent[0].message as Json).interactive.action.parameters;
		referenceId = parameters.reference_id;
		expect(referenceId).toMatch(/^SBX-/);
		expect(parameters.total_amount).toEqual({ value: 6007, offset: 100 });
	});

	it('the captured payment sends order_status processing and reaches the ERP step', async () => {
		expect(referenceId).not.toBe('');
		const since = lastExecutionId();
		const before = stack.sandbox.meta.sent.length;
		const { delivery } = await stack.sandbox.customerPay({ referenceId });
		expect(delivery.status).toBe(200);
		const record = await finishedExecution('sbxOrderToCash01', since);
		expect(record.status).toBe('success');
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].message).toMatchObject({ to: '919800000001', interactive: { type: 'order_status', action: { parameters: { reference_id: referenceId, order: { status: 'processing' } } } } });
		expect(outputOf(record, 'ERP: mark order paid')).toEqual([expect.objectContaining({ erpOrder: referenceId, erpStatus: 'paid', amountMinor: 6007, currency: 'INR' })]);
	});
});

const refund: Json = { paymentId: '', referenceId: '', phone: '919800000001', reason: 'Customer canceled' };

describe('example 2 (queue mode): PayLink from the ERP', () => {
	it('an ERP invoice posted to the webhook process becomes a Razorpay link sent on WhatsApp', async () => {
		const since = lastExecutionId();
		const before = stack.sandbox.meta.sent.length;
		expect(await postWebhook('erp-invoice', { invoice: 'INV-1001', amount: '1499.00', currency: 'INR', phone: '919800000002', name: 'Ravi' })).toBe(200);
		const record = await finishedExecution('sbxPayLinkErp001', since);
		expect(record.status).toBe('success');
		const links = [...stack.sandbox.razorpay.links.values()].filter((l) => l.reference_id === 'INV-1001');
		expect(links).toHaveLength(1);
		expect(links[0]).toMatchObject({ amount: 149900, currency: 'INR' });
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(JSON.stringify(sent[0].message)).toContain(String(links[0].short_url));
	});

	it('the paid webhook sends a receipt and marks the invoice paid', async () => {
		const since = lastExecutionId();
		const before = stack.sandbox.meta.sent.length;
		const { delivery } = await stack.sandbox.gatewayPay('razorpay', {});
		expect(delivery).toMatchObject({ status: 200, url: expect.stringContaining(stack.webhookUrl) });
		const record = await finishedExecution('sbxPayLinkErp001', since);
		expect(record.status).toBe('success');
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].message).toMatchObject({ type: 'template', template: { name: 'order_update' } });
		const [erp] = outputOf(record, 'ERP: invoice paid');
		expect(erp).toMatchObject({ invoice: 'INV-1001', erpStatus: 'paid', amountMinor: 149900 });
		expect(erp.gatewayPaymentId).toMatch(/^pay_/);
		refund.paymentId = erp.gatewayPaymentId;
	});
});

describe('example 4 (queue mode): Stripe PayLink with a self-registering trigger', () => {
	it('an ERP invoice becomes a Stripe Checkout Session; Stripe\'s signed event reaches the registered endpoint', async () => {
		let since = lastExecutionId();
		expect(await postWebhook('erp-invoice-stripe', { invoice: 'INV-2001', amount: '19.99', currency: 'EUR', phone: '33600000001', name: 'Léa', email: 'lea@example.com' })).toBe(200);
		expect((await finishedExecution('sbxStripeLink001', since)).status).toBe('success');
		const sessions = [...stack.sandbox.stripe.sessions.values()];
		expect(sessions).toHaveLength(1);
		expect(sessions[0]).toMatchObject({ amount_total: 1999, currency: 'eur', client_reference_id: 'INV-2001' });

		since = lastExecutionId();
		const before = stack.sandbox.meta.sent.length;
		const { delivery } = await stack.sandbox.gatewayPay('stripe', {});
		expect(delivery).toMatchObject({ status: 200, url: productionWebhookUrl(stack.webhookUrl, GATEWAY_TRIGGER_WEBHOOK_IDS.stripe!) });
		const record = await finishedExecution('sbxStripeLink001', since);
		expect(record.status).toBe('success');
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].message).toMatchObject({ to: '33600000001', type: 'template', template: { name: 'order_update' } });
		expect(outputOf(record, 'ERP: invoice paid')[0]).toMatchObject({ invoice: 'INV-2001', erpStatus: 'paid', amountMinor: 1999 });
	});
});

describe('example 3 (queue mode): refund on cancellation', () => {
	it('an ERP cancel refunds at the gateway and tells the customer', async () => {
		expect(refund.paymentId).not.toBe('');
		const orderDetails = stack.sandbox.meta.sent.find((s) => (s.message as Json).interactive?.type === 'order_details');
		refund.referenceId = (orderDetails!.message as Json).interactive.action.parameters.reference_id;
		const since = lastExecutionId();
		const before = stack.sandbox.meta.sent.length;
		expect(await postWebhook('erp-cancel', refund)).toBe(200);
		const record = await finishedExecution('sbxRefundCancel1', since);
		expect(record.status).toBe('success');
		const refunds = [...stack.sandbox.razorpay.refunds.values()];
		expect(refunds).toHaveLength(1);
		expect(refunds[0]).toMatchObject({ payment_id: refund.paymentId, amount: 149900 });
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].message).toMatchObject({ interactive: { type: 'order_status', action: { parameters: { reference_id: refund.referenceId, order: { status: 'canceled' } } } } });
	});
});

describe('queue mode: where the executions ran', () => {
	it('every execution of the examples was enqueued by the webhook process and run by a worker', () => {
		const ids = EXAMPLES.flatMap((workflowId) => executionRows(workflowId).map((r) => r.id));
		expect(ids.length).toBeGreaterThanOrEqual(7);
		const onWorkers = new Set(Object.values(stack.executionsByWorker()).flat());
		expect(ids.filter((id) => !onWorkers.has(id))).toEqual([]);
		const enqueued = stack.webhooks[0].readLog();
		expect(ids.filter((id) => !enqueued.includes(`Enqueued execution ${id} `))).toEqual([]);
		// Main and the webhook processes ran none of them themselves.
		for (const process of [stack.main, ...stack.webhooks]) expect(process.readLog()).not.toMatch(/Worker started execution/);
	});
});

describe('queue mode: signatures', () => {
	it('a Meta delivery with a bad signature gets 401 at the webhook process and starts no execution', async () => {
		const since = lastExecutionId();
		const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: stack.sandbox.meta.state.wabaId, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: PHONE_ID }, messages: [{ from: '919800000003', id: 'wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', timestamp: '1739321024', type: 'text', text: { body: 'hi' } }] } }] }] });
		const forged = `sha256=${createHmac('sha256', 'not-the-app-secret').update(body).digest('hex')}`;
		const res = await fetch(productionWebhookUrl(stack.webhookUrl, META_TRIGGER_WEBHOOK_ID), { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': forged }, body });
		await res.text();
		expect(res.status).toBe(401);
		// n8n answers a trigger's delivery only after it created (and enqueued) the execution, if any: none now.
		expect(lastExecutionId()).toBe(since);
	});
});

// ---- exactly once across processes (issue 15) -----------------------------------------------------------
//
// Each case sends ONE webhook several times, byte for byte (same event id, same signature), as Meta and the
// gateways retry, and counts the executions in which the trigger started the workflow (emitted at least one
// item) and the customer-visible effect (WhatsApp messages to that case's own phone number). A duplicate must be
// acknowledged (2xx, so the service stops retrying) and start nothing: at most one execution per delivery.

interface Source {
	name: string;
	workflowId: string;
	trigger: string;
	/** The trigger's Production URL at the first webhook process (where the service sends it). */
	url: () => string;
	/** Makes the webhook happen; the first attempt goes to `url` (default: where the service sends it). */
	first: (phone: string, url?: string) => Promise<Delivery>;
	/** The customer-visible effect of one run: messages to `phone` that this workflow sends. */
	effects: (phone: string) => number;
}

/** A port nobody listens on: the first attempt that "never reached n8n", so that all copies race each other. */
const UNREACHABLE = 'http://127.0.0.1:9/webhook/unreachable';

const SOURCES: Source[] = [
	{
		name: 'WhatsApp cart order (WhatsApp Commerce Trigger)',
		workflowId: 'sbxOrderToCash01',
		trigger: 'WhatsApp Commerce Trigger',
		url: () => productionWebhookUrl(stack.webhookUrl, META_TRIGGER_WEBHOOK_ID),
		first: async (phone, url) => (await stack.sandbox.customerOrder({ from: phone, name: 'Retry', url })).delivery,
		effects: (phone) => stack.sandbox.meta.sent.filter((s) => (s.message as Json).to === phone && (s.message as Json).interactive?.type === 'order_details').length,
	},
	{
		name: 'Razorpay payment_link.paid (Payment Gateway Trigger)',
		workflowId: 'sbxPayLinkErp001',
		trigger: 'Payment Gateway Trigger',
		url: () => productionWebhookUrl(stack.webhookUrl, GATEWAY_TRIGGER_WEBHOOK_IDS.razorpay!),
		first: async (phone, url) => {
			const invoice = `INV-R${phone.slice(-4)}`;
			const since = lastExecutionId();
			expect(await postWebhook('erp-invoice', { invoice, amount: '10.00', currency: 'INR', phone, name: 'Retry' })).toBe(200);
			await settled('sbxPayLinkErp001', since, 1);
			const link = [...stack.sandbox.razorpay.links.values()].find((l) => l.reference_id === invoice);
			if (!link) throw new Error(`no Razorpay link for ${invoice}`);
			return (await stack.sandbox.gatewayPay('razorpay', { linkId: link.id, url })).delivery;
		},
		effects: (phone) => stack.sandbox.meta.sent.filter((s) => (s.message as Json).to === phone && (s.message as Json).type === 'template').length,
	},
];

let casePhone = 919811100000;
const nextPhone = () => String((casePhone += 1));

/** Executions of `source`'s workflow after `afterId` in which its trigger emitted items (the workflow started). */
async function startedRuns(source: Source, afterId: number, atLeast = 1): Promise<{ started: string[]; all: string[] }> {
	const rows = await settled(source.workflowId, afterId, atLeast);
	const started: string[] = [];
	for (const row of rows) {
		const record = await execution(row.id);
		const runs = record.data.resultData.runData[source.trigger];
		if ((runs?.[0]?.data?.main?.[0]?.length ?? 0) > 0) started.push(row.id);
	}
	return { started, all: rows.map((r) => r.id) };
}

async function expectOnce(source: Source, phone: string, since: number, deliveries: Delivery[]): Promise<void> {
	for (const delivery of deliveries) expect(delivery.status).toBe(200);
	const { started, all } = await startedRuns(source, since);
	expect({ started: started.length, effects: source.effects(phone), executions: all }).toEqual({ started: 1, effects: 1, executions: expect.any(Array) });
}

describe.each(SOURCES)('exactly once across processes: $name', (source) => {
	it('sequential: the same delivery three times to one webhook process starts one execution', async () => {
		const phone = nextPhone();
		const since = lastExecutionId();
		const first = await source.first(phone);
		const copies = [await stack.sandbox.redeliver(first), await stack.sandbox.redeliver(first)];
		await expectOnce(source, phone, since, [first, ...copies]);
	});

	it('10 concurrent copies (the first attempt never reached n8n) start one execution', async () => {
		const phone = nextPhone();
		const since = lastExecutionId();
		const lost = await source.first(phone, UNREACHABLE);
		expect(lost.status).toBe(0);
		const copies = await Promise.all(Array.from({ length: 10 }, () => stack.sandbox.redeliver(lost, source.url())));
		await expectOnce(source, phone, since, copies);
	});

	it('alternating between the two webhook processes starts one execution', async () => {
		const phone = nextPhone();
		const since = lastExecutionId();
		const first = await source.first(phone);
		expect(first.url).toBe(source.url());
		const [one, two] = stack.webhooks.map((w) => first.url.replace(stack.webhookUrl, w.url));
		expect(one).not.toBe(two);
		const copies = [];
		for (const url of [two, one, two]) copies.push(await stack.sandbox.redeliver(first, url));
		await expectOnce(source, phone, since, [first, ...copies]);
	});
});

describe('exactly once across processes: after restarting every n8n process', () => {
	it('deliveries made before main, both webhook processes and both workers restarted start nothing again', async () => {
		const cases = [];
		const since = lastExecutionId();
		for (const source of SOURCES) {
			const phone = nextPhone();
			cases.push({ source, phone, first: await source.first(phone) });
		}
		for (const { source } of cases) await settled(source.workflowId, since, 1);
		await stack.restartN8n();
		for (const { source, phone, first } of cases) {
			const copies = [];
			for (const webhook of stack.webhooks) copies.push(await stack.sandbox.redeliver(first, first.url.replace(stack.webhookUrl, webhook.url)));
			await expectOnce(source, phone, since, [first, ...copies]);
		}
	}, 8 * 60 * 1000);
});
