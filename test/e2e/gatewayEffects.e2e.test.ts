/**
 * Issue 14 in a REAL n8n 2.41.1: a create or refund is never made twice at a gateway, even when the gateway
 * commits and then answers 500 (a failing proxy or load balancer), or when two executions refund one payment at
 * once. The sandbox's gateways behave like the real services here: Stripe replays a repeated Idempotency-Key,
 * Razorpay refuses a reused reference_id, Lyra has no key at all (a second POST is a second refund).
 * Each flow is a test workflow: Webhook (answers with the last node's output) -> Payment Gateway node.
 */
import { mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Sandbox } from '../../sandbox/sandbox';
import { failAfterCommit } from '../counterparts/faults';
import { freePortPair, postJson, type Json } from './support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startStack, stopStack } = require('../../scripts/stack.js');

let stack: { n8n: { url: string }; sandbox: Sandbox };
let folder: string;

async function call(path: string, body: Json): Promise<{ status: number; json: Json }> {
	const { status, body: json } = await postJson(`${stack.n8n.url}/webhook/${path}`, body);
	return { status, json };
}

beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'wa-commerce-effects-'));
	const port = process.env.E2E_N8N_PORT ? Number(process.env.E2E_N8N_PORT) + 20 : await freePortPair();
	const workflows = readdirSync(join(__dirname, 'workflows')).filter((f) => f.startsWith('e2e') && f.endsWith('.json'));
	stack = await startStack({
		userFolder: folder,
		port,
		build: process.env.E2E_SKIP_BUILD !== '1',
		extraWorkflows: workflows.map((file) => join(__dirname, 'workflows', file)),
		log: () => undefined,
	});
}, 15 * 60 * 1000);

afterAll(async () => {
	await stopStack(stack);
	if (folder && process.env.E2E_KEEP !== '1') rmSync(folder, { recursive: true, force: true });
}, 60000);

describe('a 500 after the gateway committed never makes a second object', () => {
	it('Stripe Checkout Session: retried with the same Idempotency-Key, one session', async () => {
		const fault = failAfterCommit('POST', /^\/v1\/checkout\/sessions$/);
		stack.sandbox.stripe.injectAfter(fault);
		const { status, json } = await call('e2e-stripe-create', { amount: '19.99', reference: 'E2E-STRIPE-500' });
		expect(status).toBe(200);
		expect(fault.hits).toBe(1);
		const sessions = [...stack.sandbox.stripe.sessions.values()].filter((s) => s.client_reference_id === 'E2E-STRIPE-500');
		expect(sessions).toHaveLength(1);
		expect(json).toMatchObject({ linkId: sessions[0].id, replayed: false });
	});

	it('Stripe: the ERP sending the same invoice again gets the same session, replayed true', async () => {
		const { status, json } = await call('e2e-stripe-create', { amount: '19.99', reference: 'E2E-STRIPE-500' });
		expect(status).toBe(200);
		expect([...stack.sandbox.stripe.sessions.values()].filter((s) => s.client_reference_id === 'E2E-STRIPE-500')).toHaveLength(1);
		expect(json.replayed).toBe(true);
	});

	it('Razorpay payment link: looked up by reference after the 500, one link, no "already attempted" error', async () => {
		const fault = failAfterCommit('POST', /^\/v1\/payment_links$/);
		stack.sandbox.razorpay.injectAfter(fault);
		const { status, json } = await call('e2e-razorpay-create', { amount: '499.00', reference: 'E2E-RZP-500' });
		expect(status).toBe(200);
		expect(fault.hits).toBe(1);
		const links = [...stack.sandbox.razorpay.links.values()].filter((l) => l.reference_id === 'E2E-RZP-500');
		expect(links).toHaveLength(1);
		expect(json).toMatchObject({ linkId: links[0].id });
		const again = await call('e2e-razorpay-create', { amount: '499.00', reference: 'E2E-RZP-500' });
		expect(again.status).toBe(200);
		expect(again.json).toMatchObject({ linkId: links[0].id, replayed: true });
	});

	it('Lyra refund of 30.00 answered 500 after Lyra refunded: 30.00 refunded, never 60.00', async () => {
		const payment = stack.sandbox.lyra.addTransaction({ amount: 10000, currency: 'EUR', orderId: 'E2E-LYRA-1', paid: true, captured: true });
		stack.sandbox.lyra.injectAfter(failAfterCommit('POST', /CancelOrRefund$/));
		const { status, json } = await call('e2e-lyra-refund', { paymentId: payment.uuid, amount: '30.00', key: 'CN-1' });
		expect(status).toBe(200);
		expect(stack.sandbox.lyra.refundedOf(String(payment.uuid))).toBe(3000);
		expect(json.replayed).toBe(false);
		const rerun = await call('e2e-lyra-refund', { paymentId: payment.uuid, amount: '30.00', key: 'CN-1' });
		expect(rerun.json.replayed).toBe(true);
		expect(stack.sandbox.lyra.refundedOf(String(payment.uuid))).toBe(3000);
	});
});

describe('concurrent refunds of one payment', () => {
	it('three executions refund 50.00 each of a 100.00 Lyra payment at once: 100.00 at most, one refused', async () => {
		const payment = stack.sandbox.lyra.addTransaction({ amount: 10000, currency: 'EUR', orderId: 'E2E-LYRA-2', paid: true, captured: true });
		const answers = await Promise.all(['CN-A', 'CN-B', 'CN-C'].map(async (key) => await call('e2e-lyra-refund', { paymentId: payment.uuid, amount: '50.00', key })));
		expect(stack.sandbox.lyra.refundedOf(String(payment.uuid))).toBe(10000);
		expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
		expect(answers.filter((a) => a.status !== 200)).toHaveLength(1);
	});

	it('two executions of the same refund (same credit note) at once: one refund, the other replayed', async () => {
		const payment = stack.sandbox.lyra.addTransaction({ amount: 10000, currency: 'EUR', orderId: 'E2E-LYRA-3', paid: true, captured: true });
		const answers = await Promise.all([1, 2].map(async () => await call('e2e-lyra-refund', { paymentId: payment.uuid, amount: '50.00', key: 'CN-SAME' })));
		expect(answers.map((a) => a.status)).toEqual([200, 200]);
		expect(stack.sandbox.lyra.refundedOf(String(payment.uuid))).toBe(5000);
		expect(answers.map((a) => a.json.replayed).sort()).toEqual([false, true]);
	});
});
