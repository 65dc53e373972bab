/**
 * Issue 17 in a REAL n8n 2.41.1: several shops and workflows on one Meta app.
 *
 * The stack publishes example 1 (no phone number chosen: it owns the WABA override) plus shop A (number
 * 106540352242999), shop B (number 106540352243011) and an app-level trigger for template status events.
 * The sandbox's Meta resolves every delivery as Meta does (phone number override > WABA override > app callback,
 * template fields to the app callback only) and checks each URL with hub.challenge before accepting it.
 * A fourth workflow on shop A's number is then activated through n8n's REST API: it must fail, name the URL
 * that owns the number, and change nothing at Meta.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Sandbox } from '../../sandbox/sandbox';
import { executionData, freePortPair, outputOf, settledExecutions, type Json } from './support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startStack, stopStack } = require('../../scripts/stack.js');

interface Stack {
	n8n: { url: string; rest: (method: string, path: string, body?: unknown) => Promise<any>; logFile: string };
	sandbox: Sandbox;
	workflows: Json[];
}

const SHOP_A = { workflow: 'e2eRegShopA00001', phone: '106540352242999', webhookId: '3c7e2a10-5d4b-4f7a-9a61-1e0000000a01' };
const SHOP_B = { workflow: 'e2eRegShopB00001', phone: '106540352243011', webhookId: '3c7e2a10-5d4b-4f7a-9a61-1e0000000b01' };
const TEMPLATES = { workflow: 'e2eRegTemplate01', webhookId: '3c7e2a10-5d4b-4f7a-9a61-1e0000000c01' };
const EXAMPLE_1 = { workflow: 'sbxOrderToCash01', phone: '106540352242922', webhookId: '9f0d7c1e-6b2a-4c55-8e11-0a1b2c3d4e01' };
const TRIGGER = 'WhatsApp Commerce Trigger';

let stack: Stack;
let folder: string;
const hookUrl = (webhookId: string) => `${stack.n8n.url}/webhook/${webhookId}/webhook`;

/** Every item the trigger handed to the workflow, over all its executions. */
async function triggerItems(workflowId: string, atLeast = 0): Promise<Json[]> {
	const items: Json[] = [];
	for (const execution of await settledExecutions(stack.n8n, workflowId, atLeast)) {
		items.push(...(outputOf(await executionData(stack.n8n, execution.id), TRIGGER) ?? []));
	}
	return items;
}

function paymentStatus(referenceId: string): Json {
	return {
		statuses: [{
			id: `gBGG${Buffer.from(referenceId).toString('base64').replace(/=+$/, '')}`,
			recipient_id: '919800000001',
			type: 'payment',
			status: 'captured',
			timestamp: String(Math.floor(Date.now() / 1000)),
			payment: {
				reference_id: referenceId,
				amount: { value: 29900, offset: 100 },
				currency: 'INR',
				transaction: { id: `order_${referenceId}`, pg_transaction_id: `pay_${referenceId}`, type: 'razorpay', status: 'success', method: { type: 'upi' } },
			},
		}],
	};
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) {
			const { meta } = stack.sandbox;
			const state = { phones: [...meta.phoneOverrides], waba: [...meta.subscribedApps], app: [...meta.appSubscriptions], calls: meta.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body ?? '')}`) };
			throw new Error(`timed out waiting for ${what}; Meta: ${JSON.stringify(state)}; log: ${stack.n8n.logFile}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'wa-commerce-registration-'));
	const port = process.env.E2E_N8N_PORT ? Number(process.env.E2E_N8N_PORT) + 20 : await freePortPair();
	stack = await startStack({
		userFolder: folder,
		port,
		build: process.env.E2E_SKIP_BUILD !== '1',
		extraWorkflows: ['registration-shop-a.json', 'registration-shop-b.json', 'registration-templates.json'].map((file) => join(__dirname, 'workflows', file)),
		log: () => undefined,
	});
	const { meta } = stack.sandbox;
	await until(
		() => meta.phoneOverrides.size === 2 && meta.appSubscriptions.size === 1 && Boolean(meta.subscribedApps.get(meta.appId)?.override_callback_uri),
		'the four triggers to register at Meta',
	);
}, 15 * 60 * 1000);

afterAll(async () => {
	await stopStack(stack);
	if (folder && process.env.E2E_KEEP !== '1') rmSync(folder, { recursive: true, force: true });
}, 60000);

