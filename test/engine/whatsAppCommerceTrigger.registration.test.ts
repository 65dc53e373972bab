/**
 * Issue 17: several workflows on one Meta app, through n8n-core's HookContext (checkExists/create/delete) against
 * the Meta counterpart, which models Meta's three callback levels (phone number override > WABA override > app
 * callback) with its read-back shapes (spec meta-2026 §2). Meta's URL check (hub.challenge) is answered by the
 * trigger's own setup webhook. Activation ORDER and real n8n behaviour are proven in
 * test/e2e/registration.e2e.test.ts; this file pins the rules: read before write, compare before delete.
 */
import { MetaCounterpart } from '../counterparts/meta';
import { TestCredentialsHelper } from '../harness/engine';
import { TriggerUnderTest } from '../harness/webhook';
import { derivedVerifyToken } from '../../nodes/shared/meta/registration';

const SHOP_A = '106540352242999';
const SHOP_B = '106540352243011';

describe('WhatsApp Commerce Trigger registration scopes (never steals)', () => {
	const meta = new MetaCounterpart();
	/** Triggers by production URL: Meta's verification GET reaches the right one. */
	const byUrl = new Map<string, TriggerUnderTest>();
	let count = 0;

	beforeAll(async () => {
		await meta.start();
		meta.verifyCallback = async (url, query) => {
			const node = byUrl.get(url);
			if (!node) return { status: 404, body: 'not registered in n8n' };
			const { response } = await node.deliver({ method: 'GET', query });
			return { status: response.statusCode ?? 0, body: String(response.body ?? '') };
		};
	});
	afterAll(async () => meta.stop());
	beforeEach(() => {
		meta.reset();
		meta.subscribedApps.clear();
		meta.phoneOverrides.clear();
		meta.appSubscriptions.clear();
		byUrl.clear();
	});

	const credentials = (extra: Record<string, string> = {}) =>
		new TestCredentialsHelper().set('waCommerceMetaApi', {
			accessToken: meta.state.token,
			businessAccountId: meta.state.wabaId,
			appId: meta.appId,
			appSecret: meta.appSecret,
			apiVersion: 'v25.0',
			baseUrl: meta.baseUrl,
			...extra,
		});

	/** A trigger in its own workflow with its own webhook id (so its own production URL). */
	function trigger(parameters: Record<string, unknown>, creds = credentials()): TriggerUnderTest {
		const node = new TriggerUnderTest('whatsAppCommerceTrigger', { events: ['order', 'paymentStatus'], ...parameters }, creds, ['waCommerceMetaApi']);
		count += 1;
		node.node.webhookId = `7f3a0000-0000-4000-8000-${String(count).padStart(12, '0')}`;
		byUrl.set(node.webhookUrl(), node);
		return node;
	}

	const activate = async (node: TriggerUnderTest) => {
		if (!(await node.checkExists())) await node.create();
	};

	it('two triggers on two numbers of one app both register; each number points at its own trigger', async () => {
		const a = trigger({ phoneNumberIds: [SHOP_A] });
		const b = trigger({ phoneNumberIds: [SHOP_B] });
		await activate(a);
		await activate(b);
		expect(meta.callbackFor(SHOP_A)).toBe(a.webhookUrl());
		expect(meta.callbackFor(SHOP_B)).toBe(b.webhookUrl());
		// Read-back as Meta shows it: the number's override, no WABA override, no app callback.
		const read = await fetch(`${meta.baseUrl}/v25.0/${SHOP_A}?fields=webhook_configuration`, { headers: { authorization: `Bearer ${meta.state.token}` } });
		expect(await read.json()).toEqual({ webhook_configuration: { phone_number: a.webhookUrl() }, id: SHOP_A });
		expect(await a.checkExists()).toBe(true);
		// The app was subscribed to the WABA once, with no body, before any override existed.
		expect(meta.received('POST', `/v25.0/${meta.state.wabaId}/subscribed_apps`).map((r) => r.body)).toEqual([undefined]);
	});

	it('a third trigger on an owned number fails activation naming the URL, writes nothing, and its cleanup deletes nothing', async () => {
		const a = trigger({ phoneNumberIds: [SHOP_A] });
		await activate(a);
		const thief = trigger({ phoneNumberIds: [SHOP_A, SHOP_B] });
		expect(await thief.checkExists()).toBe(false);
		const writesBefore = meta.received('POST').length;
		await expect(thief.create()).rejects.toThrow(
			`Phone number ${SHOP_A} already sends its webhooks to ${a.webhookUrl()}. This trigger (${thief.webhookUrl()}) did not replace it.`,
		);
		await thief.create().catch((error: { description?: string }) => expect(error.description).toMatch(/Take Over Existing Callback/));
		// n8n calls delete() after a failed activation: compare-then-delete leaves the owner alone.
		await thief.delete();
		expect(meta.received('POST').length).toBe(writesBefore);
		expect(meta.callbackFor(SHOP_A)).toBe(a.webhookUrl());
		expect(meta.callbackFor(SHOP_B)).toBeUndefined();
	});

	it('"Take Over" moves the number explicitly; the former owner\'s deactivation then leaves it alone', async () => {
		const a = trigger({ phoneNumberIds: [SHOP_A] });
		await activate(a);
		const b = trigger({ phoneNumberIds: [SHOP_A], takeOver: true });
		await activate(b);
		expect(meta.callbackFor(SHOP_A)).toBe(b.webhookUrl());
		await a.delete();
		expect(meta.callbackFor(SHOP_A)).toBe(b.webhookUrl());
	});

	it('deactivating one trigger clears only its own numbers', async () => {
		const a = trigger({ phoneNumberIds: [SHOP_A] });
		const b = trigger({ phoneNumberIds: [SHOP_B] });
		await activate(a);
		await activate(b);
		await a.delete();
		expect(meta.phoneOverrides.has(SHOP_A)).toBe(false);
		expect(meta.callbackFor(SHOP_B)).toBe(b.webhookUrl());
		expect(meta.subscribedApps.has(meta.appId)).toBe(true);
		// Meta's removal call: the same POST with an empty override.
		expect(meta.received('POST', `/v25.0/${SHOP_A}`).at(-1)?.body).toEqual({ webhook_configuration: { override_callback_uri: '' } });
	});

	it('no number chosen: the WABA override, which numbers with their own trigger keep overriding', async () => {
		const all = trigger({});
		const a = trigger({ phoneNumberIds: [SHOP_A] });
		await activate(all);
		await activate(a);
		expect(meta.subscribedApps.get(meta.appId)?.override_callback_uri).toBe(all.webhookUrl());
		expect(meta.callbackFor('106540352242922')).toBe(all.webhookUrl());
		expect(meta.callbackFor(SHOP_A)).toBe(a.webhookUrl());
		// The number trigger saw our app subscribed and never sent the body-less POST that would delete the WABA override.
		expect(meta.received('POST', `/v25.0/${meta.state.wabaId}/subscribed_apps`).every((r) => r.body !== undefined)).toBe(true);
		await all.delete();
		expect(meta.subscribedApps.get(meta.appId)).toEqual({});
		expect(meta.callbackFor(SHOP_A)).toBe(a.webhookUrl());
	});

	it('a second WABA-scope trigger fails naming the first; the first keeps the account', async () => {
		const first = trigger({ registrationScope: 'waba' });
		await activate(first);
		const second = trigger({ registrationScope: 'waba' });
		await expect(second.create()).rejects.toThrow(`WhatsApp Business Account ${meta.state.wabaId} already sends its webhooks to ${first.webhookUrl()}`);
		await second.delete();
		expect(meta.subscribedApps.get(meta.appId)?.override_callback_uri).toBe(first.webhookUrl());
	});

	it('the app scope sends the app access token in the Authorization header, never in the URL, and coexists with number triggers', async () => {
		const a = trigger({ phoneNumberIds: [SHOP_A] });
		const app = trigger({ registrationScope: 'app', events: ['templateStatus'] });
		await activate(a);
		await activate(app);
		const appCalls = meta.requests.filter((r) => r.path.endsWith(`/${meta.appId}/subscriptions`));
		expect(appCalls.map((r) => r.method)).toEqual(['GET', 'GET', 'POST']);
		for (const call of [...appCalls, ...meta.requests]) {
			expect(call.query.access_token).toBeUndefined();
			expect(JSON.stringify(call.query)).not.toContain(meta.appSecret);
		}
		expect(appCalls.every((r) => r.headers.authorization === `Bearer ${meta.appId}|${meta.appSecret}`)).toBe(true);
		expect(meta.appSubscriptions.get('whatsapp_business_account')).toMatchObject({
			callback_url: app.webhookUrl(),
			fields: 'messages,message_template_status_update,payment_configuration_update,user_id_update',
		});
		expect(meta.callbackFor(SHOP_A)).toBe(a.webhookUrl());
		expect(meta.callbackFor(SHOP_A, 'message_template_status_update')).toBe(app.webhookUrl());
		expect(meta.callbackFor('106540352242922')).toBe(app.webhookUrl());
		// A second app-level trigger does not steal the app callback.
		const other = trigger({ registrationScope: 'app' });
		await expect(other.create()).rejects.toThrow(`The app's callback URL (app ${meta.appId}) already sends its webhooks to ${app.webhookUrl()}`);
		await other.delete();
		await app.delete();
		expect(meta.appSubscriptions.size).toBe(0);
		expect(meta.callbackFor(SHOP_A)).toBe(a.webhookUrl());
	});

	it('the app scope without App ID or App Secret says which credential field is missing', async () => {
		const node = trigger({ registrationScope: 'app' }, credentials({ appId: '' }));
		await expect(node.create()).rejects.toThrow(/needs the App ID/);
	});

	it('an empty Verify Token is derived per workflow and node; Meta\'s check and the handshake both use it', async () => {
		const a = trigger({ phoneNumberIds: [SHOP_A] });
		await activate(a);
		const token = meta.phoneOverrides.get(SHOP_A)?.verify_token as string;
		expect(token).toBe(derivedVerifyToken(meta.appSecret, a.workflow.id as string, a.node.webhookId as string));
		const b = trigger({ phoneNumberIds: [SHOP_B] });
		await activate(b);
		expect(meta.phoneOverrides.get(SHOP_B)?.verify_token).not.toBe(token);
		const answer = await a.deliver({ method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '42' } });
		expect(answer.response).toMatchObject({ statusCode: 200, body: '42' });
		const typed = trigger({ phoneNumberIds: ['106540352242922'], verifyToken: 'typed-token' });
		await activate(typed);
		expect(meta.phoneOverrides.get('106540352242922')?.verify_token).toBe('typed-token');
	});

	it('a URL Meta cannot verify is refused by Meta and the error reaches the user', async () => {
		const a = trigger({ phoneNumberIds: [SHOP_A] });
		byUrl.delete(a.webhookUrl());
		await expect(a.create()).rejects.toThrow(/Callback verification failed/);
		expect(meta.phoneOverrides.has(SHOP_A)).toBe(false);
	});

	it('the events filter follows the chosen numbers (list or legacy comma text)', async () => {
		const { signMetaBody } = await import('../../nodes/shared/signatures');
		const body = (phone: string) =>
			JSON.stringify({
				object: 'whatsapp_business_account',
				entry: [{ id: meta.state.wabaId, changes: [{ field: 'messages', value: {
					messaging_product: 'whatsapp', metadata: { display_phone_number: '5511900000000', phone_number_id: phone },
					contacts: [{ profile: { name: 'Ana' }, wa_id: '5511988887777' }],
					messages: [{ from: '5511988887777', id: `wamid.${phone}`, timestamp: '1767000000', type: 'order',
						order: { catalog_id: '194836987003835', product_items: [{ product_retailer_id: 'tea', quantity: 1, item_price: 10, currency: 'INR' }] } }],
				} }] }],
			});
		const signed = (raw: string) => ({ rawBody: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(raw, meta.appSecret) } });
		const a = trigger({ phoneNumberIds: [SHOP_A] });
		expect((await a.deliver(signed(body(SHOP_A)))).items).toHaveLength(1);
		expect((await a.deliver(signed(body(SHOP_B)))).items).toHaveLength(0);
		const legacy = trigger({ phoneNumberIds: `${SHOP_B}, 1` });
		expect((await legacy.deliver(signed(body(SHOP_B)))).items).toHaveLength(1);
	});
});
