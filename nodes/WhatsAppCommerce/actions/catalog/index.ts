import type { INodeProperties } from 'n8n-workflow';

import * as sendCatalog from './sendCatalog.operation';
import * as sendProduct from './sendProduct.operation';
import * as sendProductList from './sendProductList.operation';

export { sendCatalog, sendProduct, sendProductList };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['catalog'] } },
		options: [
			{ name: 'Send Catalog', value: 'sendCatalog', action: 'Send the catalog', description: 'Send a message that opens the whole catalog' },
			{ name: 'Send Product', value: 'sendProduct', action: 'Send a product', description: 'Send one product of the catalog' },
			{ name: 'Send Product List', value: 'sendProductList', action: 'Send a product list', description: 'Send up to 30 products in up to 10 sections' },
		],
		default: 'sendProduct',
	},
	...sendProduct.description,
	...sendProductList.description,
	...sendCatalog.description,
];
