import type { INodeProperties } from 'n8n-workflow';

import { orderDetailsFields } from './orderDetails.fields';
import * as getPaymentStatus from './getPaymentStatus.operation';
import * as refundPayment from './refundPayment.operation';
import * as sendOrderDetails from './sendOrderDetails.operation';
import * as sendOrderDetailsTemplate from './sendOrderDetailsTemplate.operation';
import * as sendOrderStatus from './sendOrderStatus.operation';
import * as sendOrderStatusTemplate from './sendOrderStatusTemplate.operation';

export {
	getPaymentStatus,
	refundPayment,
	sendOrderDetails,
	sendOrderDetailsTemplate,
	sendOrderStatus,
	sendOrderStatusTemplate,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{ name: 'Get Payment Status', value: 'getPaymentStatus', action: 'Get the payment status of an order', description: 'Look up a WhatsApp Pay payment by configuration and reference ID (India)' },
			{ name: 'Refund Payment', value: 'refundPayment', action: 'Refund an order payment', description: 'Refund a WhatsApp Pay payment, fully or partly (India)' },
			{ name: 'Send Order Details', value: 'sendOrderDetails', action: 'Send an order details message', description: 'Send a "Review and pay" order_details message inside the 24-hour window' },
			{ name: 'Send Order Details Template', value: 'sendOrderDetailsTemplate', action: 'Send an order details template', description: 'Send an approved template with a "Review and pay" button, outside the 24-hour window' },
			{ name: 'Send Order Status', value: 'sendOrderStatus', action: 'Send an order status update', description: 'Tell the customer the order is processing, shipped, completed or canceled' },
			{ name: 'Send Order Status Template', value: 'sendOrderStatusTemplate', action: 'Send an order status template', description: 'Send an order status update as a template, outside the 24-hour window' },
		],
		default: 'sendOrderDetails',
	},
	...sendOrderDetailsTemplate.description,
	...sendOrderDetails.description,
	...orderDetailsFields,
	...sendOrderStatus.description,
	...sendOrderStatusTemplate.description,
	...getPaymentStatus.description,
	...refundPayment.description,
];
