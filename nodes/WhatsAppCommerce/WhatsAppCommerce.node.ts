import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as catalog from './actions/catalog';
import * as message from './actions/message';
import * as order from './actions/order';
import * as paymentConfiguration from './actions/paymentConfiguration';
import { router } from './actions/router';
import { SEND_OPERATIONS, senderFields } from './actions/common';
import { bulkSendingField } from '../shared/bulkSending';
import { listSearch, loadOptions } from './methods';
import { registerFieldLabels } from '../shared/fieldLabels';

const RESOURCES: INodeProperties[][] = [order.description, catalog.description, message.description, paymentConfiguration.description];
const isOperation = (property: INodeProperties) => property.name === 'operation';


export class WhatsAppCommerce implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Commerce',
		name: 'whatsAppCommerce',
		icon: { light: 'file:whatsappCommerce.svg', dark: 'file:whatsappCommerce.dark.svg' },
		group: ['output'],
		version: 1,
		// Words, not parameter values ("Send order details", not "sendOrderDetails: order").
		subtitle: '={{ ({"getPaymentStatus": "Get payment status", "refundPayment": "Refund payment", "sendOrderDetails": "Send order details", "sendOrderDetailsTemplate": "Send order details template", "sendOrderStatus": "Send order status", "sendOrderStatusTemplate": "Send order status template", "sendCatalog": "Send catalog", "sendProduct": "Send product", "sendProductList": "Send product list", "sendPaymentLink": "Send payment link", "sendTemplate": "Send template", "get": "Get payment configuration", "list": "List payment configurations"})[$parameter["operation"]] || $parameter["operation"] }}',
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
			// Resource, Operation, then who sends to whom, then the operation's own fields.
			...RESOURCES.map((resource) => resource.filter(isOperation)).flat(),
			...senderFields,
			...RESOURCES.map((resource) => resource.filter((property) => !isOperation(property))).flat(),
			bulkSendingField(SEND_OPERATIONS),
		],
	};

	methods = { listSearch, loadOptions };

	constructor() {
		// Errors name fields by these labels (nodes/shared/fieldLabels.ts).
		registerFieldLabels(this.description.name, this.description.properties);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
