/**
 * The seed flows as example workflows (examples/5-... to 9-...) inside a REAL n8n 2.41.1, played through the sandbox
 * as the chat view plays them: the customer sends carts, pays bills (or the payment webhook is lost), opens and pays
 * gateway links and taps quick replies; the ERP calls the authenticated webhooks. Asserts on what WhatsApp (sandbox
 * Meta) and Lyra received, on the ERP's answers and on n8n's executions (the Data Table rows written).
 *
 * Meta events of examples 5, 6 and 8 reach their triggers because the sandbox routes each business number to the
 * trigger's Production URL (Manual registration; sandbox/config.ts META_NUMBER_TRIGGER_WEBHOOK_IDS).
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Sandbox } from '../../sandbox/sandbox';
import { SHOP_NUMBERS, STAFF_PHONE } from '../../sandbox/shops';
import { executionData, freePortPair, outputOf, postJson, settledExecutions, type Json } from './support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startStack, stopStack } = require('../../scripts/stack.js');

interface Stack {
	n8n: { url: string; rest: (method: string, path: string, body?: unknown) => Promise<any>; logFile: string };
	sandbox: Sandbox;
	workflows: Json[];
	erpAuth: { headers: Record<string, string>; token: string };
}

let stack: Stack;
let folder: string;

const ASHA = '919800000001';
const sent = (phoneNumberId: string) => stack.sandbox.meta.sent.filter((m) => m.phoneNumberId === phoneNumberId);
const interactiveOf = (m: { message: Json }) => (m.message.interactive ?? {}) as Json;

/** Waits (bounded) until `find` returns something: n8n works asynchronously after a webhook. */
async function until<T>(what: string, find: () => T | undefined | false, timeoutMs = 45000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const found = find();
		if (found) return found;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`timed out waiting for ${what}; n8n log: ${stack.n8n.logFile}`);
}

async function erp(path: string, body: Json, auth = true): Promise<{ status: number; body: Json }> {
	return await postJson(`${stack.n8n.url}/webhook/${path}`, body, auth ? stack.erpAuth.headers : {});
}

/** Waits (bounded) until an asynchronous look-up finds something. */
async function untilAsync<T>(what: string, find: () => Promise<T | undefined>, timeoutMs = 45000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const found = await find();
		if (found) return found;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`timed out waiting for ${what}; n8n log: ${stack.n8n.logFile}`);
}

/** The items a node produced in the latest execution of a workflow that ran it. */
async function latestOutput(workflowId: string, node: string): Promise<Json[]> {
	for (const execution of await settledExecutions(stack.n8n, workflowId)) {
		const data = await executionData(stack.n8n, execution.id);
		const output = outputOf(data, node);
		if (output && output.length) return output;
	}
	return [];
}

beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'wa-commerce-seed-'));
	const port = process.env.E2E_N8N_PORT ? Number(process.env.E2E_N8N_PORT) + 20 : await freePortPair();
	stack = await startStack({ userFolder: folder, port, build: process.env.E2E_SKIP_BUILD !== '1', log: () => undefined });
}, 15 * 60 * 1000);

afterAll(async () => {
	await stopStack(stack);
	if (folder && process.env.E2E_KEEP !== '1') rmSync(folder, { recursive: true, force: true });
}, 60000);

