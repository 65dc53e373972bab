import { createHash } from 'crypto';

import { PayUCounterpart } from '../counterparts/payu';
import { TestCredentialsHelper } from '../harness/engine';
import { TriggerUnderTest } from '../harness/webhook';

/** PayU notifications confirmed with verify_payment before the workflow starts (the trigger's default). */
describe('Payment Gateway Trigger: PayU notifications confirmed with verify_payment', () => {
	const payu = new PayUCounterpart();
	beforeAll(async () => {
		await payu.start();
	});
	afterAll(async () => {
		await payu.stop();
	});
	beforeEach(() => payu.reset());

	const trigger = (parameters: Record<string, unknown> = {}) =>
		new TriggerUnderTest(
			'paymentGatewayTrigger',
			{ gateway: 'payu', ...parameters },
			new TestCredentialsHelper().set('waCommercePayUApi', payu.credentials()),
			['waCommercePayUApi'],
		);
	const form = (fields: Record<string, string>) => ({
		rawBody: new URLSearchParams(fields).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
	});
	const verifications = () => payu.received('POST', '/merchant/postservice.php');

	it('a signed success that PayU confirms is emitted once, marked confirmed, after a hashed verify_payment', async () => {
		const txn = payu.addTransaction({ paise: 149990, txnid: 'TXN-9001' });
		const node = trigger();
		const call = await node.deliver(form(payu.notification(txn)));
		expect(call.response.statusCode).toBeUndefined();
		expect(call.items).toEqual([
			expect.objectContaining({
				gateway: 'payu',
				event: 'payment.succeeded',
				reference: 'TXN-9001',
				paymentId: txn.mihpayid,
				amount: { minor: 149990, currency: 'INR', decimal: '1499.90' },
				confirmed: true,
			}),
		]);
		const [request] = verifications();
		expect(request.body).toEqual({
			key: payu.merchantKey,
			command: 'verify_payment',
			var1: 'TXN-9001',
			hash: createHash('sha512').update(`${payu.merchantKey}|verify_payment|TXN-9001|${payu.merchantSalt}`).digest('hex'),
		});
		// The same notification again: confirmed again, then dropped as a duplicate.
		expect((await node.deliver(form(payu.notification(txn)))).items).toEqual([]);
	});

	it('a validly hashed "success" for a payment PayU records as failed is refused (400), nothing emitted', async () => {
		const txn = payu.addTransaction({ paise: 50000, txnid: 'TXN-9002', status: 'failure' });
		const call = await trigger().deliver(form(payu.notification({ ...txn, status: 'success' })));
		expect(call.response.statusCode).toBe(400);
		expect(call.items).toEqual([]);
		expect(verifications()).toHaveLength(1);
	});

	it('a notified amount that differs from PayU\'s record is refused', async () => {
		const txn = payu.addTransaction({ paise: 50000, txnid: 'TXN-9003' });
		const call = await trigger().deliver(form(payu.notification({ ...txn, paise: 5000 })));
		expect(call.response.statusCode).toBe(400);
		expect(call.items).toEqual([]);
	});

	it('a transaction PayU does not know is refused', async () => {
		const call = await trigger().deliver(form(payu.notification({ ...payu.addTransaction({ paise: 100 }), txnid: 'UNKNOWN-1' })));
		expect(call.response.statusCode).toBe(400);
		expect(call.items).toEqual([]);
	});

	it('when PayU cannot confirm (refused call), the answer is 503 and a redelivery is still emitted (not taken for a duplicate)', async () => {
		const txn = payu.addTransaction({ paise: 100, txnid: 'TXN-9010' });
		const node = trigger();
		const remove = payu.inject((r) => (r.path === '/merchant/postservice.php' ? { status: 403, body: 'Forbidden' } : undefined));
		const first = await node.deliver(form(payu.notification(txn)));
		expect(first.response.statusCode).toBe(503);
		expect(first.items).toEqual([]);
		remove();
		const again = await node.deliver(form(payu.notification(txn)));
		expect(again.items).toEqual([expect.objectContaining({ reference: 'TXN-9010', confirmed: true })]);
	});

	it('a bad hash is refused before PayU is asked anything', async () => {
		const txn = payu.addTransaction({ paise: 100, txnid: 'TXN-9004' });
		const call = await trigger().deliver(form({ ...payu.notification(txn), amount: '2.00' }));
		expect(call.response.statusCode).toBe(401);
		expect(payu.requests).toHaveLength(0);
	});

	it('with confirmation off, a signed notification is emitted without asking PayU', async () => {
		const txn = payu.addTransaction({ paise: 100, txnid: 'TXN-9005' });
		const call = await trigger({ confirmWithPayU: false }).deliver(form(payu.notification(txn)));
		expect(call.items).toHaveLength(1);
		expect(call.items[0].confirmed).toBeUndefined();
		expect(payu.requests).toHaveLength(0);
	});

	it('events not selected are not confirmed (no call to PayU)', async () => {
		const txn = payu.addTransaction({ paise: 100, txnid: 'TXN-9006', status: 'failure' });
		const call = await trigger({ events: ['payment.succeeded'] }).deliver(form(payu.notification(txn)));
		expect(call.items).toEqual([]);
		expect(payu.requests).toHaveLength(0);
	});
});
