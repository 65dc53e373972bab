/** The pure parts of the PayU and Lyra adapters: answer mapping, deadlines, refund look-ups, confirmation. */
import { payuRefundToken, refundIdempotencyKey } from '../../nodes/shared/gateways/idempotency';
import { toLink as lyraLink, toRefund as lyraRefund, transactionStatus } from '../../nodes/shared/gateways/lyra/adapter';
import { istDeadline, refundEntries, refundStatus, toLink as payuLink } from '../../nodes/shared/gateways/payu/adapter';
import { compareWithRecord } from '../../nodes/shared/gateways/payu/confirm';
import type { GatewayEvent } from '../../nodes/shared/gateways/types';
import { sha512Hex } from '../../nodes/shared/signatures';

describe('PayU adapter (pure parts)', () => {
	it('the postservice hash is the spec vector sha512(key|command|var1|salt)', () => {
		expect(sha512Hex('bjg$121|verify_payment|3123|vhgvs75')).toBe(
			'fd13e1a56cc6f5742edb8a78561ef4c2bc6aeb98b4591526772a81824657a87248a97bdd5517afa24a5be7f05b016e7e5867a1524c084e82de5c1594dd9c1bad',
		);
	});

	it('paymentDeadline is India time (UTC+05:30) as yyyy-MM-dd HH:mm:ss, across midnight', () => {
		expect(istDeadline(Date.UTC(2030, 0, 15, 6, 30, 0) / 1000)).toBe('2030-01-15 12:00:00');
		expect(istDeadline(Date.UTC(2030, 11, 31, 20, 0, 59) / 1000)).toBe('2031-01-01 01:30:59');
	});

	it('the refund token is 23 alphanumerics, stable for the same payment + amount + key, different otherwise', () => {
		const key = refundIdempotencyKey({ gateway: 'payu', paymentId: '403993715521937565', amountMinor: 49990 });
		const token = payuRefundToken(key);
		expect(token).toMatch(/^[a-z0-9]{23}$/);
		expect(payuRefundToken(refundIdempotencyKey({ gateway: 'payu', paymentId: '403993715521937565', amountMinor: 49990 }))).toBe(token);
		expect(payuRefundToken(refundIdempotencyKey({ gateway: 'payu', paymentId: '403993715521937565', amountMinor: 49991 }))).not.toBe(token);
		expect(payuRefundToken(refundIdempotencyKey({ gateway: 'payu', paymentId: '403993715521937565', amountMinor: 49990, userKey: 'CN-1' }))).not.toBe(token);
	});

	it('maps a link answer: rupee numbers to paise without float error, paid from successful transactions only', () => {
		const link = payuLink(
			{ invoiceNumber: 'INV-1', totalAmount: 1499.9, paymentLink: 'https://u.payu.in/x', active: true, customer: null, expiryDate: '2030-01-15 12:00:00' },
			'INV-1',
			[
				{ mihpayid: '1', amount: '0.10', status: 'success' },
				{ mihpayid: '2', amount: '0.20', status: 'success' },
				{ mihpayid: '3', amount: '1499.60', status: 'failure' },
			],
		);
		expect(link).toMatchObject({
			linkId: 'INV-1',
			status: 'partially_paid',
			amount: { minor: 149990, decimal: '1499.90' },
			amountPaid: { minor: 30, decimal: '0.30' },
			paymentIds: ['1', '2'],
			expiresAt: '2030-01-15 12:00:00',
		});
		expect(payuLink({ invoiceNumber: 'INV-2', totalAmount: 10, active: false }, 'INV-2').status).toBe('cancelled');
		expect(payuLink({ invoiceNumber: 'INV-3', totalAmount: 10, status: 'expired' }, 'INV-3').status).toBe('expired');
		expect(payuLink({ invoiceNumber: 'INV-4', totalAmount: 10 }, 'INV-4', [{ mihpayid: '9', amount: '10.00', status: 'success' }]).status).toBe('paid');
	});

	it('reads check_action_status answers (by request id and by payuid) into refunds', () => {
		const byPayuId = {
			status: 1,
			transaction_details: {
				'4039': {
					'131': { request_id: '131', token: 'abc', amount: '100.00', status: 'queued', action: 'refund' },
					'132': { request_id: '132', token: 'def', amount: '0.50', status: 'success', action: 'refund' },
					'133': { request_id: '133', amount: '5.00', status: 'success', action: 'capture' },
				},
			},
		};
		expect(refundEntries(byPayuId).map(({ requestId, token, minor, status }) => ({ requestId, token, minor, status }))).toEqual([
			{ requestId: '131', token: 'abc', minor: 10000, status: 'pending' },
			{ requestId: '132', token: 'def', minor: 50, status: 'processed' },
		]);
		expect(refundEntries({ status: 0, msg: 'No action status found' })).toEqual([]);
		expect(refundStatus('failure')).toBe('failed');
		expect(refundStatus('SUCCESS')).toBe('processed');
		expect(refundStatus(undefined)).toBe('pending');
	});

	describe('confirmation of a notification against verify_payment', () => {
		const event: GatewayEvent = {
			gateway: 'payu',
			event: 'payment.succeeded',
			eventId: 'T1:success',
			reference: 'T1',
			paymentId: '4039',
			amount: { minor: 100000, currency: 'INR', decimal: '1000.00' },
			occurredAt: '2026-11-22T13:00:00.000Z',
			raw: { txnid: 'T1', status: 'success', mihpayid: '4039', amount: '1000.00' },
		};
		it('confirms when status, mihpayid and amount agree (amount compared in paise: "1000" = "1000.00")', () => {
			expect(compareWithRecord(event, { status: 'success', mihpayid: '4039', amt: '1000' })).toEqual({ ok: true, event: { ...event, confirmed: true } });
		});
		it('refuses another status, another mihpayid, another amount, or no record', () => {
			expect(compareWithRecord(event, { status: 'failure', mihpayid: '4039', amt: '1000.00' }).ok).toBe(false);
			expect(compareWithRecord(event, { status: 'success', mihpayid: '4040', amt: '1000.00' }).ok).toBe(false);
			expect(compareWithRecord(event, { status: 'success', mihpayid: '4039', amt: '999.99' }).ok).toBe(false);
			expect(compareWithRecord(event, undefined).ok).toBe(false);
		});
	});
});

