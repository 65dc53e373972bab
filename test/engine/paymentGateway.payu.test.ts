import { createHash } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import { runNode, TestCredentialsHelper } from '../harness/engine';
import { testCredential } from '../harness/credentialTest';
import { PayUCounterpart } from '../counterparts/payu';

describe('Payment Gateway: PayU India through the real engine', () => {
	const payu = new PayUCounterpart();
	beforeAll(async () => {
		await payu.start();
	});
	afterAll(async () => {
		await payu.stop();
	});
	beforeEach(() => payu.reset());

	const helperWith = (overrides: Record<string, string> = {}) => new TestCredentialsHelper().set('waCommercePayUApi', payu.credentials(overrides));
	const run = (parameters: IDataObject, options: { helper?: TestCredentialsHelper; input?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		runNode(
			{
				type: 'paymentGateway',
				parameters: { gateway: 'payu', ...parameters },
				credentials: ['waCommercePayUApi'],
				...(options.continueOnFail ? { continueOnFail: true } : {}),
			},
			options.input ?? [{}],
			options.helper ?? helperWith(),
		);
	const createLink = (extra: IDataObject = {}, helper?: TestCredentialsHelper) =>
		run(
			{
				resource: 'paymentLink',
				operation: 'create',
				amount: '1499.9',
				currency: 'INR',
				reference: 'INV-2001',
				description: 'Invoice INV-2001',
				customer: { name: 'Asha Rao', email: 'asha@example.com', phone: '+91 98765 43210' },
				linkOptions: { notes: '{"udf1": "erp-42", "ignored": "x"}' },
				...extra,
			},
			{ helper },
		);
	const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');

	it('Payment Link > Create: OAuth token by form, then Bearer + merchantId, rupees as a decimal string from paise', async () => {
		const result = await createLink();
		expect(result.error).toBeUndefined();
		const [token] = payu.received('POST', '/oauth/token');
		expect(token.headers['content-type']).toContain('application/x-www-form-urlencoded');
		expect(token.body).toEqual({
			client_id: payu.clientId,
			client_secret: payu.clientSecret,
			grant_type: 'client_credentials',
			scope: 'create_payment_links update_payment_links read_payment_links',
		});
		const [request] = payu.received('POST', '/payment-links');
		expect(request.headers.authorization).toMatch(/^Bearer [0-9a-f]{64}$/);
		expect(payu.tokens.has(request.headers.authorization.slice(7))).toBe(true);
		expect(request.headers.merchantid).toBe(payu.merchantId);
		expect(request.headers.mid).toBe(payu.merchantId);
		expect(request.body).toEqual({
			subAmount: '1499.90',
			currency: 'INR',
			description: 'Invoice INV-2001',
			source: 'API',
			invoiceNumber: 'INV-2001',
			isPartialPaymentAllowed: false,
			customer: { name: 'Asha Rao', email: 'asha@example.com', phone: '+919876543210' },
			udf: { udf1: 'erp-42' },
		});
		const link = payu.links.get('INV-2001')!;
		expect(result.items[0].json).toMatchObject({
			gateway: 'payu',
			linkId: 'INV-2001',
			url: link.paymentLink,
			status: 'created',
			reference: 'INV-2001',
			amount: { minor: 149990, currency: 'INR', decimal: '1499.90' },
			customer: { name: 'Asha Rao', email: 'asha@example.com', phone: '+919876543210' },
			deliveredByGateway: false,
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(JSON.stringify(result.items)).not.toContain(payu.clientSecret);
		expect(JSON.stringify(result.items)).not.toContain(request.headers.authorization.slice(7));
	});

	it('delivers over WhatsApp through PayU (viaWhatsapp + recipient) with an IST payment deadline', async () => {
		const expiresAt = Math.floor(Date.UTC(2030, 0, 15, 6, 30, 0) / 1000);
		const result = await createLink({ deliverOverWhatsApp: true, linkOptions: { expiresAt: String(expiresAt) } });
		expect(result.error).toBeUndefined();
		const [request] = payu.received('POST', '/payment-links');
		expect(request.body).toMatchObject({
			viaWhatsapp: true,
			whatsappRecipients: [{ phone: '+919876543210' }],
			paymentDeadline: '2030-01-15 12:00:00',
		});
		expect(result.items[0].json).toMatchObject({ deliveredByGateway: true, expiresAt: '2030-01-15 12:00:00' });
	});

	it('WhatsApp delivery without a phone is refused before anything is sent', async () => {
		const result = await createLink({ deliverOverWhatsApp: true, customer: { name: 'No Phone' } });
		expect(result.error?.message).toMatch(/phone/);
		expect(payu.requests).toHaveLength(0);
	});

	it('a non-INR amount and a sub-paisa amount are refused before anything is sent', async () => {
		expect((await createLink({ currency: 'EUR', amount: '10' })).error?.message).toMatch(/INR only/);
		expect((await createLink({ amount: '10.001' })).error?.message).toMatch(/decimals/);
		expect(payu.requests).toHaveLength(0);
	});

	it('the token is fetched once and reused by the next execution (expirable credential field)', async () => {
		const helper = helperWith();
		await createLink({}, helper);
		await run({ resource: 'paymentLink', operation: 'get', linkId: 'INV-2001' }, { helper });
		expect(helper.preAuthentications.get('waCommercePayUApi')).toBe(1);
		expect(payu.received('POST', '/oauth/token')).toHaveLength(1);
		const authorizations = new Set(payu.requests.filter((r) => r.path.startsWith('/payment-links')).map((r) => r.headers.authorization));
		expect(authorizations.size).toBe(1);
	});

	it('an expired token (401) is refreshed once and the call goes through', async () => {
		const helper = helperWith();
		await createLink({}, helper);
		payu.expireTokens();
		const got = await run({ resource: 'paymentLink', operation: 'get', linkId: 'INV-2001' }, { helper });
		expect(got.error).toBeUndefined();
		expect(got.items[0].json).toMatchObject({ linkId: 'INV-2001', status: 'created' });
		expect(payu.received('POST', '/oauth/token')).toHaveLength(2);
		expect(helper.preAuthentications.get('waCommercePayUApi')).toBe(2);
	});

	it('a wrong client secret fails the token request with an error that never shows the secret; nothing is created', async () => {
		const result = await createLink({}, helperWith({ clientSecret: 'wrong-client-secret-42' }));
		expect(result.error).toBeDefined();
		expect(result.error?.message).toContain('Authorization failed - please check your credentials');
		expect(JSON.stringify(result.error)).not.toContain('wrong-client-secret-42');
		expect(payu.received('POST', '/payment-links')).toHaveLength(0);
		expect(payu.links.size).toBe(0);
	});

	it('a reused invoice number returns the existing link (replayed) for the same amount; another amount is refused, naming it', async () => {
		const first = await createLink();
		const again = await createLink();
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ linkId: first.items[0].json.linkId, replayed: true });
		const other = await createLink({ amount: '10.00' });
		expect(other.error?.message).toMatch(/Reference: The invoice number INV-2001 was used for a PayU link of 1499\.90 INR/);
		expect(other.error?.description).toMatch(/new reference/);
		expect(payu.received('POST', '/payment-links')).toHaveLength(1);
	});

	it('"Invoice Number already exists" (made elsewhere between look-up and POST) is PayU\'s own answer: the link is returned', async () => {
		let raced = false;
		payu.inject((r) => {
			// Another client takes the invoice number between our look-up and our POST.
			if (!raced && r.method === 'POST' && r.path === '/payment-links') {
				raced = true;
				return { status: 200, body: { status: -1, message: 'Invoice Number already exists', result: null, errorCode: 'PL_007' } };
			}
			return undefined;
		});
		const result = await createLink();
		// The counterpart refused without creating: the look-up after the conflict finds nothing, so PayU's message stands.
		expect(result.error?.message).toContain('Invoice Number already exists');
		expect(result.error?.description).toMatch(/new reference|get the existing link/);
	});

	it('Get reads the link and its transactions (paid, with the mihpayid); Cancel refuses a paid link', async () => {
		await createLink();
		const txn = payu.payLink('INV-2001');
		const got = await run({ resource: 'paymentLink', operation: 'get', linkId: 'INV-2001' });
		expect(got.items[0].json).toMatchObject({ status: 'paid', amountPaid: { minor: 149990, decimal: '1499.90' }, paymentIds: [txn.mihpayid] });
		expect(payu.received('GET', '/payment-links/INV-2001/txns')).toHaveLength(1);
		const cancel = await run({ resource: 'paymentLink', operation: 'cancel', linkId: 'INV-2001' });
		expect(cancel.error?.message).toContain('cannot be deactivated');
	});

	it('Get reads an expired link as expired', async () => {
		await createLink();
		payu.expireLink('INV-2001');
		expect((await run({ resource: 'paymentLink', operation: 'get', linkId: 'INV-2001' })).items[0].json.status).toBe('expired');
	});

	it('Cancel deactivates an unpaid link with DELETE', async () => {
		await createLink();
		const cancel = await run({ resource: 'paymentLink', operation: 'cancel', linkId: 'INV-2001' });
		expect(cancel.error).toBeUndefined();
		expect(payu.received('DELETE', '/payment-links/INV-2001')).toHaveLength(1);
		expect(cancel.items[0].json.status).toBe('cancelled');
	});

	describe('Refunds (postservice)', () => {
		let mihpayid: string;
		beforeEach(async () => {
			await createLink();
			mihpayid = payu.payLink('INV-2001').mihpayid;
		});
		const refund = (extra: IDataObject = {}) => run({ resource: 'refund', operation: 'create', paymentId: mihpayid, ...extra });

		it('sends key, command, var1 mihpayid, var2 token, var3 rupees and hash = sha512(key|command|var1|salt)', async () => {
			const result = await refund({ refundType: 'partial', amount: '499.9', currency: 'INR', reason: 'item missing' });
			expect(result.error).toBeUndefined();
			const [request] = payu.received('POST', '/merchant/postservice.php');
			expect(request.query).toEqual({ form: '2' });
			expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
			const form = request.body as Record<string, string>;
			expect(form).toEqual({
				key: payu.merchantKey,
				command: 'cancel_refund_transaction',
				var1: mihpayid,
				var2: expect.stringMatching(/^[0-9a-f]{23}$/),
				var3: '499.90',
				hash: sha512(`${payu.merchantKey}|cancel_refund_transaction|${mihpayid}|${payu.merchantSalt}`),
			});
			expect(request.rawBody.toString()).not.toContain(payu.merchantSalt);
			const refundEntity = [...payu.refunds.values()][0];
			expect(result.items[0].json).toMatchObject({
				gateway: 'payu',
				refundId: refundEntity.request_id,
				paymentId: mihpayid,
				status: 'pending',
				amount: { minor: 49990, currency: 'INR', decimal: '499.90' },
			});
			expect(result.items[0].json.replayed).toBe(false);
		});

		it('re-running the same refund gets 106 "Token already exists" and returns the first refund (replayed), never a second one', async () => {
			const first = await refund({ refundType: 'partial', amount: '100', currency: 'INR' });
			const second = await refund({ refundType: 'partial', amount: '100', currency: 'INR' });
			expect(second.error).toBeUndefined();
			expect(payu.refunds.size).toBe(1);
			const [a, b] = payu.received('POST', '/merchant/postservice.php').filter((r) => (r.body as IDataObject).command === 'cancel_refund_transaction');
			expect((b.body as IDataObject).var2).toBe((a.body as IDataObject).var2);
			expect(second.items[0].json).toMatchObject({ refundId: first.items[0].json.refundId, replayed: true, amount: { minor: 10000 }, status: 'pending' });
		});

		it('a second equal partial refund with another key meets PayU\'s 5-minute rule (214) with what to do', async () => {
			await refund({ refundType: 'partial', amount: '100', currency: 'INR', refundKey: 'CN-1' });
			const again = await refund({ refundType: 'partial', amount: '100', currency: 'INR', refundKey: 'CN-2' });
			expect(again.error?.message).toContain('within 5 minutes');
			expect(again.error?.message).toContain('214');
			expect(again.error?.description).toMatch(/5 minutes/);
			expect(payu.refunds.size).toBe(1);
		});

		it('an over-refund keeps PayU\'s code and message and is not retried', async () => {
			const result = await refund({ refundType: 'partial', amount: '2000', currency: 'INR' });
			expect(result.error?.message).toContain('greater than the refundable amount');
			expect(result.error?.message).toContain('117');
			expect(payu.received('POST', '/merchant/postservice.php')).toHaveLength(1);
		});

		it('a full refund of an untouched payment refunds all of it', async () => {
			const full = await refund({ refundType: 'full' });
			expect(full.error).toBeUndefined();
			expect(full.items[0].json).toMatchObject({ status: 'pending', amount: { minor: 149990, decimal: '1499.90' } });
		});

		it('a full refund reads what is left (check_payment + check_action_status), then "fully refunded" is refused before sending', async () => {
			await refund({ refundType: 'partial', amount: '499.90', currency: 'INR' });
			const full = await refund({ refundType: 'full' });
			expect(full.error).toBeUndefined();
			expect(full.items[0].json.amount).toEqual({ minor: 100000, currency: 'INR', decimal: '1000.00' });
			expect(payu.refundedPaise(mihpayid)).toBe(149990);
			const sent = payu.received('POST', '/merchant/postservice.php').length;
			const again = await refund({ refundType: 'full', refundKey: 'again' });
			expect(again.error?.message).toMatch(/fully refunded already/);
			expect(payu.received('POST', '/merchant/postservice.php').filter((r) => (r.body as IDataObject).command === 'cancel_refund_transaction')).toHaveLength(2);
			// check_action_status for the full refund's token (a re-run would find it), check_payment, check_action_status.
			expect(payu.received('POST', '/merchant/postservice.php').length).toBe(sent + 3);
		});

		it('Refund > Get follows the refund to processed; Payment > Get shows partially refunded', async () => {
			const created = await refund({ refundType: 'partial', amount: '99.99', currency: 'INR' });
			const refundId = created.items[0].json.refundId as string;
			expect((await run({ resource: 'refund', operation: 'get', refundId })).items[0].json).toMatchObject({ refundId, status: 'pending', paymentId: mihpayid });
			payu.settleRefunds();
			const got = await run({ resource: 'refund', operation: 'get', refundId });
			expect(got.items[0].json).toMatchObject({ refundId, status: 'processed', amount: { minor: 9999, decimal: '99.99' } });
			const getRequest = payu.received('POST', '/merchant/postservice.php').at(-1)!;
			expect(getRequest.body).toMatchObject({ command: 'check_action_status', var1: refundId, hash: sha512(`${payu.merchantKey}|check_action_status|${refundId}|${payu.merchantSalt}`) });
			const payment = await run({ resource: 'payment', operation: 'get', paymentId: mihpayid });
			expect(payment.items[0].json).toMatchObject({
				gateway: 'payu',
				paymentId: mihpayid,
				status: 'partially_refunded',
				amount: { minor: 149990, decimal: '1499.90' },
				amountRefunded: { minor: 9999, decimal: '99.99' },
				method: 'UPI',
				customer: { name: 'Asha Rao', email: 'asha@example.com' },
			});
		});

		it('a wrong salt is refused by PayU ("Invalid Hash.") and the salt never appears in the error', async () => {
			const result = await refund({ refundType: 'partial', amount: '1', currency: 'INR' });
			expect(result.error).toBeUndefined();
			const wrong = await run(
				{ resource: 'refund', operation: 'create', paymentId: mihpayid, refundType: 'partial', amount: '2', currency: 'INR' },
				{ helper: helperWith({ merchantSaltSecret: 'not-the-salt-123' }) },
			);
			expect(wrong.error?.message).toContain('Invalid Hash.');
			expect(JSON.stringify(wrong.error)).not.toContain('not-the-salt-123');
		});

		it('a refund in another currency than INR is refused before sending', async () => {
			const result = await refund({ refundType: 'partial', amount: '5', currency: 'USD' });
			expect(result.error?.message).toMatch(/INR only/);
			expect(payu.received('POST', '/merchant/postservice.php')).toHaveLength(0);
		});

		it('an unknown payment keeps PayU\'s message', async () => {
			const result = await run({ resource: 'payment', operation: 'get', paymentId: '999' });
			expect(result.error?.message).toContain('Transaction not found');
		});
	});

	it('continueOnFail: a bad item becomes an error item naming the field, the others go through', async () => {
		const result = await run(
			{ resource: 'paymentLink', operation: 'create', amount: '={{$json.amount}}', currency: 'INR', reference: '={{$json.ref}}', description: 'x' },
			{ input: [{ amount: '10', ref: 'A-1' }, { amount: '1.234', ref: 'A-2' }, { amount: '20', ref: 'A-3' }], continueOnFail: true },
		);
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.linkId).toBe('A-1');
		expect(String(result.items[1].json.error)).toMatch(/^Amount: /);
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[2].json.linkId).toBe('A-3');
		expect(payu.received('POST', '/payment-links')).toHaveLength(2);
	});

	it('retries a 503 from OneAPI, then succeeds with one link', async () => {
		let faults = 0;
		payu.inject((r) => (r.path === '/payment-links' && faults++ < 1 ? { status: 503, body: 'busy' } : undefined));
		const result = await createLink();
		expect(result.error).toBeUndefined();
		expect(payu.received('POST', '/payment-links')).toHaveLength(2);
		expect(payu.links.size).toBe(1);
	});

	it('credential test: the token request passes with the right client, fails with a wrong secret', async () => {
		expect((await testCredential('waCommercePayUApi', payu.credentials())).status).toBe('OK');
		const wrong = await testCredential('waCommercePayUApi', payu.credentials({ clientSecret: 'wrong-client-secret' }));
		expect(wrong.status).toBe('Error');
		expect(wrong.message).not.toContain('wrong-client-secret');
	});
});