describe('several workflows on one Meta app', () => {
	it('each trigger owns its own level: shop numbers, example 1 the WABA, the template trigger the app', () => {
		const { meta } = stack.sandbox;
		expect(meta.callbackFor(SHOP_A.phone)).toBe(hookUrl(SHOP_A.webhookId));
		expect(meta.callbackFor(SHOP_B.phone)).toBe(hookUrl(SHOP_B.webhookId));
		expect(meta.callbackFor(EXAMPLE_1.phone)).toBe(hookUrl(EXAMPLE_1.webhookId));
		expect(meta.callbackFor(SHOP_A.phone, 'message_template_status_update')).toBe(hookUrl(TEMPLATES.webhookId));
		// The app secret travelled only as the app access token in the Authorization header.
		const appCalls = meta.requests.filter((r) => r.path.endsWith(`/${meta.appId}/subscriptions`));
		expect(appCalls.length).toBeGreaterThan(0);
		expect(appCalls.every((r) => r.headers.authorization === `Bearer ${meta.appId}|${meta.appSecret}`)).toBe(true);
		expect(meta.requests.every((r) => r.query.access_token === undefined && !JSON.stringify(r.query).includes(meta.appSecret))).toBe(true);
	});

	it('each shop gets only its own orders and payments', async () => {
		const { sandbox } = stack;
		const a = await sandbox.customerOrder({ phoneNumberId: SHOP_A.phone, from: '919800000001' });
		const b = await sandbox.customerOrder({ phoneNumberId: SHOP_B.phone, from: '919800000002' });
		const payA = await sandbox.metaWebhook({ event: 'paymentStatus', phoneNumberId: SHOP_A.phone, value: paymentStatus('SHOP-A-1') });
		const payB = await sandbox.metaWebhook({ event: 'paymentStatus', phoneNumberId: SHOP_B.phone, value: paymentStatus('SHOP-B-1') });
		expect([a.delivery.url, payA.url]).toEqual([hookUrl(SHOP_A.webhookId), hookUrl(SHOP_A.webhookId)]);
		expect([b.delivery.url, payB.url]).toEqual([hookUrl(SHOP_B.webhookId), hookUrl(SHOP_B.webhookId)]);
		expect([a.delivery.status, b.delivery.status, payA.status, payB.status]).toEqual([200, 200, 200, 200]);

		const itemsA = await triggerItems(SHOP_A.workflow, 2);
		const itemsB = await triggerItems(SHOP_B.workflow, 2);
		expect(itemsA.map((i) => [i.event, i.phoneNumberId, i.messageId ?? i.referenceId]).sort()).toEqual(
			[['order', SHOP_A.phone, a.messageId], ['paymentStatus', SHOP_A.phone, 'SHOP-A-1']].sort(),
		);
		expect(itemsB.map((i) => [i.event, i.phoneNumberId, i.messageId ?? i.referenceId]).sort()).toEqual(
			[['order', SHOP_B.phone, b.messageId], ['paymentStatus', SHOP_B.phone, 'SHOP-B-1']].sort(),
		);
		expect(await triggerItems(EXAMPLE_1.workflow)).toEqual([]);
	});

	it("an event for another shop's number posted to shop A's URL is ignored", async () => {
		const before = (await triggerItems(SHOP_A.workflow)).length;
		const stray = await stack.sandbox.customerOrder({ phoneNumberId: SHOP_B.phone, url: hookUrl(SHOP_A.webhookId) });
		expect(stray.delivery.status).toBe(200);
		expect((await triggerItems(SHOP_A.workflow)).length).toBe(before);
	});

	it('a third workflow on an owned number fails activation naming the current URL, and steals nothing', async () => {
		const { meta } = stack.sandbox;
		const thief = JSON.parse(readFileSync(join(__dirname, 'workflows', 'registration-thief.json'), 'utf8')) as Json;
		const created = await stack.n8n.rest('POST', '/workflows', { ...thief, active: undefined, pinData: undefined });
		const writesBefore = meta.received('POST').length;
		// n8n 2.x publishes through an outbox: the REST call queues it; the trigger's outcome is in publication-status.
		await stack.n8n.rest('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
		let status: Json = {};
		const deadline = Date.now() + 60000;
		do {
			await new Promise((resolve) => setTimeout(resolve, 500));
			status = await stack.n8n.rest('GET', `/workflows/${created.id}/publication-status`);
		} while (['in_progress', 'not_published'].includes(status.status) && Date.now() < deadline);
		expect(status.status).toBe('failed');
		const message = String(status.triggers?.[0]?.errorMessage ?? '');
		expect(message).toContain(`Phone number ${SHOP_A.phone} already sends its webhooks to ${hookUrl(SHOP_A.webhookId)}`);
		expect(status.triggers).toEqual([expect.objectContaining({ status: 'failed' })]);
		expect(meta.received('POST').length).toBe(writesBefore);
		expect(meta.callbackFor(SHOP_A.phone)).toBe(hookUrl(SHOP_A.webhookId));

		// Unpublishing it runs its delete(): compare-then-delete leaves shop A's override in place.
		await stack.n8n.rest('POST', `/workflows/${created.id}/deactivate`, {});
		await until(async () => (await stack.n8n.rest('GET', `/workflows/${created.id}/publication-status`)).status === 'not_published', 'the third workflow to be unpublished');
		expect(meta.callbackFor(SHOP_A.phone)).toBe(hookUrl(SHOP_A.webhookId));

		const before = (await triggerItems(SHOP_A.workflow)).length;
		await stack.sandbox.customerOrder({ phoneNumberId: SHOP_A.phone, from: '919800000003' });
		expect((await triggerItems(SHOP_A.workflow, 1)).length).toBe(before + 1);
		expect(await triggerItems(created.id)).toEqual([]);
	});

	it('the app-level template status trigger receives template events, and the shops nothing more', async () => {
		const before = { a: (await triggerItems(SHOP_A.workflow)).length, b: (await triggerItems(SHOP_B.workflow)).length };
		const delivery = await stack.sandbox.metaWebhook({
			event: 'templateStatus',
			field: 'message_template_status_update',
			value: { event: 'APPROVED', message_template_id: 806312974732579, message_template_name: 'order_update', message_template_language: 'en_US', reason: 'NONE' },
		});
		expect(delivery).toMatchObject({ status: 200, url: hookUrl(TEMPLATES.webhookId) });
		const items = await triggerItems(TEMPLATES.workflow, 1);
		expect(items).toEqual([expect.objectContaining({ event: 'templateStatus', templateName: 'order_update', status: 'APPROVED' })]);
		expect((await triggerItems(SHOP_A.workflow)).length).toBe(before.a);
		expect((await triggerItems(SHOP_B.workflow)).length).toBe(before.b);
	});

	it('deactivating shop A removes only its own override; shop B, example 1 and the app trigger keep working', async () => {
		const { sandbox } = stack;
		const { meta } = sandbox;
		await stack.n8n.rest('POST', `/workflows/${SHOP_A.workflow}/deactivate`, {});
		await until(() => !meta.phoneOverrides.has(SHOP_A.phone), "shop A's override to be removed");
		expect(meta.callbackFor(SHOP_B.phone)).toBe(hookUrl(SHOP_B.webhookId));
		expect(meta.subscribedApps.get(meta.appId)?.override_callback_uri).toBe(hookUrl(EXAMPLE_1.webhookId));
		expect(meta.appSubscriptions.get('whatsapp_business_account')?.callback_url).toBe(hookUrl(TEMPLATES.webhookId));

		const before = (await triggerItems(SHOP_B.workflow)).length;
		const order = await sandbox.customerOrder({ phoneNumberId: SHOP_B.phone, from: '919800000004' });
		expect(order.delivery).toMatchObject({ status: 200, url: hookUrl(SHOP_B.webhookId) });
		expect((await triggerItems(SHOP_B.workflow, 1)).length).toBe(before + 1);
	});

	it('example 1 still runs order to cash on its number (the WABA override)', async () => {
		const { delivery } = await stack.sandbox.customerOrder({ phoneNumberId: EXAMPLE_1.phone, from: '919800000001', name: 'Asha' });
		expect(delivery).toMatchObject({ status: 200, url: hookUrl(EXAMPLE_1.webhookId) });
		const items = await triggerItems(EXAMPLE_1.workflow, 1);
		expect(items).toEqual([expect.objectContaining({ event: 'order', phoneNumberId: EXAMPLE_1.phone })]);
	});
});
