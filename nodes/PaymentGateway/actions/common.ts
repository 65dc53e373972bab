/**
 * What the Payment Gateway operations share: the amount fields (decimal in major units or integer minor
 * units, converted only by money.ts) and the one output shape every gateway maps to.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/errors';
import { getAdapter } from '../../shared/gateways';
import type { GatewayAdapter } from '../../shared/gateways/types';
import { normalizeCurrency, parseMinor, toMinor, type Money } from '../../shared/money';

export function amountFields(resource: string, operations: string[], extra: IDataObject = {}): INodeProperties[] {
	const show = { show: { resource: [resource], operation: operations, ...extra } };
	return [
		{
			displayName: 'Amount',
			name: 'amount',
			type: 'string',
			required: true,
			default: '',
			placeholder: '1499.00',
			description: 'In major units ("1499.00" rupees, "19.99" euros, "500" yen) unless Amount Format says minor units. Never rounded: too many decimals is an error.',
			displayOptions: show,
		},
		{
			displayName: 'Currency',
			name: 'currency',
			type: 'string',
			required: true,
			default: 'INR',
			placeholder: 'INR',
			description: 'ISO 4217 code (INR, EUR, USD, JPY, KWD ...); decides the number of decimals',
			displayOptions: show,
		},
		{
			displayName: 'Amount Format',
			name: 'amountFormat',
			type: 'options',
			default: 'decimal',
			options: [
				{ name: 'Decimal in Major Units (1499.00)', value: 'decimal' },
				{ name: 'Integer in Minor Units (149900)', value: 'minor' },
			],
			displayOptions: show,
		},
	];
}

export function readMoney(ctx: IExecuteFunctions, itemIndex: number): Money {
	const currency = normalizeCurrency(ctx.getNodeParameter('currency', itemIndex, ''), 'currency');
	const raw = ctx.getNodeParameter('amount', itemIndex, '') as string | number;
	const format = ctx.getNodeParameter('amountFormat', itemIndex, 'decimal') as string;
	const minor =
		format === 'minor'
			? parseMinor(raw, 'amount', { allowZero: false })
			: toMinor(raw, currency, 'amount', { allowZero: false });
	return { minor, currency };
}

export function adapterFor(ctx: IExecuteFunctions, itemIndex: number): GatewayAdapter {
	return getAdapter(String(ctx.getNodeParameter('gateway', itemIndex, '')));
}

export function requiredText(ctx: IExecuteFunctions, name: string, itemIndex: number, label: string): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) throw new InputError(name, `${label} is required`);
	return value;
}

/** Drops undefined fields (and empty customer objects) so items read cleanly in n8n's table view. */
export function toOutput(value: object): IDataObject {
	const clean = (input: unknown): unknown => {
		if (Array.isArray(input)) return input.map(clean);
		if (input && typeof input === 'object' && !(input instanceof Date)) {
			const entries = Object.entries(input as IDataObject)
				.filter(([, inner]) => inner !== undefined)
				.map(([key, inner]) => [key, clean(inner)] as const)
				.filter(([, inner]) => !(inner && typeof inner === 'object' && !Array.isArray(inner) && Object.keys(inner).length === 0));
			return Object.fromEntries(entries);
		}
		return input;
	};
	return clean(value) as IDataObject;
}
