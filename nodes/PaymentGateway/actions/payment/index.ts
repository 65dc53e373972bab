import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [{ name: 'Get', value: 'get', action: 'Get a payment', description: 'Get a payment, its status and what was refunded' }],
		default: 'get',
	},
	...get.description,
];
