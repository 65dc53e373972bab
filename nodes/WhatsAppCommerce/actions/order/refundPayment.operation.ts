import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { graphRequest } from '../../../shared/meta/graph';
import { moneyView, normalizeCurrency, toMinor, toOffsetAmount } from '../../../shared/money';
import { getPhoneNumberId } from '../common';

const show = { show: { resource: ['order'], operation: ['refundPayment'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Payment Configuration Name or ID',
		name: 'configurationName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPaymentConfigurations' },
		required: true,
		default: '',
		description: 'Payment configuration the order was paid with. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
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
		description: 'Amount to refund in major units as a decimal (e.g. 199.99); the full amount for a full refund',
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
	const configuration = String(this.getNodeParameter('configurationName', itemIndex, '')).trim();
	if (!configuration) throw new InputError('configurationName', 'Payment configuration is required');
	const referenceId = String(this.getNodeParameter('referenceId', itemIndex, '')).trim();
	if (!referenceId) throw new InputError('referenceId', 'Reference ID is required');
	const currency = normalizeCurrency(this.getNodeParameter('currency', itemIndex, 'INR'));
	const minor = toMinor(this.getNodeParameter('amount', itemIndex, '') as string, currency, 'amount', {
		allowZero: false,
	});
	const speed = this.getNodeParameter('speed', itemIndex, 'normal') as string;
	const offsetAmount = toOffsetAmount(minor, currency);
	// Meta wants every amount field as a string here (spec §4), unlike order_details.
	const answer = await graphRequest<IDataObject>(this, {
		method: 'POST',
		path: `/${phoneNumberId}/payments_refund`,
		body: {
			reference_id: referenceId,
			speed,
			payment_config_id: configuration,
			amount: { currency, value: String(offsetAmount.value), offset: String(offsetAmount.offset) },
		},
	});
	return {
		refundId: answer.id,
		status: answer.status,
		speedProcessed: answer.speed_processed,
		referenceId,
		amount: { ...moneyView(minor, currency) },
	};
}
