import { StripeCounterpart } from '../counterparts/stripe';
import { TestCredentialsHelper } from '../harness/engine';
import { allCredentialTypes } from '../harness/registry';
import { TriggerUnderTest } from '../harness/webhook';
import { hmacSha256Hex, sha512Hex } from '../../nodes/shared/signatures';

/** The package's own credential types: the trigger reads the same fields the Payment Gateway node uses. */
const credentialTypes = () => allCredentialTypes();

const RAZORPAY_VECTOR = { secret: '123456', body: '{"a":1,"b":2,"c":{"d":3}}', signature: '2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc' };
const STRIPE_VECTOR = { secret: 'whsec_test_secret', t: 1700000000, body: '{"id":"evt_test_webhook","object":"event"}', v1: 'd95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990' };
const PAYU_VECTOR = {
	key: 'bjg$121', salt: 'vhgvs75',
	fields: { txnid: '3123', amount: '1000', productinfo: 'mobile', firstname: 'Jacob', email: 'test@payu.in', status: 'success' },
	hash: '687c82156a84271a7a6c63d0e8774d5ac567d9b894a334a47d72e47b72392a5167a1b2add5b253490b70731d9eb3e3a3b7225e0c5f26829befafbbee71977c4c',
};
const LYRA_VECTOR = { password: 'testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M', answer: '{"shopId":"69876357","orderStatus":"PAID"}', hash: '53160d783db8dab28404d0565082ca3c32032166086cab6fcae24a1dffd3d983' };

