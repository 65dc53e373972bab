/**
 * The sandbox: Meta's Cloud API and the four gateways on loopback, built from the SAME counterparts the tests
 * use (test/counterparts/), plus a control API that plays the customer: it places cart orders, pays
 * order_details messages and payment links, and sends every webhook signed exactly as the real service signs it.
 * Not part of the published package (package.json "files" ships dist/ only).
 */
import { randomUUID } from 'crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';

import { hmacSha256Hex } from '../nodes/shared/signatures';
import { LyraCounterpart } from '../test/counterparts/lyra';
import { MetaCounterpart } from '../test/counterparts/meta';
import { PayUCounterpart } from '../test/counterparts/payu';
import { RazorpayCounterpart } from '../test/counterparts/razorpay';
import { StripeCounterpart } from '../test/counterparts/stripe';

export interface SandboxOptions {
	/** First of six consecutive ports: Meta, Razorpay, Stripe, PayU, Lyra, control. */
	portBase?: number;
	host?: string;
}

export interface Sandbox {
	urls: { meta: string; razorpay: string; stripe: string; payu: string; lyra: string; control: string };
	meta: MetaCounterpart;
	razorpay: RazorpayCounterpart;
	stripe: StripeCounterpart;
	payu: PayUCounterpart;
	lyra: LyraCounterpart;
	/** Every webhook the sandbox delivered, with n8n's answer. */
	deliveries: Array<{ to: string; kind: string; status: number; body: string }>;
	stop(): Promise<void>;
}

