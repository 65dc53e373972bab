import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { graphRequest } from '../../../shared/meta/graph';
import { PASS_THROUGH_KEYS } from '../../../shared/meta/webhookEvents';
import { fromOffsetAmount, moneyView } from '../../../shared/money';
import { getPhoneNumberId } from '../common';
import { paymentConfigurationField, readPick } from '../pickers';

const show = { show: { resource: ['order'], operation: ['getPaymentStatus'] } };

export const description: INodeProperties[] = [
	paymentConfigurationField(show, 'Payment configuration the order was sent with'),
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
	const configuration = readPick(this, 'configurationName', itemIndex);
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
	const refundView = (refunds: unknown, path: string) =>
		(Array.isArray(refunds) ? (refunds as IDataObject[]) : []).map((r, j) => ({
			...r,
			...(r.amount ? { amount: amountView(r.amount, currency, `${path}[${j}].amount`) } : {}),
		}));
	const transactionViews: IDataObject[] = transactions.map((t, i) => ({
		...t,
		...(t.amount ? { amount: amountView(t.amount, String(t.currency ?? currency), `transactions[${i}].amount`) } : {}),
		...(t.order_amount ? { order_amount: amountView(t.order_amount, String(t.currency ?? currency), `transactions[${i}].order_amount`) } : {}),
		refunds: refundView(t.refunds, `transactions[${i}].refunds`),
	}));
	// Every pass-through field of every gateway, in one place (Razorpay receipt/notes, PayU udf1-4,
	// Zaakpay extra1-2, BillDesk additional_info1-7), besides where Meta put them.
	const passThrough = Object.fromEntries(PASS_THROUGH_KEYS.filter((key) => payment[key] !== undefined).map((key) => [key, payment[key]]));
	const refunds = [...refundView(payment.refunds, 'refunds'), ...transactionViews.flatMap((t) => t.refunds as IDataObject[])];
	return {
		...payment,
		referenceId,
		configurationName: configuration,
		status: payment.status,
		currency,
		amount: amountView(payment.amount, currency, 'amount'),
		transactions: transactionViews,
		// At most one attempt succeeds; the overall status stays "pending" after failed ones.
		successfulTransaction: transactionViews.find((t) => t.status === 'success'),
		passThrough,
		refunds,
	};
}