describe('seed flow 000: checkout (example 5)', () => {
	const shop = SHOP_NUMBERS.checkout.id;
	let referenceId = '';

	it('bills a cart with tax and shipping from the shop\'s own number', async () => {
		await stack.sandbox.customerOrder({ phoneNumberId: shop, from: ASHA });
		const bill = await until('the bill', () => sent(shop).find((m) => interactiveOf(m).type === 'order_details'));
		const parameters = interactiveOf(bill).action.parameters as Json;
		referenceId = parameters.reference_id;
		// Cart 2 x 120.00 + 3 x 25.50 = 316.50; tax 5% = 15.83 (rounded once, in minor units); shipping 40.00.
		expect(parameters.order.subtotal).toEqual({ value: 31650, offset: 100 });
		expect(parameters.order.tax).toMatchObject({ value: 1583, offset: 100 });
		expect(parameters.order.shipping).toMatchObject({ value: 4000, offset: 100 });
		expect(parameters.total_amount).toEqual({ value: 37233, offset: 100 });
		expect(bill.message.to).toBe(ASHA);
		// Example 1 (the app's registered trigger) did not answer this number.
		expect(sent(SHOP_NUMBERS.checkout.id).filter((m) => interactiveOf(m).type === 'order_details')).toHaveLength(1);
		expect(stack.sandbox.meta.sent.filter((m) => m.phoneNumberId === stack.sandbox.meta.state.phoneNumbers[0].id)).toHaveLength(0);
	});

	it('after payment, confirms to the customer AND tells the staff', async () => {
		await stack.sandbox.customerPay({ referenceId });
		const processing = await until('processing status', () => sent(shop).find((m) => interactiveOf(m).type === 'order_status'));
		expect(interactiveOf(processing).action.parameters.order.status).toBe('processing');
		const staff = await until('staff notice', () => sent(shop).find((m) => m.message.to === STAFF_PHONE));
		expect((staff.message.template as Json).name).toBe('staff_new_order');
		expect(JSON.stringify(staff.message.template)).toContain(referenceId);
	});

	it('the ERP drives shipped and delivered (completed), then a quick-reply feedback tap reaches the workflow', async () => {
		expect((await erp('erp-checkout-status', { referenceId, phone: ASHA, status: 'shipped' }, false)).status).toBe(403);
		const refused = await erp('erp-checkout-status', { referenceId, phone: ASHA, status: 'lost' });
		expect(refused).toMatchObject({ status: 400, body: { field: 'status' } });
		const shipped = await erp('erp-checkout-status', { referenceId, phone: ASHA, status: 'shipped', note: 'Courier: BlueDart' });
		expect(shipped).toMatchObject({ status: 200, body: { status: 'shipped', feedbackAsked: false } });
		const delivered = await erp('erp-checkout-status', { referenceId, phone: ASHA, status: 'delivered' });
		expect(delivered).toMatchObject({ status: 200, body: { status: 'delivered', feedbackAsked: true } });
		const statuses = sent(shop).filter((m) => interactiveOf(m).type === 'order_status').map((m) => interactiveOf(m).action.parameters.order.status);
		expect(statuses).toEqual(['processing', 'shipped', 'completed']);
		const ask = sent(shop).find((m) => (m.message.template as Json | undefined)?.name === 'delivery_feedback')!;
		await stack.sandbox.customer.reply({ messageId: ask.id, title: 'Loved it' });
		const feedback = await untilAsync('feedback recorded', async () => (await latestOutput('sbxSeedCheckout5', 'ERP: feedback'))[0]);
		expect(feedback).toMatchObject({ customer: ASHA, feedback: 'Loved it', about: ask.id });
	});
});

describe('seed flow 001: in-chat payment with a running record (example 6, n8n Data Table)', () => {
	const shop = SHOP_NUMBERS.monitoring.id;

	it('bills from the ERP, records each payment event in the Data Table and sends a receipt only when captured', async () => {
		const refused = await erp('erp-bill', { referenceId: 'MON-1', phone: ASHA, name: 'Asha', description: 'Tea subscription', amount: '250.001' });
		expect(refused).toMatchObject({ status: 400, body: { field: 'amount' } });
		expect(sent(shop)).toHaveLength(0);
		const billed = await erp('erp-bill', { referenceId: 'MON-1', phone: ASHA, name: 'Asha', description: 'Tea subscription', amount: '250.00' });
		expect(billed).toMatchObject({ status: 200, body: { referenceId: 'MON-1', recorded: true } });
		expect(await latestOutput('sbxSeedMonitor06', 'Record: bill sent')).toEqual([expect.objectContaining({ reference: 'MON-1', status: 'billed', amountMinor: 25000 })]);

		await stack.sandbox.customerPay({ referenceId: 'MON-1', status: 'failed' });
		const failedRow = await untilAsync('failed event recorded', async () => (await latestOutput('sbxSeedMonitor06', 'Record the payment event')).find((row) => row.status === 'failed'));
		expect(failedRow).toMatchObject({ reference: 'MON-1', events: 1 });
		expect(sent(shop).filter((m) => m.message.type === 'template')).toHaveLength(0);

		await stack.sandbox.customerPay({ referenceId: 'MON-1' });
		const receipt = await until('receipt', () => sent(shop).find((m) => (m.message.template as Json | undefined)?.name === 'payment_receipt'));
		expect(JSON.stringify(receipt.message.template)).toContain('Asha');
		const row = await untilAsync('captured event recorded', async () => (await latestOutput('sbxSeedMonitor06', 'Record the payment event')).find((r) => r.status === 'captured'));
		expect(row).toMatchObject({ reference: 'MON-1', events: 2, customerName: 'Asha', amountMinor: 25000 });
	});
});

