/**
 * The chat view's server side: the page and its files are served, the model groups what the sandbox recorded per
 * customer and business number, the live stream announces changes, and every customer action the page offers is a
 * control API call that sends a webhook signed as Meta / the gateway signs it (checked with the package's verifiers).
 * Inbound message shapes follow Meta's published webhook examples (Cloud API "Webhooks > messages": interactive
 * button_reply / list_reply, button (template quick reply), text, statuses).
 */
import { verifyMetaSignature } from '../../nodes/shared/signatures';
import * as razorpayWebhook from '../../nodes/shared/gateways/razorpay/webhook';
import { Sandbox } from '../../sandbox/sandbox';
import { SHOP_NUMBERS } from '../../sandbox/shops';
import { Counterpart, type RecordedRequest } from '../counterparts/server';

type Json = Record<string, any>;

describe('sandbox chat view', () => {
	const receiver = new Counterpart('n8n stand-in').route('POST', '/hook', () => ({ status: 200, body: 'OK' })).route('POST', '/shop5', () => ({ status: 200, body: 'OK' }));
	let sandbox: Sandbox;
	let hook = '';

	beforeAll(async () => {
		const base = await receiver.start();
		hook = `${base}/hook`;
		sandbox = await new Sandbox({ metaCallbackUrl: hook, gatewayWebhookUrls: { razorpay: hook }, metaNumberUrls: { [SHOP_NUMBERS.checkout.id]: `${base}/shop5` } }).start();
	});
	afterAll(async () => {
		await sandbox.stop();
		await receiver.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		receiver.reset();
	});

	const control = async (path: string, body?: unknown) => {
		const res = await fetch(`${sandbox.controlUrl}/_sandbox${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, body: (await res.json()) as Json };
	};
	/** The business sends a message as n8n would (Meta's API on the sandbox). */
	const businessSends = async (phoneNumberId: string, message: Json): Promise<string> => {
		const res = await fetch(`${sandbox.meta.baseUrl}/v25.0/${phoneNumberId}/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.meta.state.token}` },
			body: JSON.stringify({ messaging_product: 'whatsapp', ...message }),
		});
		const body = (await res.json()) as Json;
		expect(res.status).toBe(200);
		return body.messages[0].id as string;
	};
	const signedByMeta = (r: RecordedRequest) => verifyMetaSignature(r.rawBody, sandbox.meta.appSecret, r.headers['x-hub-signature-256']);
	const lastBody = () => receiver.requests[receiver.requests.length - 1].body as Json;
	const shop = SHOP_NUMBERS.checkout.id;

	it('serves the page, its script and stylesheet from the sandbox (no CDN)', async () => {
		const page = await fetch(`${sandbox.controlUrl}/_sandbox/chat`);
		expect(page.headers.get('content-type')).toContain('text/html');
		const html = await page.text();
		expect(html).toContain('/_sandbox/chat/chat.js');
		expect(html).not.toMatch(/https?:\/\//);
		for (const file of ['chat.js', 'chat.css']) expect((await fetch(`${sandbox.controlUrl}/_sandbox/chat/${file}`)).status).toBe(200);
	});

	it('routes a business number\'s events to its own URL; other numbers go to the registered callback', async () => {
		await control('/customer/order', { phoneNumberId: shop });
		await control('/customer/order', {});
		expect(receiver.requests.map((r) => r.path)).toEqual(['/shop5', '/hook']);
	});

	it('groups messages per customer and business number with ticks, cart, card and payment', async () => {
		await control('/customer/order', { phoneNumberId: shop });
		const text = await businessSends(shop, { to: '919800000001', type: 'text', text: { body: 'Hello Asha' } });
		await businessSends(SHOP_NUMBERS.kirana.id, { recipient: 'BR.8812004471', type: 'text', text: { body: 'Hello Ana' } });
		const read = await control('/customer/read', { messageIds: [text], status: 'read' });
		expect(read.body.updated).toEqual([text]);
		const statuses = lastBody().entry[0].changes[0].value.statuses;
		expect(statuses).toEqual([expect.objectContaining({ id: text, status: 'read', recipient_id: '919800000001', recipient_user_id: 'IN.1739912004471' })]);
		const state = (await control('/chat/state')).body;
		const asha = state.conversations.find((c: Json) => c.key === `IN.1739912004471@${shop}`);
		expect(asha.entries.map((e: Json) => [e.direction, e.message.type, e.status ?? null])).toEqual([['in', 'order', null], ['out', 'text', 'read']]);
		expect(asha.entries[0].answer.status).toBe(200);
		const ana = state.conversations.find((c: Json) => c.key === `BR.8812004471@${SHOP_NUMBERS.kirana.id}`);
		expect(ana.customer).toMatchObject({ phone: null, username: 'ana.shop' });
		expect(state.catalog.products.map((p: Json) => p.retailerId)).toContain('masala-chai');
		expect(state.catalog.products.every((p: Json) => p.image.startsWith('<svg'))).toBe(true);
	});

	it('a tap on a reply button, a list row and a template quick reply are Meta-signed replies quoting the message', async () => {
		const buttons = await businessSends(shop, { to: '919800000001', type: 'interactive', interactive: { type: 'button', body: { text: 'When?' }, action: { buttons: [{ type: 'reply', reply: { id: 'now', title: 'Now' } }] } } });
		await control('/customer/reply', { messageId: buttons, replyId: 'now', title: 'Now' });
		let message = lastBody().entry[0].changes[0].value.messages[0];
		expect(signedByMeta(receiver.requests.at(-1)!)).toBe(true);
		expect(message).toMatchObject({ from: '919800000001', type: 'interactive', context: { id: buttons }, interactive: { type: 'button_reply', button_reply: { id: 'now', title: 'Now' } } });

		const list = await businessSends(shop, { to: '919800000001', type: 'interactive', interactive: { type: 'list', body: { text: 'Pick' }, action: { button: 'Slots', sections: [{ title: 'Today', rows: [{ id: 'eve', title: 'Evening', description: '6-9 pm' }] }] } } });
		await control('/customer/reply', { messageId: list, replyId: 'eve', title: 'Evening', description: '6-9 pm' });
		message = lastBody().entry[0].changes[0].value.messages[0];
		expect(message.interactive).toEqual({ type: 'list_reply', list_reply: { id: 'eve', title: 'Evening', description: '6-9 pm' } });

		const template = await businessSends(shop, { recipient: 'BR.8812004471', type: 'template', template: { name: 'delivery_feedback', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'R-1' }] }] } });
		await control('/customer/reply', { messageId: template, title: 'Loved it' });
		message = lastBody().entry[0].changes[0].value.messages[0];
		// A customer without a phone: no `from`, only the BSUID.
		expect(message.from).toBeUndefined();
		expect(message).toMatchObject({ from_user_id: 'BR.8812004471', type: 'button', button: { payload: 'Loved it', text: 'Loved it' } });
		expect((await control('/customer/reply', { messageId: template })).status).toBe(400);
	});

	it('opens and pays a gateway link found in a message: the gateway\'s signed webhook goes out', async () => {
		const rz = sandbox.credentials().waCommerceRazorpayApi as Json;
		const res = await fetch(`${sandbox.razorpay.baseUrl}/v1/payment_links`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${rz.keyId}:${rz.keySecret}`).toString('base64')}` },
			body: JSON.stringify({ amount: 149900, currency: 'INR', reference_id: 'INV-CHAT-1' }),
		});
		const link = (await res.json()) as Json;
		const paid = await control('/link/pay', { url: link.short_url });
		expect(paid.body.link).toMatchObject({ gateway: 'razorpay', status: 'paid', reference: 'INV-CHAT-1' });
		const request = receiver.requests.at(-1)!;
		expect(razorpayWebhook.verify({ rawBody: request.rawBody, headers: request.headers, body: request.body as Json, query: {} }, { webhookSecret: sandbox.razorpay.webhookSecret })).toEqual({ ok: true });
		expect((await control('/link/pay', { url: 'https://rzp.io/i/unknown' })).status).toBe(404);
	});

	it('pays with the webhook lost: the payment exists at Meta but n8n never heard of it', async () => {
		await businessSends(shop, {
			to: '919800000001',
			type: 'interactive',
			interactive: {
				type: 'order_details',
				body: { text: 'Bill' },
				action: { name: 'review_and_pay', parameters: { reference_id: 'LOST-1', type: 'digital-goods', payment_type: 'upi', currency: 'INR', total_amount: { value: 10000, offset: 100 }, order: { status: 'pending', catalog_id: '194836987003835', items: [{ retailer_id: 'masala-chai', name: 'Masala chai', amount: { value: 10000, offset: 100 }, quantity: 1 }], subtotal: { value: 10000, offset: 100 }, tax: { value: 0, offset: 100 } }, payment_settings: [{ type: 'payment_gateway', payment_gateway: { type: 'payu', configuration_name: 'payu-prod', payu: { udf1: '919800000001' } } }] } },
			},
		});
		const before = receiver.requests.length;
		const lost = await control('/customer/pay-unnotified', { referenceId: 'LOST-1' });
		expect(lost.body.delivery.status).toBe(0);
		expect(receiver.requests.length).toBe(before);
		expect(sandbox.meta.state.payments.get('payu-prod/LOST-1')).toMatchObject({ status: 'captured' });
		// The pass-through fields come back with the transaction, as Meta returns them.
		expect((sandbox.meta.state.payments.get('payu-prod/LOST-1') as Json).transactions[0]).toMatchObject({ type: 'payu', udf1: '919800000001' });
	});

	it('the live stream announces a change when the business sends', async () => {
		const controller = new AbortController();
		const res = await fetch(`${sandbox.controlUrl}/_sandbox/chat/events`, { signal: controller.signal });
		const reader = res.body!.getReader();
		const first = new TextDecoder().decode((await reader.read()).value);
		expect(first).toContain('event: change');
		await businessSends(shop, { to: '919800000001', type: 'text', text: { body: 'ping' } });
		const next = new TextDecoder().decode((await reader.read()).value);
		expect(next).toContain('event: change');
		controller.abort();
	});
});
