import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as catalog from './actions/catalog';
import * as message from './actions/message';
import * as order from './actions/order';
import * as paymentConfiguration from './actions/paymentConfiguration';
import { router } from './actions/router';
import { SEND_OPERATIONS, senderFields } from './actions/common';
import { bulkSendingField } from '../shared/bulkSending';
import { listSearch, loadOptions } from './methods';

export class WhatsAppCommerce implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Commerce',
		name: 'whatsAppCommerce',
		icon: { light: 'file:whatsappCommerce.svg', dark: 'file:whatsappCommerce.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send WhatsApp order, payment and catalog messages with the Meta Cloud API',
		defaults: { name: 'WhatsApp Commerce' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'waCommerceMetaApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Catalog', value: 'catalog' },
					{ name: 'Message', value: 'message' },
					{ name: 'Order', value: 'order' },
					{ name: 'Payment Configuration', value: 'paymentConfiguration' },
				],
				default: 'order',
			},
			...senderFields,
			...order.description,
			...catalog.description,
			...message.description,
			...paymentConfiguration.description,
			bulkSendingField(SEND_OPERATIONS),
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
