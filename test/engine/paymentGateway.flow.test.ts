import type { IDataObject } from 'n8n-workflow';

import { RazorpayCounterpart } from '../counterparts/razorpay';
import { StripeCounterpart } from '../counterparts/stripe';
import { runNode, TestCredentialsHelper } from '../harness/engine';
import { TriggerUnderTest } from '../harness/webhook';

/**
 * The PayLink loop across both nodes: Payment Gateway > Create, the customer pays at the (loopback) gateway,
 * the gateway's signed webhook reaches the Payment Gateway Trigger, and its event carries the same reference,
 * link and payment ids that Refund > Create then uses.
 */
describe('Payment Gateway node and trigger agree on ids (create -> paid webhook -> refund)', () => {
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
			.set('waCommerceRazorpayApi', { keyId: razorpay.keyId, keySecret: razorpay.keySecret, webhookSecret: razorpay.webhookSecret, baseUrl: razorpay.baseUrl })
			.set('waCommerceStripeApi', { secretKey: stripe.secretKey, webhookSigningSecret: stripe.webhookSigningSecret, baseUrl: stripe.baseUrl });
	const credentialOf = (gateway: string) => (gateway === 'razorpay' ? 'waCommerceRazorpayApi' : 'waCommerceStripeApi');
	const node = (gateway: string, parameters: IDataObject) =>
		runNode({ type: 'paymentGateway', parameters: { gateway, ...parameters }, credentials: [credentialOf(gateway)] }, [{}], credentials());
	const trigger = (gateway: string) => new TriggerUnderTest('paymentGatewayTrigger', { gateway }, credentials(), [credentialOf(gateway)]);

	it.each([
		['razorpay', 'INR', '1499.99', 149999],
		['stripe', 'EUR', '19.99', 1999],
	])('%s', async (gateway, currency, amount, minor) => {
		const created = await node(gateway, { resource: 'paymentLink', operation: 'create', amount, currency, reference: 'INV-9', description: 'Invoice INV-9', linkOptions: { callbackUrl: 'https://shop.example.com/paid', notes: '{"whatsapp": "919800000002"}' } });
		expect(created.error).toBeUndefined();
		const link = created.items[0].json;

		const delivery =
			gateway === 'razorpay'
				? (razorpay.markLinkPaid(link.linkId as string), razorpay.linkPaidWebhook(link.linkId as string))
				: (stripe.markLinkPaid(link.linkId as string), stripe.sessionCompletedWebhook(link.linkId as string));
		const paid = await trigger(gateway).deliver(delivery);
		expect(paid.response.statusCode ?? 200).toBe(200);
		expect(paid.items).toHaveLength(1);
		const event = paid.items[0] as IDataObject;
		expect(event).toMatchObject({ gateway, event: 'link.paid', reference: 'INV-9', linkId: link.linkId, amount: { minor, currency } });
		// The Notes given at creation come back with the event (e.g. the WhatsApp number to send the receipt to).
		expect(event.notes).toMatchObject({ whatsapp: '919800000002' });

		const refund = await node(gateway, { resource: 'refund', operation: 'create', paymentId: event.paymentId, refundType: 'full' });
		expect(refund.error).toBeUndefined();
		expect(refund.items[0].json).toMatchObject({ paymentId: event.paymentId, status: 'processed', amount: { minor, currency } });

		const refundDelivery = gateway === 'razorpay' ? razorpay.refundProcessedWebhook(refund.items[0].json.refundId as string) : stripe.refundWebhook(refund.items[0].json.refundId as string);
		const refunded = await trigger(gateway).deliver(refundDelivery);
		expect(refunded.items[0]).toMatchObject({ event: 'refund.processed', refundId: refund.items[0].json.refundId, paymentId: event.paymentId });
	});
});
