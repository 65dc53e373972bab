/**
 * Routes each item to the operation file of the chosen resource and operation. Operations return plain
 * JSON; the shared loop adds pairedItem, error items under continueOnFail, and field-naming errors.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runSendItems } from '../../shared/bulkSending';
import { metaCredential } from '../../shared/meta/graph';
import { graphVersionWarning } from '../../shared/meta/graphVersions';
import { runForEachItem } from '../../shared/nodeErrors';
import * as catalog from './catalog';
import { SEND_OPERATIONS } from './common';
import * as message from './message';
import * as order from './order';
import * as paymentConfiguration from './paymentConfiguration';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, Record<string, { execute: Operation }>> = {
	order: {
		sendOrderDetails: order.sendOrderDetails,
		sendOrderStatus: order.sendOrderStatus,
		sendOrderDetailsTemplate: order.sendOrderDetailsTemplate,
		sendOrderStatusTemplate: order.sendOrderStatusTemplate,
		getPaymentStatus: order.getPaymentStatus,
		refundPayment: order.refundPayment,
	},
	catalog: {
		sendProduct: catalog.sendProduct,
		sendProductList: catalog.sendProductList,
		sendCatalog: catalog.sendCatalog,
	},
	message: { sendPaymentLink: message.sendPaymentLink, sendTemplate: message.sendTemplate },
	paymentConfiguration: { get: paymentConfiguration.get, list: paymentConfiguration.list },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operations[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	await warnAboutGraphVersion(this);
	// Sends run concurrently, paced per sending number (Bulk Sending options); other calls stay sequential.
	if (SEND_OPERATIONS.includes(operation)) return [await runSendItems(this, selected.execute)];
	return [await runForEachItem(this, selected.execute)];
}

/**
 * Meta serves an expired Graph API version with another one, silently: 90 days ahead the run shows a hint on
 * the node's output (n8n's execution hints), since the credential's declarative test cannot compare dates.
 */
async function warnAboutGraphVersion(ctx: IExecuteFunctions): Promise<void> {
	const { apiVersion } = await metaCredential(ctx);
	const warning = graphVersionWarning(apiVersion, new Date());
	if (warning) ctx.addExecutionHints({ message: warning, location: 'outputPane' });
}
