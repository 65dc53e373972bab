import type { INodeProperties } from 'n8n-workflow';

import * as sendPaymentLink from './sendPaymentLink.operation';
import * as sendTemplate from './sendTemplate.operation';

export { sendPaymentLink, sendTemplate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{ name: 'Send Payment Link', value: 'sendPaymentLink', action: 'Send a payment link', description: 'Send a payment URL as a button, a template or a text with preview' },
			{ name: 'Send Template', value: 'sendTemplate', action: 'Send a template', description: 'Send an approved message template with parameters' },
		],
		default: 'sendPaymentLink',
	},
	...sendPaymentLink.description,
	...sendTemplate.description,
];
