/**
 * The Notes given when a link is created come back on every gateway's normalized event (pure functions: the
 * engine-level round trip for Razorpay and Stripe is in test/engine/paymentGateway.flow.test.ts).
 */
import * as lyra from '../../nodes/shared/gateways/lyra/webhook';
import * as payu from '../../nodes/shared/gateways/payu/webhook';
import * as razorpay from '../../nodes/shared/gateways/razorpay/webhook';
import * as stripe from '../../nodes/shared/gateways/stripe/webhook';
import type { WebhookRequest } from '../../nodes/shared/gateways/types';
import type { IDataObject } from 'n8n-workflow';

const request = (body: IDataObject): WebhookRequest => ({ rawBody: Buffer.from(''), headers: {}, body, query: {} });

describe('normalized gateway events carry the link Notes', () => {
	it('Razorpay: the payment link notes, and none when Razorpay sends an empty array', () => {
		const paid = (notes: unknown) => razorpay.toEvents(request({
			event: 'payment_link.paid',
			created_at: 1700000000,
			payload: {
				payment_link: { entity: { id: 'plink_1', amount: 1000, currency: 'INR', reference_id: 'R1', notes } },
				payment: { entity: { id: 'pay_1', amount: 1000, currency: 'INR', notes: [] } },
			},
		}))[0];
		expect(paid({ whatsapp: '919800000002' }).notes).toEqual({ whatsapp: '919800000002' });
		expect(paid([]).notes).toBeUndefined();
	});

	it('Stripe: the session metadata, without the reference key the adapter adds itself', () => {
		const [event] = stripe.toEvents(request({
			id: 'evt_1', type: 'checkout.session.completed', created: 1700000000,
			data: { object: { id: 'cs_1', object: 'checkout.session', amount_total: 1999, currency: 'eur', payment_status: 'paid', metadata: { erp_id: '42', reference: 'R1' } } },
		}));
		expect(event).toMatchObject({ reference: 'R1', notes: { erp_id: '42' } });
		expect(event.notes).toEqual({ erp_id: '42' });
	});

	it('PayU: the non-empty udf1-udf5 fields', () => {
		const [event] = payu.toEvents(request({ status: 'success', txnid: 'T1', amount: '10.00', udf1: 'ERP-7', udf2: '', udf3: 'whatsapp' }));
		expect(event.notes).toEqual({ udf1: 'ERP-7', udf3: 'whatsapp' });
		expect(payu.toEvents(request({ status: 'success', txnid: 'T2', amount: '10.00' }))[0].notes).toBeUndefined();
	});

	it('Lyra: the transaction metadata', () => {
		const answer = { orderStatus: 'PAID', orderDetails: { orderId: 'O1', orderTotalAmount: 990, orderCurrency: 'EUR' }, transactions: [{ uuid: 'u1', metadata: { erp_id: '42' } }] };
		expect(lyra.toEvents(request({ 'kr-answer': JSON.stringify(answer) }))[0].notes).toEqual({ erp_id: '42' });
	});
});
