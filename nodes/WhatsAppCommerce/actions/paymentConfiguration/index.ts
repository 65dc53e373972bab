import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as list from './list.operation';

export { get, list };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['paymentConfiguration'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a payment configuration',
				description: 'Get one WhatsApp Pay configuration by name, with its status and provider',
			},
			{
				name: 'List',
				value: 'list',
				action: 'List payment configurations',
				description: 'List the WhatsApp Pay configurations of the business account',
			},
		],
		default: 'list',
	},
	...get.description,
	...list.description,
];