const form = (fields: Record<string, string>) => ({
	rawBody: new URLSearchParams(fields).toString(),
	headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('Payment Gateway Trigger through n8n-core WebhookContext/HookContext', () => {
	const stripeApi = new StripeCounterpart();
	beforeAll(async () => stripeApi.start());
	afterAll(async () => stripeApi.stop());
	beforeEach(() => stripeApi.reset());

	const creds = () =>
		new TestCredentialsHelper(credentialTypes())
			.set('waCommerceRazorpayApi', { keyId: 'rzp_test_x', keySecret: 'key-secret', webhookSecret: RAZORPAY_VECTOR.secret })
			.set('waCommerceStripeApi', { secretKey: stripeApi.secretKey, webhookSigningSecret: STRIPE_VECTOR.secret, baseUrl: stripeApi.baseUrl })
			.set('waCommercePayUApi', { environment: 'test', merchantKey: PAYU_VECTOR.key, merchantSaltSecret: PAYU_VECTOR.salt })
			.set('waCommerceLyraApi', { shopId: '69876357', password: LYRA_VECTOR.password, hmacSecretKey: 'browser-hmac-key' });
	const trigger = (gateway: string, parameters: Record<string, unknown> = {}) =>
		new TriggerUnderTest('paymentGatewayTrigger', { gateway, ...parameters }, creds(), [
			{ razorpay: 'waCommerceRazorpayApi', stripe: 'waCommerceStripeApi', payu: 'waCommercePayUApi', lyra: 'waCommerceLyraApi' }[gateway] as string,
		]);
	const refused = (call: { response: { statusCode?: number }; items: unknown[]; result: { noWebhookResponse?: boolean } }, status: number) => {
		expect(call.response.statusCode).toBe(status);
		expect(call.result.noWebhookResponse).toBe(true);
		expect(call.items).toEqual([]);
	};

	describe('Razorpay', () => {
		const linkPaid = JSON.stringify({
			entity: 'event', account_id: 'acc_1', event: 'payment_link.paid', contains: ['payment_link', 'payment'], created_at: 1772129215,
			payload: {
				payment_link: { entity: { id: 'plink_1', amount: 21000, amount_paid: 21000, currency: 'INR', reference_id: 'A1-1', status: 'paid', customer: { name: 'Asha', contact: '+919800000000' } } },
				payment: { entity: { id: 'pay_1', amount: 21000, currency: 'INR', status: 'captured' } },
			},
		});
		const sign = (body: string, secret = RAZORPAY_VECTOR.secret) => hmacSha256Hex(secret, body);

		it('the official vector verifies (body is not an event: 400 after a valid signature)', async () => {
			expect(sign(RAZORPAY_VECTOR.body)).toBe(RAZORPAY_VECTOR.signature);
			const call = await trigger('razorpay').deliver({ rawBody: RAZORPAY_VECTOR.body, headers: { 'x-razorpay-signature': RAZORPAY_VECTOR.signature } });
			refused(call, 400);
		});

		it('emits link.paid in minor units and drops the redelivery, whatever its (unsigned) x-razorpay-event-id', async () => {
			const node = trigger('razorpay');
			const delivery = { rawBody: linkPaid, headers: { 'content-type': 'application/json', 'x-razorpay-signature': sign(linkPaid), 'x-razorpay-event-id': 'evt_R1' } };
			const first = await node.deliver(delivery);
			expect(first.items).toEqual([expect.objectContaining({
				gateway: 'razorpay', event: 'link.paid', eventId: expect.stringMatching(/^payment_link\.paid:plink_1:\d+$/), eventKey: 'payment:razorpay:pay_1', reference: 'A1-1', linkId: 'plink_1', paymentId: 'pay_1',
				amount: { minor: 21000, currency: 'INR', decimal: '210.00' }, customer: expect.objectContaining({ name: 'Asha' }),
			})]);
			expect((await node.deliver(delivery)).items).toEqual([]);
			expect((await node.deliver({ ...delivery, headers: { ...delivery.headers, 'x-razorpay-event-id': 'evt_other' } })).items).toEqual([]);
		});

		it('refuses tampered body, wrong secret and missing header with 401; malformed body with 400', async () => {
			const node = trigger('razorpay');
			refused(await node.deliver({ rawBody: linkPaid.replace('21000', '1'), headers: { 'x-razorpay-signature': sign(linkPaid) } }), 401);
			refused(await node.deliver({ rawBody: linkPaid, headers: { 'x-razorpay-signature': sign(linkPaid, 'wrong') } }), 401);
			refused(await node.deliver({ rawBody: linkPaid, headers: {} }), 401);
			refused(await node.deliver({ rawBody: '{oops', headers: { 'x-razorpay-signature': sign('{oops') } }), 400);
		});

		it('applies the event filter', async () => {
			const call = await trigger('razorpay', { events: ['refund.processed'] }).deliver({ rawBody: linkPaid, headers: { 'x-razorpay-signature': sign(linkPaid) } });
			expect(call.items).toEqual([]);
		});
	});

	describe('Stripe', () => {
		const now = () => Math.floor(Date.now() / 1000);
		const event = JSON.stringify({
			id: 'evt_S1', object: 'event', type: 'checkout.session.completed', created: 1772129215, livemode: false,
			data: { object: { id: 'cs_test_1', object: 'checkout.session', amount_total: 2407, currency: 'usd', payment_status: 'paid', client_reference_id: 'A1-1', payment_intent: 'pi_1', customer_details: { email: 'a@example.com' } } },
		});
		const header = (body: string, secret = STRIPE_VECTOR.secret, t = now()) => `t=${t},v1=${hmacSha256Hex(secret, `${t}.${body}`)}`;

		it('the official vector verifies (tolerance 0 disables the age check; the body has no type: 400, not 401)', async () => {
			const call = await trigger('stripe', { toleranceSeconds: 0 }).deliver({
				rawBody: STRIPE_VECTOR.body,
				headers: { 'stripe-signature': `t=${STRIPE_VECTOR.t},v1=${STRIPE_VECTOR.v1}` },
			});
			refused(call, 400);
			const stale = await trigger('stripe').deliver({ rawBody: STRIPE_VECTOR.body, headers: { 'stripe-signature': `t=${STRIPE_VECTOR.t},v1=${STRIPE_VECTOR.v1}` } });
			refused(stale, 401);
		});

		it('emits link.paid, accepts any matching v1 and drops duplicates', async () => {
			const node = trigger('stripe');
			const t = now();
			const sig = `t=${t},v1=${'0'.repeat(64)},v1=${hmacSha256Hex(STRIPE_VECTOR.secret, `${t}.${event}`)}`;
			const first = await node.deliver({ rawBody: event, headers: { 'content-type': 'application/json', 'stripe-signature': sig } });
			expect(first.items).toEqual([expect.objectContaining({
				gateway: 'stripe', event: 'link.paid', eventId: 'evt_S1', reference: 'A1-1', linkId: 'cs_test_1', paymentId: 'pi_1',
				amount: { minor: 2407, currency: 'USD', decimal: '24.07' },
			})]);
			expect((await node.deliver({ rawBody: event, headers: { 'stripe-signature': sig } })).items).toEqual([]);
		});

		it('reads ISK in krónur: Stripe sends 100 x krónur, the event says 4990 ISK like the Payment Gateway node', async () => {
			const isk = event.replace('"amount_total":2407,"currency":"usd"', '"amount_total":499000,"currency":"isk"').replace('evt_S1', 'evt_ISK');
			const call = await trigger('stripe').deliver({ rawBody: isk, headers: { 'content-type': 'application/json', 'stripe-signature': header(isk) } });
			expect(call.items[0].amount).toEqual({ minor: 4990, currency: 'ISK', decimal: '4990' });
		});

		it('refuses stale timestamps, tampering, wrong secret and a missing header', async () => {
			const node = trigger('stripe');
			refused(await node.deliver({ rawBody: event, headers: { 'stripe-signature': header(event, STRIPE_VECTOR.secret, now() - 301) } }), 401);
			refused(await node.deliver({ rawBody: `${event} `, headers: { 'stripe-signature': header(event) } }), 401);
			refused(await node.deliver({ rawBody: event, headers: { 'stripe-signature': header(event, 'whsec_other') } }), 401);
			refused(await node.deliver({ rawBody: event, headers: {} }), 401);
			refused(await node.deliver({ rawBody: '[]', headers: { 'stripe-signature': header('[]') } }), 400);
		});

		it('registers the endpoint on activation, verifies with its secret, removes it on deactivation', async () => {
			const node = trigger('stripe');
			expect(await node.checkExists()).toBe(false);
			expect(await node.create()).toBe(true);
			const [endpoint] = [...stripeApi.endpoints.values()];
			expect(endpoint.url).toBe(node.webhookUrl());
			expect(endpoint.enabled_events).toContain('checkout.session.completed');
			expect(node.staticData.node).toBeUndefined();
			const stored = (node.workflow.staticData as Record<string, Record<string, string>>)['node:Trigger'];
			expect(stored.stripeEndpointId).toBe(endpoint.id);
			expect(await node.checkExists()).toBe(true);
			expect(stored.stripeEndpointSecret).toBe(endpoint.secret);
			// What Stripe itself sends to the registered endpoint, signed with that endpoint's secret.
			const [fromStripe] = stripeApi.endpointDeliveries('checkout.session.completed', JSON.parse(event).data.object);
			expect(fromStripe.url).toBe(node.webhookUrl());
			const call = await node.deliver(fromStripe);
			expect(call.items).toEqual([expect.objectContaining({ gateway: 'stripe', event: 'link.paid' })]);
			expect(await node.delete()).toBe(true);
			expect(stripeApi.endpoints.size).toBe(0);
			expect(await node.checkExists()).toBe(false);
		});

		it('activation fails with Stripe\'s message when the key cannot register the endpoint', async () => {
			const node = new TriggerUnderTest('paymentGatewayTrigger', { gateway: 'stripe' }, new TestCredentialsHelper(credentialTypes())
				.set('waCommerceStripeApi', { secretKey: 'sk_test_wrong', webhookSigningSecret: STRIPE_VECTOR.secret, baseUrl: stripeApi.baseUrl }), ['waCommerceStripeApi']);
			await expect(node.create()).rejects.toThrow(/Invalid API Key provided/);
			expect(stripeApi.endpoints.size).toBe(0);
		});
	});

	describe('PayU', () => {
		it('the official reverse-hash vector verifies and emits payment.succeeded', async () => {
			const fields = { ...PAYU_VECTOR.fields, key: PAYU_VECTOR.key, mihpayid: '403993715521', hash: PAYU_VECTOR.hash };
			expect(sha512Hex(`${PAYU_VECTOR.salt}|success|||||||||||test@payu.in|Jacob|mobile|1000|3123|${PAYU_VECTOR.key}`)).toBe(PAYU_VECTOR.hash);
			const node = trigger('payu', { confirmWithPayU: false });
			const call = await node.deliver(form(fields));
			expect(call.items).toEqual([expect.objectContaining({
				gateway: 'payu', event: 'payment.succeeded', eventId: '3123:success', reference: '3123', paymentId: '403993715521',
				amount: { minor: 100000, currency: 'INR', decimal: '1000.00' },
			})]);
			expect(JSON.stringify(call.items)).not.toContain(PAYU_VECTOR.hash);
			expect((await node.deliver(form(fields))).items).toEqual([]);
		});

		it('refuses a changed amount, a missing hash and a malformed notification', async () => {
			const node = trigger('payu', { confirmWithPayU: false });
			const fields = { ...PAYU_VECTOR.fields, key: PAYU_VECTOR.key, hash: PAYU_VECTOR.hash };
			refused(await node.deliver(form({ ...fields, amount: '1.00' })), 401);
			refused(await node.deliver(form({ ...fields, hash: '' })), 401);
			refused(await node.deliver(form({ amount: '1' })), 400);
		});
	});

	describe('Lyra', () => {
		it('the official kr-hash vector verifies with the password and emits payment.succeeded', async () => {
			const fields = { 'kr-hash': LYRA_VECTOR.hash, 'kr-hash-algorithm': 'sha256_hmac', 'kr-hash-key': 'password', 'kr-answer-type': 'V4/Payment', 'kr-answer': LYRA_VECTOR.answer };
			const call = await trigger('lyra').deliver(form(fields));
			expect(call.items).toEqual([expect.objectContaining({ gateway: 'lyra', event: 'payment.succeeded' })]);
		});

		it('uses the HMAC key for kr-hash-key sha256_hmac and refuses wrong keys, tampering and bad JSON', async () => {
			const answer = JSON.stringify({ shopId: '69876357', orderStatus: 'PAID', orderDetails: { orderTotalAmount: 2990, orderCurrency: 'EUR', orderId: 'A9' }, transactions: [{ uuid: 'u1', amount: 2990, currency: 'EUR' }] });
			const node = trigger('lyra');
			const ok = await node.deliver(form({ 'kr-hash': hmacSha256Hex('browser-hmac-key', answer), 'kr-hash-key': 'sha256_hmac', 'kr-answer': answer }));
			expect(ok.items).toEqual([expect.objectContaining({ reference: 'A9', paymentId: 'u1', amount: { minor: 2990, currency: 'EUR', decimal: '29.90' } })]);
			refused(await node.deliver(form({ 'kr-hash': hmacSha256Hex(LYRA_VECTOR.password, answer), 'kr-hash-key': 'sha256_hmac', 'kr-answer': answer })), 401);
			refused(await node.deliver(form({ 'kr-hash': LYRA_VECTOR.hash, 'kr-hash-key': 'password', 'kr-answer': LYRA_VECTOR.answer.replace('PAID', 'PAYD') })), 401);
			refused(await node.deliver(form({ 'kr-hash-key': 'password', 'kr-answer': answer })), 401);
			refused(await node.deliver(form({ 'kr-hash': hmacSha256Hex(LYRA_VECTOR.password, '{no'), 'kr-hash-key': 'password', 'kr-answer': '{no' })), 400);
			refused(await node.deliver(form({ 'kr-hash': 'ab' })), 400);
		});
	});
});
