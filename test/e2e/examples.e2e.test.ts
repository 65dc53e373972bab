/**
 * The four example workflows inside a REAL n8n 2.41.1 (`n8n start`, package installed as a community
 * package), driven through the sandbox exactly as a customer and an ERP would: assertions are on what the
 * sandbox (Meta, Razorpay, Stripe) received and on n8n's own execution records.
 */
import { mkdtempSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Sandbox } from '../../sandbox/sandbox';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startStack, stopStack } = require('../../scripts/stack.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runtime } = require('../../scripts/n8n-runtime.js');

interface Stack {
	n8n: {
		url: string;
		rest: (method: string, path: string, body?: unknown) => Promise<any>;
		get: (path: string) => Promise<unknown>;
		logFile: string;
	};
	sandbox: Sandbox;
}

type Json = Record<string, any>;

/** A free port whose successor is free too (n8n's task broker takes port + 1). */
async function freePortPair(): Promise<number> {
	const listen = (port: number) =>
		new Promise<number | undefined>((resolve) => {
			const server = createServer();
			server.once('error', () => resolve(undefined));
			server.listen(port, '127.0.0.1', () => {
				const bound = (server.address() as { port: number }).port;
				server.close(() => resolve(bound));
			});
		});
	for (let attempt = 0; attempt < 20; attempt += 1) {
		const port = await listen(0);
		if (port && port < 65535 && (await listen(port + 1))) return port;
	}
	throw new Error('no free port pair for n8n');
}
const PHONE_ID = '106540352242922';
let stack: Stack;
let folder: string;

/** Execution records of a workflow, newest first. */
async function executions(workflowId: string): Promise<Json[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	return (await stack.n8n.rest('GET', `/executions?filter=${filter}`)).results as Json[];
}

/** Waits (bounded) until the workflow has `count` finished executions; returns the newest, with its run data. */
async function finishedExecution(workflowId: string, count: number): Promise<Json> {
	const deadline = Date.now() + 60000;
	let seen: Json[] = [];
	while (Date.now() < deadline) {
		seen = await executions(workflowId);
		const finished = seen.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		if (finished.length >= count) {
			const execution = await stack.n8n.rest('GET', `/executions/${finished[0].id}`);
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const flatted = require(join(runtime(process.env.N8N_RUNTIME_DIR).modules, 'flatted'));
			return { ...execution, data: flatted.parse(execution.data) };
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`workflow ${workflowId}: ${count} finished executions expected, saw ${JSON.stringify(seen.map((e) => e.status))}; log: ${stack.n8n.logFile}`);
}

/** The JSON items a node produced in an execution (first output). */
function outputOf(execution: Json, node: string): Json[] {
	const runs = execution.data.resultData.runData[node];
	if (!runs) throw new Error(`node "${node}" did not run; ran: ${Object.keys(execution.data.resultData.runData).join(', ')}`);
	return (runs[0].data.main[0] ?? []).map((item: Json) => item.json);
}

async function postWebhook(path: string, body: Json): Promise<number> {
	const res = await fetch(`${stack.n8n.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	await res.text();
	return res.status;
}

beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'wa-commerce-e2e-'));
	const port = process.env.E2E_N8N_PORT ? Number(process.env.E2E_N8N_PORT) : await freePortPair();
	stack = await startStack({ userFolder: folder, port, build: process.env.E2E_SKIP_BUILD !== '1', log: () => undefined });
}, 15 * 60 * 1000);

afterAll(async () => {
	await stopStack(stack);
	if (folder && process.env.E2E_KEEP !== '1') rmSync(folder, { recursive: true, force: true });
}, 60000);

describe('the package inside a real n8n', () => {
	it('lists the four nodes as community node types', async () => {
		const types = (await stack.n8n.get('/types/nodes.json')) as Json[];
		const ours = [...new Set(types.map((t) => t.name as string).filter((name) => name.startsWith('n8n-nodes-whatsapp-commerce.')))].sort();
		expect(ours).toEqual(expect.arrayContaining([
			'n8n-nodes-whatsapp-commerce.paymentGateway',
			'n8n-nodes-whatsapp-commerce.paymentGatewayTrigger',
			'n8n-nodes-whatsapp-commerce.whatsAppCommerce',
			'n8n-nodes-whatsapp-commerce.whatsAppCommerceTrigger',
		]));
	});

	it('registered the WhatsApp trigger with (sandbox) Meta when the example was published', () => {
		// Example 1 chooses no phone number: it owns the WABA override (numbers with their own trigger keep theirs).
		const { meta } = stack.sandbox;
		expect(meta.subscribedApps.get(meta.appId)?.override_callback_uri).toMatch(new RegExp(`^${stack.n8n.url}/webhook/.+/webhook$`));
		expect(meta.callbackFor(meta.state.phoneNumbers[0].id)).toBe(meta.subscribedApps.get(meta.appId)?.override_callback_uri);
		expect(meta.subscribedApps.size).toBe(1);
	});
});

describe('example 1: order to cash', () => {
	let referenceId = '';

	it('a cart order gets an order_details bill with the exact total', async () => {
		const before = stack.sandbox.meta.sent.length;
		const { delivery } = await stack.sandbox.customerOrder({
			from: '919800000001',
			name: 'Asha',
			items: [
				{ retailerId: 'masala-chai', quantity: 3, price: '19.99', currency: 'INR' },
				{ retailerId: 'samosa', quantity: 1, price: '0.10', currency: 'INR' },
			],
		});
		expect(delivery.status).toBe(200);
		const execution = await finishedExecution('sbxOrderToCash01', 1);
		expect(execution.status).toBe('success');
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].phoneNumberId).toBe(PHONE_ID);
		expect(sent[0].message).toMatchObject({ to: '919800000001', type: 'interactive', interactive: { type: 'order_details' } });
		const parameters = (sent[0].message as Json).interactive.action.parameters;
		referenceId = parameters.reference_id;
		expect(referenceId).toMatch(/^SBX-/);
		// 3 x 19.99 + 0.10 = 60.07, computed in minor units.
		expect(parameters.total_amount).toEqual({ value: 6007, offset: 100 });
		expect(parameters.payment_settings[0].payment_gateway).toEqual({ type: 'razorpay', configuration_name: 'rzp-prod' });
		expect(outputOf(execution, 'Send the bill (order_details)')[0]).toMatchObject({ messageId: expect.stringMatching(/^wamid\./) });
	});

	it('the captured payment sends order_status processing and reaches the ERP step', async () => {
		expect(referenceId).not.toBe('');
		const before = stack.sandbox.meta.sent.length;
		const { delivery } = await stack.sandbox.customerPay({ referenceId });
		expect(delivery.status).toBe(200);
		const execution = await finishedExecution('sbxOrderToCash01', 2);
		expect(execution.status).toBe('success');
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].message).toMatchObject({ to: '919800000001', interactive: { type: 'order_status', action: { parameters: { reference_id: referenceId, order: { status: 'processing' } } } } });
		expect(outputOf(execution, 'ERP: mark order paid')).toEqual([
			expect.objectContaining({ erpOrder: referenceId, erpStatus: 'paid', amountMinor: 6007, currency: 'INR' }),
		]);
	});
});

describe('example 2: PayLink from the ERP', () => {
	let paymentId = '';

	it('an ERP invoice becomes a Razorpay link sent on WhatsApp', async () => {
		const before = stack.sandbox.meta.sent.length;
		expect(await postWebhook('erp-invoice', { invoice: 'INV-1001', amount: '1499.00', currency: 'INR', phone: '919800000002', name: 'Ravi' })).toBe(200);
		const execution = await finishedExecution('sbxPayLinkErp001', 1);
		expect(execution.status).toBe('success');
		const links = [...stack.sandbox.razorpay.links.values()];
		expect(links).toHaveLength(1);
		expect(links[0]).toMatchObject({ amount: 149900, currency: 'INR', reference_id: 'INV-1001' });
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(JSON.stringify(sent[0].message)).toContain(String(links[0].short_url));
	});

	it('the paid webhook sends a receipt and marks the invoice paid', async () => {
		const before = stack.sandbox.meta.sent.length;
		const { delivery } = await stack.sandbox.gatewayPay('razorpay', {});
		expect(delivery.status).toBe(200);
		const execution = await finishedExecution('sbxPayLinkErp001', 2);
		expect(execution.status).toBe('success');
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].message).toMatchObject({ type: 'template', template: { name: 'order_update' } });
		const [erp] = outputOf(execution, 'ERP: invoice paid');
		expect(erp).toMatchObject({ invoice: 'INV-1001', erpStatus: 'paid', amountMinor: 149900 });
		paymentId = erp.gatewayPaymentId;
		expect(paymentId).toMatch(/^pay_/);
		example3Input.paymentId = paymentId;
	});
});

describe('example 4: Stripe PayLink with a self-registering trigger', () => {
	it('registered its webhook endpoint at (sandbox) Stripe when the workflow was published', () => {
		const endpoints = [...stack.sandbox.stripe.endpoints.values()];
		expect(endpoints).toHaveLength(1);
		expect(endpoints[0].url).toBe(`${stack.n8n.url}/webhook/5b0c8f4e-2a51-4f0e-9d39-7c1b9a6e0a04/webhook`);
		expect(endpoints[0].enabled_events).toContain('checkout.session.completed');
	});

	it('an ERP invoice becomes a Stripe Checkout Session sent on WhatsApp', async () => {
		const before = stack.sandbox.meta.sent.length;
		expect(await postWebhook('erp-invoice-stripe', { invoice: 'INV-2001', amount: '19.99', currency: 'EUR', phone: '33600000001', name: 'Léa', email: 'lea@example.com' })).toBe(200);
		const execution = await finishedExecution('sbxStripeLink001', 1);
		expect(execution.status).toBe('success');
		const sessions = [...stack.sandbox.stripe.sessions.values()];
		expect(sessions).toHaveLength(1);
		expect(sessions[0]).toMatchObject({ amount_total: 1999, currency: 'eur', client_reference_id: 'INV-2001', success_url: 'https://shop.example.com/thanks', metadata: { whatsapp: '33600000001' } });
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].message).toMatchObject({ to: '33600000001' });
		expect(JSON.stringify(sent[0].message)).toContain(String(sessions[0].url));
	});

	it('Stripe\'s signed checkout.session.completed reaches the registered endpoint; receipt to the number kept in the notes', async () => {
		const before = stack.sandbox.meta.sent.length;
		const { delivery } = await stack.sandbox.gatewayPay('stripe', {});
		expect(delivery).toMatchObject({ status: 200, url: expect.stringContaining('5b0c8f4e-2a51-4f0e-9d39-7c1b9a6e0a04') });
		const execution = await finishedExecution('sbxStripeLink001', 2);
		expect(execution.status).toBe('success');
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].message).toMatchObject({ to: '33600000001', type: 'template', template: { name: 'order_update' } });
		const [erp] = outputOf(execution, 'ERP: invoice paid');
		expect(erp).toMatchObject({ invoice: 'INV-2001', erpStatus: 'paid', amountMinor: 1999 });
		expect(erp.gatewayPaymentId).toMatch(/^pi_/);
	});
});

const example3Input: Json = { paymentId: '', referenceId: '', phone: '919800000001', reason: 'Customer canceled' };

describe('example 3: refund on cancellation', () => {
	it('an ERP cancel refunds at the gateway and tells the customer', async () => {
		expect(example3Input.paymentId).not.toBe('');
		// The order of example 1 (its order_details reference) is the one canceled.
		const orderDetails = stack.sandbox.meta.sent.find((s) => (s.message as Json).interactive?.type === 'order_details');
		example3Input.referenceId = (orderDetails!.message as Json).interactive.action.parameters.reference_id;
		const before = stack.sandbox.meta.sent.length;
		expect(await postWebhook('erp-cancel', example3Input)).toBe(200);
		const execution = await finishedExecution('sbxRefundCancel1', 1);
		expect(execution.status).toBe('success');
		const refunds = [...stack.sandbox.razorpay.refunds.values()];
		expect(refunds).toHaveLength(1);
		expect(refunds[0]).toMatchObject({ payment_id: example3Input.paymentId, amount: 149900 });
		const sent = stack.sandbox.meta.sent.slice(before);
		expect(sent).toHaveLength(1);
		expect(sent[0].message).toMatchObject({ interactive: { type: 'order_status', action: { parameters: { reference_id: example3Input.referenceId, order: { status: 'canceled' } } } } });
	});
});

describe('secrets', () => {
	it('no credential secret appears in any stored execution', async () => {
		const secrets = [
			stack.sandbox.meta.state.token,
			stack.sandbox.meta.appSecret,
			stack.sandbox.razorpay.keySecret,
			stack.sandbox.razorpay.webhookSecret,
			stack.sandbox.stripe.secretKey,
			...[...stack.sandbox.stripe.endpoints.values()].map((endpoint) => endpoint.secret),
		];
		let checked = 0;
		for (const workflowId of ['sbxOrderToCash01', 'sbxPayLinkErp001', 'sbxRefundCancel1', 'sbxStripeLink001']) {
			for (const summary of await executions(workflowId)) {
				const execution = await stack.n8n.rest('GET', `/executions/${summary.id}`);
				const text = JSON.stringify(execution);
				for (const secret of secrets) expect(text).not.toContain(secret);
				checked += 1;
			}
		}
		expect(checked).toBe(7);
	});
});