/** The customer and shop the sandbox plays. */
export const SANDBOX = {
	customer: { waId: '919876543210', name: 'Asha Rao' },
	phoneNumberId: '106540352242922',
	displayPhoneNumber: '+91 98765 00000',
	catalogId: '194836987003835',
	razorpayWebhookSecret: 'sandbox-razorpay-webhook-secret',
};

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body, null, 2));
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	const base = options.portBase ?? 0;
	const port = (offset: number) => (base ? base + offset : 0);
	const meta = new MetaCounterpart();
	const razorpay = new RazorpayCounterpart();
	const stripe = new StripeCounterpart();
	const payu = new PayUCounterpart();
	const lyra = new LyraCounterpart();
	await meta.start(port(0), host);
	await razorpay.start(port(1), host);
	await stripe.start(port(2), host);
	await payu.start(port(3), host);
	await lyra.start(port(4), host);
	const deliveries: Sandbox['deliveries'] = [];

	/** POSTs a signed webhook to n8n and records n8n's answer. */
	async function deliver(to: string, kind: string, rawBody: string, headers: Record<string, string>) {
		const response = await fetch(to, { method: 'POST', body: rawBody, headers: { 'content-type': 'application/json', ...headers } });
		const entry = { to, kind, status: response.status, body: await response.text() };
		deliveries.push(entry);
		return entry;
	}

	function metaEnvelope(value: Record<string, unknown>): string {
		return JSON.stringify({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: meta.state.wabaId,
					changes: [
						{
							field: 'messages',
							value: {
								messaging_product: 'whatsapp',
								metadata: { display_phone_number: SANDBOX.displayPhoneNumber, phone_number_id: SANDBOX.phoneNumberId },
								...value,
							},
						},
					],
				},
			],
		});
	}
	const metaSignature = (rawBody: string) => ({ 'x-hub-signature-256': `sha256=${hmacSha256Hex(meta.appSecret, rawBody)}` });

	const actions: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
		/** The customer sends a cart order from the catalog. */
		'customer/order': async (body) => {
			const items = (body.items as Array<Record<string, unknown>> | undefined) ?? [
				{ product_retailer_id: 'chai-250g', quantity: 2, item_price: 199.99, currency: 'INR' },
				{ product_retailer_id: 'mug-01', quantity: 1, item_price: 349, currency: 'INR' },
			];
			const messageId = `wamid.SANDBOX.${randomUUID()}`;
			const rawBody = metaEnvelope({
				contacts: [{ profile: { name: SANDBOX.customer.name }, wa_id: SANDBOX.customer.waId }],
				messages: [
					{
						from: SANDBOX.customer.waId,
						id: messageId,
						timestamp: String(Math.floor(Date.now() / 1000)),
						type: 'order',
						order: { catalog_id: SANDBOX.catalogId, text: String(body.text ?? 'Please deliver today'), product_items: items },
					},
				],
			});
			return { messageId, delivery: await deliver(String(body.webhookUrl), 'meta.order', rawBody, metaSignature(rawBody)) };
		},
		/** The customer pays an order_details message: Meta's payment status webhook (captured). */
		'customer/pay-order': async (body) => {
			const referenceId = String(body.referenceId ?? '');
			const sent = [...meta.sent].reverse().find((entry) => {
				const parameters = ((entry.message.interactive as Record<string, any> | undefined)?.action?.parameters ?? {}) as Record<string, unknown>;
				return parameters.reference_id === referenceId;
			});
			if (!sent) throw new Error(`no order_details with reference ${referenceId} was sent`);
			const parameters = (sent.message.interactive as Record<string, any>).action.parameters as Record<string, any>;
			const gateway = parameters.payment_settings?.[0]?.payment_gateway ?? {};
			const now = Math.floor(Date.now() / 1000);
			const payment = {
				reference_id: referenceId,
				amount: parameters.total_amount,
				currency: parameters.currency,
				transaction: { id: `order_${now}`, pg_transaction_id: `pay_${now}`, type: gateway.type ?? 'razorpay', status: 'success', created_timestamp: now, updated_timestamp: now, method: { type: 'upi' } },
				...(gateway.razorpay?.receipt ? { receipt: gateway.razorpay.receipt } : {}),
			};
			meta.state.payments.set(`${String(gateway.configuration_name)}/${referenceId}`, { ...payment, status: 'captured', refunded: 0 });
			const rawBody = metaEnvelope({
				statuses: [{ id: `gBGG${now}`, recipient_id: String(sent.message.to), type: 'payment', status: 'captured', timestamp: String(now), payment }],
			});
			return { delivery: await deliver(String(body.webhookUrl), 'meta.payment', rawBody, metaSignature(rawBody)) };
		},
		/** The customer pays a Razorpay payment link: Razorpay's signed payment_link.paid webhook. */
		'gateway/razorpay/pay': async (body) => {
			const linkId = String(body.linkId ?? [...razorpay.links.keys()].pop() ?? '');
			const payment = razorpay.markLinkPaid(linkId);
			const link = razorpay.links.get(linkId)!;
			const rawBody = JSON.stringify({
				entity: 'event',
				account_id: 'acc_sandbox',
				event: 'payment_link.paid',
				contains: ['payment_link', 'order', 'payment'],
				payload: { payment_link: { entity: link }, payment: { entity: payment }, order: { entity: { id: payment.order_id, status: 'paid' } } },
				created_at: Math.floor(Date.now() / 1000),
			});
			const headers = {
				'x-razorpay-signature': hmacSha256Hex(SANDBOX.razorpayWebhookSecret, rawBody),
				'x-razorpay-event-id': `evt_${randomUUID().replace(/-/g, '').slice(0, 14)}`,
			};
			return { paymentId: payment.id, delivery: await deliver(String(body.webhookUrl), 'razorpay.payment_link.paid', rawBody, headers) };
		},
	};

	const control: Server = createServer((req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', 'http://sandbox.local');
			try {
				if (req.method === 'GET' && url.pathname === '/_sandbox/messages') return send(res, 200, meta.sent);
				if (req.method === 'GET' && url.pathname === '/_sandbox/deliveries') return send(res, 200, deliveries);
				if (req.method === 'GET' && url.pathname === '/_sandbox/razorpay') {
					return send(res, 200, { links: [...razorpay.links.values()], payments: [...razorpay.payments.values()], refunds: [...razorpay.refunds.values()] });
				}
				const action = req.method === 'POST' ? actions[url.pathname.replace(/^\/_sandbox\//, '')] : undefined;
				if (!action) return send(res, 404, { error: `unknown sandbox action ${req.method} ${url.pathname}`, actions: Object.keys(actions) });
				return send(res, 200, await action(await readJson(req)));
			} catch (error) {
				return send(res, 400, { error: (error as Error).message });
			}
		})();
	});
	await new Promise<void>((resolve) => control.listen(port(5), host, resolve));
	const address = control.address() as { port: number };
	return {
		urls: { meta: meta.baseUrl, razorpay: razorpay.baseUrl, stripe: stripe.baseUrl, payu: payu.baseUrl, lyra: lyra.baseUrl, control: `http://${host}:${address.port}` },
		meta,
		razorpay,
		stripe,
		payu,
		lyra,
		deliveries,
		async stop() {
			control.closeAllConnections();
			await new Promise<void>((resolve) => control.close(() => resolve()));
			await Promise.all([meta.stop(), razorpay.stop(), stripe.stop(), payu.stop(), lyra.stop()]);
		},
	};
}
