import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { createOnce } from '../../../shared/effects/createOnce';
import { serialize } from '../../../shared/effects/serialize';
import { InputError } from '../../../shared/errors';
import { graphRequest } from '../../../shared/meta/graph';
import { fromOffsetAmount, moneyView, normalizeCurrency, toMinor, toOffsetAmount } from '../../../shared/money';
import { getPhoneNumberId } from '../common';
import { paymentConfigurationField, readPick } from '../pickers';

const show = { show: { resource: ['order'], operation: ['refundPayment'] } };

export const description: INodeProperties[] = [
	paymentConfigurationField(show, 'Payment configuration the order was paid with'),
	{
		displayName: 'Reference ID',
		name: 'referenceId',
		type: 'string',
		required: true,
		default: '',
		description: 'The reference ID of the paid order',
		displayOptions: show,
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		default: '',
		placeholder: '199.99',
		description: 'Amount to refund in major units as a decimal (e.g. 199.99); the full amount for a full refund. Meta takes no idempotency key: a refund of this amount already on the order is returned (replayed) instead of refunding again, so a second equal refund of one order is made at the gateway.',
		displayOptions: show,
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: 'INR',
		displayOptions: show,
	},
	{
		displayName: 'Speed',
		name: 'speed',
		type: 'options',
		default: 'normal',
		options: [
			{ name: 'Instant', value: 'instant' },
			{ name: 'Normal', value: 'normal' },
		],
		displayOptions: show,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const configuration = readPick(this, 'configurationName', itemIndex);
	if (!configuration) throw new InputError('configurationName', 'Payment configuration is required');
	const referenceId = String(this.getNodeParameter('referenceId', itemIndex, '')).trim();
	if (!referenceId) throw new InputError('referenceId', 'Reference ID is required');
	const currency = normalizeCurrency(this.getNodeParameter('currency', itemIndex, 'INR'));
	const minor = toMinor(this.getNodeParameter('amount', itemIndex, '') as string, currency, 'amount', {
		allowZero: false,
	});
	const speed = this.getNodeParameter('speed', itemIndex, 'normal') as string;
	const offsetAmount = toOffsetAmount(minor, currency);
	const output = (refund: IDataObject, replayed: boolean): IDataObject => ({
		refundId: refund.id,
		status: refund.status,
		speedProcessed: refund.speed_processed,
		referenceId,
		amount: { ...moneyView(minor, currency) },
		replayed,
	});
	// Meta has no idempotency key for refunds: the order's refunds are looked up (by amount) before the POST and
	// before any new attempt, one refund of an order at a time in this process, so a re-run never refunds twice.
	const { value, replayed } = await serialize(`refund:meta:${phoneNumberId}:${configuration}:${referenceId}`, async () =>
		await createOnce<IDataObject>({
			lookup: async () => await sameAmountRefund(this, phoneNumberId, configuration, referenceId, minor, currency),
			// Meta wants every amount field as a string here (spec §4), unlike order_details.
			create: async () =>
				await graphRequest<IDataObject>(this, {
					method: 'POST',
					path: `/${phoneNumberId}/payments_refund`,
					body: {
						reference_id: referenceId,
						speed,
						payment_config_id: configuration,
						amount: { currency, value: String(offsetAmount.value), offset: String(offsetAmount.offset) },
					},
				}),
		}),
	);
	return output(value, replayed);
}

/** A refund of this amount already on the order (any status but failed), as the refund API answers it. */
async function sameAmountRefund(ctx: IExecuteFunctions, phoneNumberId: string, configuration: string, referenceId: string, minor: number, currency: string): Promise<IDataObject | undefined> {
	const answer = await graphRequest<{ payments?: IDataObject[] }>(ctx, {
		method: 'GET',
		path: `/${phoneNumberId}/payments/${encodeURIComponent(configuration)}/${encodeURIComponent(referenceId)}`,
	});
	const payment = answer.payments?.[0] ?? {};
	const transactions = Array.isArray(payment.transactions) ? (payment.transactions as IDataObject[]) : [];
	const refunds = [payment, ...transactions].flatMap((holder) => (Array.isArray(holder.refunds) ? (holder.refunds as IDataObject[]) : []));
	const same = refunds.find((refund) => {
		if (String(refund.status) === 'failed' || !refund.amount || typeof refund.amount !== 'object') return false;
		return fromOffsetAmount(refund.amount as { value: number; offset: number }, currency, 'refunds[].amount') === minor;
	});
	return same ? { id: same.id, status: same.status, speed_processed: same.speed_processed } : undefined;
}
