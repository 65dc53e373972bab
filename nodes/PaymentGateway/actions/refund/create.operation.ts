import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { serialize } from '../../../shared/effects/serialize';
import { refundIdempotencyKey } from '../../../shared/gateways/idempotency';
import { adapterFor, amountFields, readMoney, requiredText, toOutput } from '../common';

const show = (extra: IDataObject = {}) => ({ show: { resource: ['refund'], operation: ['create'], ...extra } });

export const description: INodeProperties[] = [
	{
		displayName: 'Payment ID',
		name: 'paymentId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'pay_29QQoUBi66xm2f',
		description: 'The payment to refund (Razorpay pay_..., Stripe PaymentIntent pi_..., PayU mihpayid, Lyra transaction UUID), e.g. from the Payment Gateway Trigger',
		displayOptions: show(),
	},
	{
		displayName: 'Refund Type',
		name: 'refundType',
		type: 'options',
		default: 'full',
		options: [
			{ name: 'Full (Everything Left)', value: 'full' },
			{ name: 'Partial', value: 'partial' },
		],
		displayOptions: show(),
	},
	...amountFields('refund', ['create'], { refundType: ['partial'] }),
	{ displayName: 'Reason', name: 'reason', type: 'string', default: '', description: 'Why the refund is issued (stored with it)', displayOptions: show() },
	{
		displayName: 'Refund Key',
		name: 'refundKey',
		type: 'string',
		default: '',
		placeholder: 'CN-2024-0042',
		description: 'Optional: your credit note number. Re-running with the same payment, amount and key never refunds twice; a different key allows a second, equal partial refund on purpose.',
		displayOptions: show(),
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const adapter = adapterFor(this, itemIndex);
	const paymentId = requiredText(this, 'paymentId', itemIndex, 'Payment ID');
	const partial = this.getNodeParameter('refundType', itemIndex, 'full') === 'partial';
	const amount = partial ? readMoney(this, itemIndex) : undefined;
	const reason = String(this.getNodeParameter('reason', itemIndex, '') ?? '').trim() || undefined;
	const userKey = String(this.getNodeParameter('refundKey', itemIndex, '') ?? '').trim() || undefined;
	const idempotencyKey = refundIdempotencyKey({ gateway: adapter.id, paymentId, amountMinor: amount?.minor, userKey });
	// One refund of a payment at a time in this n8n process: the next one sees it (look-up, what is left).
	const refund = await serialize(`refund:${adapter.id}:${paymentId}`, async () => await adapter.refund(this, { paymentId, amount, reason, idempotencyKey }));
	// Always present, so a workflow can branch on it: true = this refund existed before, nothing was refunded now.
	return toOutput({ ...refund, replayed: refund.replayed === true, idempotencyKey });
}
