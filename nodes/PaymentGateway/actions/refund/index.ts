import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';

export { create, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['refund'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a refund', description: 'Refund a payment, fully or partly, never twice' },
			{ name: 'Get', value: 'get', action: 'Get a refund', description: 'Get the status of a refund' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
];
