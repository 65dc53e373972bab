import type { IDataObject } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { PaymentGateway } from '../../nodes/PaymentGateway/PaymentGateway.node';
import { gatewayAdapters, getAdapter } from '../../nodes/shared/gateways';
import { RazorpayCounterpart } from '../counterparts/razorpay';
import { StripeCounterpart } from '../counterparts/stripe';
import { runNode, TestCredentialsHelper } from '../harness/engine';

/** What every gateway shares: input refused before sending, per-item errors, pairedItem, no secrets out. */
describe('Payment Gateway: common behaviour through the real engine', () => {
	const razorpay = new RazorpayCounterpart();
	const stripe = new StripeCounterpart();
	beforeAll(async () => {
		await Promise.all([razorpay.start(), stripe.start()]);
	});
	afterAll(async () => {
		await Promise.all([razorpay.stop(), stripe.stop()]);
	});
	beforeEach(() => {
		razorpay.reset();
		stripe.reset();
	});

	const credentials = () =>
		new TestCredentialsHelper()
			.set('waCommerceRazorpayApi', { keyId: razorpay.keyId, keySecret: razorpay.keySecret, webhookSecret: 'rzp-webhook-secret-value', baseUrl: razorpay.baseUrl })
			.set('waCommerceStripeApi', { secretKey: stripe.secretKey, webhookSigningSecret: 'whsec_never_shown_value', baseUrl: stripe.baseUrl })
			.set('waCommerceLyraApi', { baseUrl: 'custom', customBaseUrl: 'http://127.0.0.1:9', shopId: '69876357', password: 'testpassword_never_shown', hmacSecretKey: 'hmac_never_shown' });
	const run = (gateway: string, parameters: IDataObject, input: IDataObject[] = [{}], continueOnFail = false) =>
		runNode(
			{
				type: 'paymentGateway',
				parameters: { gateway, ...parameters },
				credentials: [{ razorpay: 'waCommerceRazorpayApi', stripe: 'waCommerceStripeApi', lyra: 'waCommerceLyraApi' }[gateway] as string],
				...(continueOnFail ? { continueOnFail: true } : {}),
			},
			input,
			credentials(),
		);
	const create = (gateway: string, extra: IDataObject = {}, input: IDataObject[] = [{}], continueOnFail = false) =>
		run(gateway, { resource: 'paymentLink', operation: 'create', amount: '100.00', currency: 'INR', reference: 'REF-1', linkOptions: { callbackUrl: 'https://shop.example.com/thanks' }, ...extra }, input, continueOnFail);

	describe.each(['razorpay', 'stripe'])('%s: bad input is refused with nothing sent, naming the field and the item', (gateway) => {
		const nothingSent = () => expect([...razorpay.requests, ...stripe.requests]).toHaveLength(0);
		it.each([
			['too many decimals', { amount: '10.001' }, /Amount: "10\.001" has more decimals than INR allows \(2\) \(item 1\)/],
			['a comma in the amount', { amount: '1,499.00' }, /Amount: .* is not a decimal amount/],
			['a zero amount', { amount: '0' }, /Amount: the amount must be greater than 0/],
			['a negative amount', { amount: '-5' }, /Amount: the amount must not be negative/],
			['minor units that are not whole', { amountFormat: 'minor', amount: '1999.5' }, /Amount: .* is not a whole number of minor units/],
			['a currency that is not ISO 4217', { currency: 'RUPEES' }, /Currency: "RUPEES" is not a 3-letter ISO 4217 currency code/],
			['an empty reference', { reference: '  ' }, /^Reference is required \(item 1\)/],
			['a phone without digits', { customer: { phone: 'call me' } }, /Customer › Phone: "call me" is not a phone number/],
			['a bad email', { customer: { email: 'asha@' } }, /Customer › Email: "asha@" is not an email address/],
			['a callback that is not http(s)', { linkOptions: { callbackUrl: 'javascript:alert(1)' } }, /Options › Callback URL/],
			['notes that are not an object', { linkOptions: { notes: '[1,2]' } }, /Options › Notes: Notes must be a JSON object/],
			['an expiry in the past', { linkOptions: { expiresAt: '2020-01-01T00:00:00Z' } }, /Options › Expires At: The expiry must be in the future/],
		])('%s', async (_label, extra, message) => {
			const result = await create(gateway, extra as IDataObject);
			expect(result.error?.message).toMatch(message);
			expect(result.error?.context?.itemIndex ?? result.error?.itemIndex).toBe(0);
			nothingSent();
		});

		it('a partial refund without an amount, and an empty payment id', async () => {
			// An expression that resolves to nothing (n8n itself refuses an empty literal before running).
			const noAmount = await run(gateway, { resource: 'refund', operation: 'create', paymentId: 'pay_1', refundType: 'partial', amount: '={{ $json.amount }}', currency: 'INR' }, [{ amount: '' }]);
			expect(noAmount.error?.message).toMatch(/^Amount: /);
			const noId = await run(gateway, { resource: 'payment', operation: 'get', paymentId: '={{ $json.id }}' }, [{ id: ' ' }]);
			expect(noId.error?.message).toMatch(/^Payment ID is required \(item 1\)/);
			nothingSent();
		});
	});

	it('amounts in minor units go out unchanged; the same amount as a decimal gives the same request', async () => {
		await create('razorpay', { amountFormat: 'minor', amount: '149999', reference: 'A' });
		await create('razorpay', { amount: '1499.99', reference: 'B' });
		const [minor, decimal] = razorpay.received('POST', '/v1/payment_links').map((request) => (request.body as IDataObject).amount);
		expect(minor).toBe(149999);
		expect(decimal).toBe(149999);
	});

	it('continueOnFail: a bad item becomes an error item with its pairedItem, the others go on and nothing is sent for it', async () => {
		const input = [
			{ amount: '10.00', ref: 'R-1' },
			{ amount: '10.005', ref: 'R-2' },
			{ amount: '30.00', ref: 'R-1' },
			{ amount: '40.00', ref: 'R-4' },
		];
		const result = await create('razorpay', { amount: '={{ $json.amount }}', reference: '={{ $json.ref }}' }, input, true);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(result.items[0].json).toMatchObject({ reference: 'R-1', amount: { minor: 1000 } });
		expect(result.items[1].json.error).toMatch(/Amount: "10\.005" has more decimals than INR allows \(2\) \(item 2\)/);
		// Item 2 reuses a reference for another amount: Razorpay refuses it ("reference ID already attempted"), the
		// link found by that reference is item 0's, so the item error names the reference and both amounts.
		expect(result.items[2].json.error).toMatch(/Reference: The reference R-1 was used for a Razorpay link of 10\.00 INR \(plink_\w+\), not 30\.00 INR \(item 3\)/);
		expect(result.items[3].json).toMatchObject({ reference: 'R-4', amount: { minor: 4000 } });
		expect((razorpay.received('POST', '/v1/payment_links').map((request) => (request.body as IDataObject).amount))).toEqual([1000, 3000, 4000]);
	});

	it('without continueOnFail the first failing item stops the node and is named', async () => {
		const result = await create('stripe', { amount: '={{ $json.amount }}', reference: 'X' }, [{ amount: '5.00' }, { amount: 'five' }]);
		expect(result.error?.message).toMatch(/\(item 2\)/);
		expect(result.error?.context?.itemIndex ?? result.error?.itemIndex).toBe(1);
		expect(stripe.received('POST', '/v1/checkout/sessions')).toHaveLength(1);
	});

	it('secrets never appear in outputs or errors, for success, remote errors and input errors', async () => {
		const secrets = [razorpay.keySecret, 'rzp-webhook-secret-value', stripe.secretKey, 'whsec_never_shown_value', Buffer.from(`${razorpay.keyId}:${razorpay.keySecret}`).toString('base64')];
		const runs = [
			await create('razorpay'),
			await create('stripe', { currency: 'EUR' }),
			await run('razorpay', { resource: 'refund', operation: 'create', paymentId: 'pay_missing', refundType: 'full' }),
			await run('stripe', { resource: 'refund', operation: 'create', paymentId: 'pi_missing', refundType: 'full' }, [{}], true),
			await create('stripe', { amount: 'abc' }),
		];
		for (const result of runs) {
			const text = JSON.stringify({ items: result.items, error: result.error, errorDescription: result.error?.description, context: result.error?.context, data: result.run.data.resultData });
			for (const secret of secrets) expect(text).not.toContain(secret);
		}
		expect(runs[0].items[0].json.url).toBeTruthy();
		expect(runs[3].items[0].json.error).toContain("No such payment_intent: 'pi_missing'");
	});

	it('Lyra/PayZen has no cancel: the node says so before sending anything', async () => {
		const result = await run('lyra', { resource: 'paymentLink', operation: 'cancel', linkId: 'abc123' });
		expect(result.error?.message).toMatch(/Operation: Lyra \/ PayZen has no API to cancel a payment link \(item 1\)/);
		expect(result.error?.description).toMatch(/expiry|refund/);
	});

	describe('node description', () => {
		const description = new PaymentGateway().description;

		it('shows exactly one credential per gateway, the adapter\'s own', () => {
			const gateways = description.properties.find((property) => property.name === 'gateway')!.options!.map((option) => (option as { value: string }).value);
			expect(gateways).toEqual(['lyra', 'payu', 'razorpay', 'stripe']);
			for (const gateway of gateways) {
				// n8n-workflow's own rule, as the editor and the engine apply it to the node's parameters.
				const shown = (description.credentials ?? []).filter((credential) => NodeHelpers.displayParameter({ gateway }, credential, null, description));
				expect(shown.map((credential) => credential.name)).toEqual([getAdapter(gateway).credentialType]);
			}
			expect(Object.keys(gatewayAdapters).sort()).toEqual(gateways);
		});

		it('keeps Gateway a visible parameter: no credential has a `show` rule, which n8n\'s editor would read as the authentication field to hide and set by itself (issue 19, item 1)', () => {
			for (const credential of description.credentials ?? []) expect(credential.displayOptions?.show).toBeUndefined();
		});

		it('"Deliver over WhatsApp by the gateway" is shown only for the gateways that can', () => {
			const option = description.properties.find((property) => property.name === 'deliverOverWhatsApp')!;
			const native = Object.values(gatewayAdapters).filter((adapter) => adapter.capabilities.nativeWhatsApp).map((adapter) => adapter.id).sort();
			expect(option.displayOptions?.show?.gateway).toEqual(native);
			expect(native).toEqual(['lyra', 'payu']);
		});

		it('is usable as a tool', () => {
			expect(description.usableAsTool).toBe(true);
		});
	});
});
