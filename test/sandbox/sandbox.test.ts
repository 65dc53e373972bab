/**
 * The sandbox plays the customer with webhooks signed exactly as the real services sign them: each delivery
 * is checked here with the package's own verifiers (the code the triggers run), on the raw bytes received.
 */
import { Sandbox } from '../../sandbox/sandbox';
import { verifyMetaSignature } from '../../nodes/shared/signatures';
import * as razorpayWebhook from '../../nodes/shared/gateways/razorpay/webhook';
import * as stripeWebhook from '../../nodes/shared/gateways/stripe/webhook';
import { Counterpart, type RecordedRequest } from '../counterparts/server';

describe('sandbox control API', () => {
	const sandbox = new Sandbox();
	const receiver = new Counterpart('n8n stand-in').route('POST', '/hook', () => ({ status: 200, body: { ok: true } }));
	let hook = '';
	beforeAll(async () => {
		await sandbox.start();
		hook = `${await receiver.start()}/hook`;
	});
	afterAll(async () => {
		await sandbox.stop();
		await receiver.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		receiver.reset();
	});

	const control = async (path: string, body: unknown = {}) => {
		const res = await fetch(`${sandbox.controlUrl}/_sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: res.status, body: (await res.json()) as Record<string, any> };
	};
	const asWebhookRequest = (r: RecordedRequest) => ({ rawBody: r.rawBody, headers: r.headers, body: r.body as Record<string, any>, query: {} });

	it('refuses an order while no trigger registered and no URL is given', async () => {
		const reply = await control('/customer/order');
		expect(reply.status).toBe(409);
		expect(reply.body.error).toMatch(/No WhatsApp webhook registered/);
	});

	it('sends a Meta-signed cart order to the registered callback URL', async () => {
		sandbox.meta.appSubscriptions.set('whatsapp_business_account', { callback_url: hook, verify_token: 't', fields: 'messages' });
		const reply = await control('/customer/order', { from: '919800000009', items: [{ retailerId: 'tea', quantity: 2, price: '19.99', currency: 'INR' }] });
		expect(reply.status).toBe(200);
		expect(reply.body.delivery).toMatchObject({ status: 200, url: hook, event: 'order' });
		const [delivered] = receiver.received('POST', '/hook');
		expect(verifyMetaSignature(delivered.rawBody, sandbox.meta.appSecret, delivered.headers['x-hub-signature-256'])).toBe(true);
		expect(verifyMetaSignature(delivered.rawBody, 'another-secret', delivered.headers['x-hub-signature-256'])).toBe(false);
		const message = (delivered.body as any).entry[0].changes[0].value.messages[0];
		expect(message).toMatchObject({ from: '919800000009', type: 'order', order: { product_items: [{ product_retailer_id: 'tea', quantity: 2, item_price: 19.99, currency: 'INR' }] } });
	});

	it('plays a customer with a username and no phone: only BSUID ids, Meta-format wamid; the payment status names the BSUID', async () => {
		sandbox.meta.appSubscriptions.set('whatsapp_business_account', { callback_url: hook, verify_token: 't', fields: 'messages' });
		const reply = await control('/customer/order', { customer: 'username' });
		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({ userId: 'BR.8812004471', waId: null });
		expect(reply.body.messageId).toMatch(/^wamid\.[A-Za-z0-9+/]+=*$/);
		const value = (receiver.received('POST', '/hook')[0].body as any).entry[0].changes[0].value;
		expect(value.contacts[0]).toEqual({ profile: { name: 'Ana', username: 'ana.shop' }, user_id: 'BR.8812004471' });
		expect(value.messages[0]).not.toHaveProperty('from');
		expect(value.messages[0]).toMatchObject({ from_user_id: 'BR.8812004471', id: reply.body.messageId, type: 'order' });
		sandbox.meta.sent.push({
			id: 'wamid.Y', phoneNumberId: sandbox.meta.state.phoneNumbers[0].id, at: Date.now(),
			message: { recipient: 'BR.8812004471', type: 'interactive', interactive: { type: 'order_details', action: { parameters: { reference_id: 'R-9', currency: 'INR', total_amount: { value: 100, offset: 100 }, payment_settings: [] } } } },
		});
		await control('/customer/pay', { url: hook });
		const status = (receiver.received('POST', '/hook')[1].body as any).entry[0].changes[0].value.statuses[0];
		expect(status).toMatchObject({ recipient_user_id: 'BR.8812004471', type: 'payment' });
		expect(status).not.toHaveProperty('recipient_id');
	});

	it('pays an order_details bill: the payment becomes visible to the lookup API and a captured status is sent', async () => {
		sandbox.meta.sent.push({
			id: 'wamid.X',
			phoneNumberId: sandbox.meta.state.phoneNumbers[0].id,
			at: Date.now(),
			message: {
				to: '919800000009',
				type: 'interactive',
				interactive: { type: 'order_details', action: { parameters: { reference_id: 'R-1', currency: 'INR', total_amount: { value: 3998, offset: 100 }, payment_settings: [{ type: 'payment_gateway', payment_gateway: { type: 'razorpay', configuration_name: 'rzp-prod' } }] } } },
			},
		});
		const reply = await control('/customer/pay', { url: hook });
		expect(reply.status).toBe(200);
		const [delivered] = receiver.received('POST', '/hook');
		expect(verifyMetaSignature(delivered.rawBody, sandbox.meta.appSecret, delivered.headers['x-hub-signature-256'])).toBe(true);
		const status = (delivered.body as any).entry[0].changes[0].value.statuses[0];
		expect(status).toMatchObject({ type: 'payment', status: 'captured', recipient_id: '919800000009', payment: { reference_id: 'R-1', amount: { value: 3998, offset: 100 } } });
		const lookup = await fetch(`${sandbox.meta.baseUrl}/v25.0/${sandbox.meta.state.phoneNumbers[0].id}/payments/rzp-prod/R-1`, { headers: { authorization: `Bearer ${sandbox.meta.state.token}` } });
		expect(((await lookup.json()) as any).payments[0]).toMatchObject({ reference_id: 'R-1', status: 'captured' });
	});

	it('pays and expires Razorpay links with X-Razorpay-Signature deliveries', async () => {
		const auth = `Basic ${Buffer.from(`${sandbox.razorpay.keyId}:${sandbox.razorpay.keySecret}`).toString('base64')}`;
		for (const reference of ['INV-1', 'INV-2']) {
			const created = await fetch(`${sandbox.razorpay.baseUrl}/v1/payment_links`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ amount: 149900, currency: 'INR', reference_id: reference }) });
			expect(created.status).toBe(200);
		}
		const [first, second] = [...sandbox.razorpay.links.keys()];
		expect((await control('/gateway/razorpay/pay', { linkId: first, url: hook })).body.delivery.status).toBe(200);
		expect((await control('/gateway/razorpay/expire', { url: hook })).body.linkId).toBe(second);
		const deliveries = receiver.received('POST', '/hook');
		expect(deliveries.map((d) => (d.body as any).event)).toEqual(['payment_link.paid', 'payment_link.expired']);
		for (const delivery of deliveries) {
			expect(razorpayWebhook.verify(asWebhookRequest(delivery), { webhookSecret: sandbox.razorpay.webhookSecret })).toEqual({ ok: true });
			expect(razorpayWebhook.verify(asWebhookRequest(delivery), { webhookSecret: 'wrong' }).ok).toBe(false);
		}
	});

	it('pays a Stripe Checkout Session with a Stripe-Signature delivery', async () => {
		const form = new URLSearchParams({
			mode: 'payment',
			'line_items[0][price_data][currency]': 'eur',
			'line_items[0][price_data][unit_amount]': '1999',
			'line_items[0][price_data][product_data][name]': 'Order 1',
			'line_items[0][quantity]': '1',
			success_url: 'https://shop.example.com/thanks',
		});
		const created = await fetch(`${sandbox.stripe.baseUrl}/v1/checkout/sessions`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.stripe.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
		expect(created.status).toBe(200);
		expect((await control('/gateway/stripe/pay', { url: hook })).body.delivery.status).toBe(200);
		const [delivery] = receiver.received('POST', '/hook');
		expect((delivery.body as any).type).toBe('checkout.session.completed');
		expect(stripeWebhook.verify(asWebhookRequest(delivery), { signingSecrets: [sandbox.stripe.webhookSigningSecret] })).toEqual({ ok: true });
		expect(stripeWebhook.verify(asWebhookRequest(delivery), { signingSecrets: ['whsec_wrong'] }).ok).toBe(false);
	});

	it('delivers Stripe events to the endpoint a trigger registered, signed with that endpoint\'s secret; a reset keeps it', async () => {
		const auth = { authorization: `Bearer ${sandbox.stripe.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' };
		const registered = await fetch(`${sandbox.stripe.baseUrl}/v1/webhook_endpoints`, { method: 'POST', headers: auth, body: new URLSearchParams({ url: hook, 'enabled_events[0]': 'checkout.session.completed', 'enabled_events[1]': 'checkout.session.expired' }).toString() });
		const endpoint = (await registered.json()) as { id: string; secret: string };
		expect(endpoint.secret).toMatch(/^whsec_/);
		sandbox.reset();
		const form = new URLSearchParams({
			mode: 'payment',
			'line_items[0][price_data][currency]': 'eur',
			'line_items[0][price_data][unit_amount]': '1999',
			'line_items[0][price_data][product_data][name]': 'Order 2',
			'line_items[0][quantity]': '1',
			success_url: 'https://shop.example.com/thanks',
		});
		await fetch(`${sandbox.stripe.baseUrl}/v1/checkout/sessions`, { method: 'POST', headers: auth, body: form.toString() });
		expect((await control('/gateway/stripe/pay')).body.delivery).toMatchObject({ url: hook, status: 200 });
		const [delivery] = receiver.received('POST', '/hook');
		expect(stripeWebhook.verify(asWebhookRequest(delivery), { signingSecrets: [endpoint.secret] })).toEqual({ ok: true });
		expect(stripeWebhook.verify(asWebhookRequest(delivery), { signingSecrets: [sandbox.stripe.webhookSigningSecret] }).ok).toBe(false);
		const shown = (await (await fetch(`${sandbox.controlUrl}/_sandbox/gateways`)).json()) as { stripe: { webhookEndpoints: Array<Record<string, unknown>> } };
		expect(shown.stripe.webhookEndpoints).toEqual([expect.objectContaining({ id: endpoint.id, url: hook })]);
		expect(shown.stripe.webhookEndpoints[0]).not.toHaveProperty('secret');
	});

	it('redelivers a webhook byte for byte (same signature), to another URL when asked', async () => {
		sandbox.meta.appSubscriptions.set('whatsapp_business_account', { callback_url: hook, verify_token: 't', fields: 'messages' });
		await control('/customer/order');
		const other = `${hook}?process=2`;
		expect((await control('/webhooks/redeliver', { url: other })).body).toMatchObject({ status: 200, url: other, event: 'order (redelivered)' });
		expect((await control('/webhooks/redeliver', { index: 0 })).body).toMatchObject({ status: 200, url: hook });
		const [first, second, third] = receiver.received('POST', '/hook');
		expect(second.rawBody.equals(first.rawBody) && third.rawBody.equals(first.rawBody)).toBe(true);
		expect(third.headers['x-hub-signature-256']).toBe(first.headers['x-hub-signature-256']);
		expect(second.query).toEqual({ process: '2' });
		expect((await control('/webhooks/redeliver', { index: 9 })).status).toBe(404);
	});

	it('records what the services received and answers unknown routes with 404', async () => {
		await fetch(`${sandbox.meta.baseUrl}/v25.0/${sandbox.meta.state.wabaId}/phone_numbers`, { headers: { authorization: `Bearer ${sandbox.meta.state.token}` } });
		const requests = (await (await fetch(`${sandbox.controlUrl}/_sandbox/requests`)).json()) as Array<Record<string, unknown>>;
		expect(requests).toEqual([expect.objectContaining({ service: 'meta', method: 'GET', path: `/v25.0/${sandbox.meta.state.wabaId}/phone_numbers` })]);
		expect((await control('/nope')).status).toBe(404);
	});
});