describe('seed flow 002: Lyra PayLink from the ERP for two shops (example 7)', () => {
	it('Paris: the link goes out from the Paris number, the IPN (Paris credential) marks it paid, receipt from Paris', async () => {
		const answer = await erp('erp-lyra-paylink', { shop: 'paris', invoice: 'PAR-1', amount: '42.50', currency: 'EUR', phone: '33612345678', name: 'Léa', channel: 'whatsapp' });
		expect(answer).toMatchObject({ status: 200, body: { shop: 'paris', deliveredBy: 'whatsapp' } });
		const message = sent(SHOP_NUMBERS.lyraParis.id).find((m) => interactiveOf(m).type === 'cta_url')!;
		const url = interactiveOf(message).action.parameters.url as string;
		expect(stack.sandbox.lyra.paymentOrders.size).toBe(1);
		await stack.sandbox.customer.payLink({ url });
		const receipt = await until('Paris receipt', () => sent(SHOP_NUMBERS.lyraParis.id).find((m) => (m.message.template as Json | undefined)?.name === 'payment_receipt'));
		expect(JSON.stringify(receipt.message.template)).toContain('42.50 EUR');
		const paid = await untilAsync('Paris paid row', async () => (await latestOutput('sbxSeedLyraShops', 'Record: paid (paris)'))[0]);
		expect(paid).toMatchObject({ reference: 'PAR-1', status: 'paid' });
	});

	it('Lyon: Lyra sends the link on its own WhatsApp channel (Lyon account), the Lyon IPN marks it paid', async () => {
		const answer = await erp('erp-lyra-paylink', { shop: 'lyon', invoice: 'LYO-1', amount: '18.00', currency: 'EUR', phone: '33698765432', name: 'Hugo', channel: 'lyra' });
		expect(answer).toMatchObject({ status: 200, body: { shop: 'lyon', deliveredBy: 'lyra' } });
		const order = [...stack.sandbox.lyraLyon.paymentOrders.values()][0];
		expect(order).toMatchObject({ amount: 1800, orderId: 'LYO-1', channelDetails: { channelType: 'WHATSAPP', whatsAppDetails: { phoneNumber: '+33698765432' } } });
		expect(sent(SHOP_NUMBERS.lyraLyon.id).filter((m) => m.message.type === 'interactive')).toHaveLength(0);
		await stack.sandbox.customer.payLink({ url: String(order.paymentURL) });
		const receipt = await until('Lyon receipt', () => sent(SHOP_NUMBERS.lyraLyon.id).find((m) => (m.message.template as Json | undefined)?.name === 'payment_receipt'));
		expect(receipt.message.to).toBe('33698765432');
	});

	it('refuses an unknown shop before any link is made', async () => {
		const before = stack.sandbox.lyra.paymentOrders.size + stack.sandbox.lyraLyon.paymentOrders.size;
		expect(await erp('erp-lyra-paylink', { shop: 'nice', invoice: 'X-1', amount: '1.00', currency: 'EUR', phone: '33600000000', name: 'X' })).toMatchObject({ status: 400, body: { field: 'shop' } });
		expect(stack.sandbox.lyra.paymentOrders.size + stack.sandbox.lyraLyon.paymentOrders.size).toBe(before);
	});
});

