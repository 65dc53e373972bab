import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';

export { cancel, create, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['paymentLink'] } },
		options: [
			{ name: 'Cancel', value: 'cancel', action: 'Cancel a payment link', description: 'Stop a link from being paid (not available at Lyra/PayZen)' },
			{ name: 'Create', value: 'create', action: 'Create a payment link', description: 'Create a link to send over WhatsApp' },
			{ name: 'Get', value: 'get', action: 'Get a payment link', description: 'Get a link and whether it was paid' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...cancel.description,
];
