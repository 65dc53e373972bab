import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { gatewayCredentials, gatewayParameter } from '../shared/gateways/gatewayChoice';
import { pacingField } from '../shared/gateways/pacing';
import * as payment from './actions/payment';
import * as paymentLink from './actions/paymentLink';
import * as refund from './actions/refund';
import { router } from './actions/router';
import { registerFieldLabels } from '../shared/fieldLabels';


/**
 * Payment links, refunds and payments at Razorpay, PayU India, Stripe and Lyra/PayZen with one output shape,
 * so a workflow can switch gateways without rewiring. Exactly one credential is shown: the chosen gateway's.
 */
export class PaymentGateway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Payment Gateway',
		name: 'paymentGateway',
		icon: { light: 'file:paymentGateway.svg', dark: 'file:paymentGateway.dark.svg' },
		group: ['transform'],
		version: 1,
		// Words, not parameter values ("Razorpay: create payment link", not "razorpay: create paymentLink").
		subtitle: '={{ ({"lyra": "Lyra / PayZen", "payu": "PayU", "razorpay": "Razorpay", "stripe": "Stripe"})[$parameter["gateway"]] + ": " + ({"paymentLink.create": "create payment link", "paymentLink.get": "get payment link", "paymentLink.cancel": "cancel payment link", "refund.create": "refund", "refund.get": "get refund", "payment.get": "get payment"})[$parameter["resource"] + "." + $parameter["operation"]] }}',
		description: 'Create payment links and refunds at Razorpay, PayU, Stripe or Lyra/PayZen',
		defaults: { name: 'Payment Gateway' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: gatewayCredentials,
		properties: [
			gatewayParameter,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Payment', value: 'payment' },
					{ name: 'Payment Link', value: 'paymentLink' },
					{ name: 'Refund', value: 'refund' },
				],
				default: 'paymentLink',
			},
			...paymentLink.description,
			...refund.description,
			...payment.description,
			pacingField(),
		],
	};

	constructor() {
		// Errors name fields by these labels (nodes/shared/fieldLabels.ts).
		registerFieldLabels(this.description.name, this.description.properties);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