describe('seed flows 003 and 004: cart to order with WhatsApp Pay via PayU (examples 8 and 9)', () => {
	const shop = SHOP_NUMBERS.kirana.id;
	const bills = () => sent(shop).filter((m) => interactiveOf(m).type === 'order_details');
	const statuses = (reference: string) => sent(shop).filter((m) => interactiveOf(m).type === 'order_status' && interactiveOf(m).action.parameters.reference_id === reference).map((m) => interactiveOf(m).action.parameters.order.status);
	let paidRef = '';
	let lostRef = '';

	it('bills the cart through PayU with udf pass-through; the payment webhook comes back with them', async () => {
		await stack.sandbox.customerOrder({ phoneNumberId: shop, from: ASHA });
		const bill = await until('PayU bill', () => bills()[0]);
		const parameters = interactiveOf(bill).action.parameters as Json;
		paidRef = parameters.reference_id;
		expect(parameters.payment_settings[0].payment_gateway).toMatchObject({ type: 'payu', configuration_name: 'payu-prod', payu: { udf1: ASHA, udf2: 'whatsapp-cart' } });
		await stack.sandbox.customerPay({ referenceId: paidRef });
		await until('processing', () => statuses(paidRef).includes('processing'));
		expect(sent(shop).find((m) => interactiveOf(m).type === 'order_status')!.message.to).toBe(ASHA);
	});

	it('reconciliation finds a payment whose webhook never reached n8n (Get Payment Status)', async () => {
		await stack.sandbox.customerOrder({ phoneNumberId: shop, customer: 'username' });
		const bill = await until('second bill', () => bills()[1]);
		lostRef = interactiveOf(bill).action.parameters.reference_id;
		expect(bill.message.recipient).toBe('BR.8812004471');
		const lost = await stack.sandbox.customer.route('POST', '/_sandbox/customer/pay-unnotified', { referenceId: lostRef });
		expect((lost!.body as Json).delivery.status).toBe(0);
		expect(statuses(lostRef)).toEqual([]);
		expect((await erp('erp-reconcile', {})).status).toBe(200);
		await until('reconciled processing', () => statuses(lostRef).includes('processing'));
		const lookups = stack.sandbox.requests().filter((r) => r.service === 'meta' && r.method === 'GET' && String(r.path).includes(`/payments/payu-prod/${lostRef}`));
		expect(lookups.length).toBeGreaterThan(0);
	});

	it('the ERP moves the paid order through partially shipped, shipped, completed', async () => {
		for (const status of ['partially_shipped', 'shipped', 'completed']) {
			expect(await erp('erp-order-status', { referenceId: paidRef, status })).toMatchObject({ status: 200, body: { status } });
		}
		expect(statuses(paidRef)).toEqual(['processing', 'partially_shipped', 'shipped', 'completed']);
		expect(await erp('erp-order-status', { referenceId: 'KB-UNKNOWN', status: 'shipped' })).toMatchObject({ status: 409 });
	});

	it('a cancel refunds through Meta\'s payments_refund and tells the customer', async () => {
		const answer = await erp('erp-order-status', { referenceId: lostRef, status: 'canceled', note: 'Out of stock' });
		expect(answer).toMatchObject({ status: 200, body: { status: 'canceled', refundReplayed: false } });
		const refunds = stack.sandbox.requests().filter((r) => r.service === 'meta' && String(r.path).endsWith('/payments_refund'));
		expect(refunds).toHaveLength(1);
		expect(refunds[0].body).toMatchObject({ reference_id: lostRef, payment_config_id: 'payu-prod' });
		expect(statuses(lostRef)).toEqual(['processing', 'canceled']);
		const canceled = sent(shop).filter((m) => interactiveOf(m).type === 'order_status').pop()!;
		expect(canceled.message.recipient).toBe('BR.8812004471');
	});
});

describe('no credential secret in any stored seed-flow execution', () => {
	it('outside the Webhook nodes\' own copy of the request headers', async () => {
		const { sandbox } = stack;
		const secrets = [sandbox.meta.state.token, sandbox.meta.appSecret, sandbox.lyra.password, sandbox.lyra.hmacKey, sandbox.lyraLyon.password, sandbox.lyraLyon.hmacKey, (stack.erpAuth as Json).token];
		let checked = 0;
		for (const workflowId of ['sbxSeedCheckout5', 'sbxSeedMonitor06', 'sbxSeedLyraShops', 'sbxSeedPayuCart8', 'sbxSeedPayuShip9']) {
			for (const summary of await settledExecutions(stack.n8n, workflowId)) {
				const execution = await executionData(stack.n8n, summary.id);
				for (const node of execution.workflowData.nodes as Json[]) {
					if (node.type !== 'n8n-nodes-base.webhook') continue;
					for (const run of execution.data.resultData.runData[node.name] ?? []) {
						for (const item of run.data?.main?.[0] ?? []) delete item.json.headers;
					}
				}
				const text = JSON.stringify(execution);
				for (const secret of secrets) expect(text).not.toContain(secret);
				checked += 1;
			}
		}
		expect(checked).toBeGreaterThan(10);
	});
});

describe('every seed-flow execution succeeded', () => {
	it.each(['sbxSeedCheckout5', 'sbxSeedMonitor06', 'sbxSeedLyraShops', 'sbxSeedPayuCart8', 'sbxSeedPayuShip9'])('%s', async (workflowId) => {
		const runs = await settledExecutions(stack.n8n, workflowId, 1);
		expect(runs.filter((e) => e.status !== 'success').map((e) => e.id)).toEqual([]);
	});
});
