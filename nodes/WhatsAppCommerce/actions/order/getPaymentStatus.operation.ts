import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { graphRequest } from '../../../shared/meta/graph';
import { fromOffsetAmount, moneyView } from '../../../shared/money';
import { getPhoneNumberId } from '../common';

const show = { show: { resource: ['order'], operation: ['getPaymentStatus'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Payment Configuration Name or ID',
		name: 'configurationName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPaymentConfigurations' },
		required: true,
		default: '',
		description: 'Payment configuration the order was sent with. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Reference ID',
		name: 'referenceId',
		type: 'string',
		required: true,
		default: '',
		description: 'The reference ID of the order',
		displayOptions: show,
	},
];

type MetaAmount = { value: number | string; offset: number | string };

/** Meta answers amounts as {value, offset}; the output gives integer minor units plus the decimal. */
function amountView(amount: unknown, currency: string, field: string): IDataObject | undefined {
	if (!amount || typeof amount !== 'object') return undefined;
	return { ...moneyView(fromOffsetAmount(amount as MetaAmount, currency, field), currency) };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phoneNumberId = getPhoneNumberId(this, itemIndex);
	const configuration = String(this.getNodeParameter('configurationName', itemIndex, '')).trim();
	if (!configuration) throw new InputError('configurationName', 'Payment configuration is required');
	const referenceId = String(this.getNodeParameter('referenceId', itemIndex, '')).trim();
	if (!referenceId) throw new InputError('referenceId', 'Reference ID is required');
	const answer = await graphRequest<{ payments?: IDataObject[] }>(this, {
		method: 'GET',
		path: `/${phoneNumberId}/payments/${encodeURIComponent(configuration)}/${encodeURIComponent(referenceId)}`,
	});
	const payment = answer.payments?.[0] ?? {};
	const currency = String(payment.currency ?? 'INR');
	const transactions = (Array.isArray(payment.transactions) ? payment.transactions : []) as IDataObject[];
	return {
		...payment,
		referenceId,
		configurationName: configuration,
		status: payment.status,
		currency,
		amount: amountView(payment.amount, currency, 'amount'),
		transactions: transactions.map((t, i) => ({
			...t,
			...(t.amount ? { amount: amountView(t.amount, currency, `transactions[${i}].amount`) } : {}),
			refunds: (Array.isArray(t.refunds) ? (t.refunds as IDataObject[]) : []).map((r, j) => ({
				...r,
				...(r.amount ? { amount: amountView(r.amount, currency, `transactions[${i}].refunds[${j}].amount`) } : {}),
			})),
		})),
	};
}