describe('Lyra adapter (pure parts)', () => {
	it('maps a payment order: integer minor amounts in the order currency, status, transactions', () => {
		const link = lyraLink({
			paymentOrderId: 'po1',
			paymentURL: 'https://secure.lyra.com/t/po1',
			paymentOrderStatus: 'PAID',
			amount: 1234,
			currency: 'KWD',
			orderId: 'ORD-1',
			transactionDetails: [{ uuid: 't1' }],
		}, true);
		expect(link).toMatchObject({ linkId: 'po1', status: 'paid', reference: 'ORD-1', amount: { minor: 1234, currency: 'KWD', decimal: '1.234' }, paymentIds: ['t1'], deliveredByGateway: true });
		expect(lyraLink({ paymentOrderId: 'po2', paymentOrderStatus: 'EXPIRED', amount: 5, currency: 'JPY' }).status).toBe('expired');
		expect(lyraLink({ paymentOrderId: 'po3', paymentOrderStatus: 'RUNNING', amount: 5, currency: 'EUR' }).status).toBe('created');
	});

	it('normalises transaction and refund statuses', () => {
		expect(transactionStatus({ status: 'PAID', detailedStatus: 'CAPTURED' })).toBe('captured');
		expect(transactionStatus({ status: 'RUNNING', detailedStatus: 'AUTHORISED' })).toBe('authorized');
		expect(transactionStatus({ status: 'PAID', detailedStatus: 'AUTHORISED' })).toBe('authorized');
		expect(transactionStatus({ status: 'UNPAID', detailedStatus: 'CANCELLED' })).toBe('failed');
		expect(transactionStatus({ status: 'UNPAID', detailedStatus: 'REFUSED' })).toBe('failed');
		expect(transactionStatus({ status: 'RUNNING', detailedStatus: 'WAITING_AUTHORISATION' })).toBe('pending');
		expect(lyraRefund({ uuid: 'r1', status: 'RUNNING', amount: 550, currency: 'EUR' }, 't1')).toMatchObject({ refundId: 'r1', paymentId: 't1', status: 'pending', amount: { minor: 550, decimal: '5.50' } });
		expect(lyraRefund({ uuid: 'r1', status: 'PAID', amount: 550, currency: 'EUR' }, 't1', true)).toMatchObject({ status: 'processed', replayed: true });
		expect(lyraRefund({ uuid: 'r1', status: 'UNPAID', amount: 550, currency: 'EUR' }, 't1').status).toBe('failed');
	});
});
