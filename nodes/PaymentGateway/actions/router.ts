/**
 * Routes each item to the operation file of the chosen resource and operation; the shared loop adds
 * pairedItem, error items under continueOnFail, and errors naming the field and the item, with up to
 * "Max Requests in Flight" items at once, paced by shared/gateways/pacing.ts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { startPacing } from '../../shared/gateways/pacing';
import { runForEachItem } from '../../shared/nodeErrors';
import * as payment from './payment';
import * as paymentLink from './paymentLink';
import * as refund from './refund';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>;

const operations: Record<string, Record<string, { execute: Operation }>> = {
	paymentLink: { create: paymentLink.create, get: paymentLink.get, cancel: paymentLink.cancel },
	refund: { create: refund.create, get: refund.get },
	payment: { get: payment.get },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operations[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	// Refunds run one at a time: two refunds of the same payment in one run must see each other (Lyra has no
	// idempotency key, and the over-refund check reads what was refunded before).
	const pacing = startPacing(this);
	if (resource === 'refund' && operation === 'create') return [await runForEachItem(this, selected.execute, { inFlight: 1 })];
	return [await runForEachItem(this, selected.execute, pacing)];
}
