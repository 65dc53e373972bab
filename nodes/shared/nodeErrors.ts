/**
 * The bridge from domain errors to n8n's error classes, and the per-item loop every action node shares.
 *
 * - InputError      -> NodeOperationError naming the field as the panel shows it and the item counted from 1
 *                      like n8n's UI ("Items › row 3 › Unit Amount: ... (item 1)").
 * - RemoteApiError  -> NodeApiError keeping the service's code, title and details, plus what to do.
 * - continueOnFail  -> an error item with pairedItem instead of a failed execution.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InputError, RemoteApiError } from './errors';
import { fieldLabel } from './fieldLabels';
import { mapBounded } from './transport/pool';

export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	if (error instanceof InputError) {
		const label = fieldLabel(node.type, error.field);
		const item = itemIndex + 1;
		// "Reference is required" names its field already; "must be an array" needs the label in front.
		const text = error.message.toLowerCase().startsWith(label.toLowerCase()) ? error.message : `${label}: ${error.message}`;
		return new NodeOperationError(node, `${text} (item ${item})`, {
			itemIndex,
			description: error.hint ?? `Fix "${label}" for item ${item}; nothing was sent for this item.`,
		});
	}
	if (error instanceof RemoteApiError) {
		const { details } = error;
		const codeText = details.code !== undefined ? ` (code ${details.code})` : '';
		const body: JsonObject = {
			service: error.service,
			message: error.message,
			...(details.code !== undefined ? { code: details.code } : {}),
			...(details.subcode !== undefined ? { subcode: details.subcode } : {}),
			...(details.title ? { title: details.title } : {}),
			...(details.detail ? { detail: details.detail } : {}),
			...(details.maybeDelivered ? { maybeDelivered: true } : {}),
		};
		const description = [details.detail, details.hint].filter(Boolean).join(' — ');
		return new NodeApiError(node, body, {
			message: `${error.service}: ${error.message}${codeText}`,
			description: description || undefined,
			httpCode: details.httpStatus !== undefined ? String(details.httpStatus) : undefined,
			itemIndex,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}

/** The JSON of an error item under continueOnFail: what failed, the service's code, and the hint. */
export function errorItemJson(error: NodeOperationError | NodeApiError): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError) {
		if (error.httpCode) json.httpCode = error.httpCode;
		const response = error.errorResponse as IDataObject | undefined;
		if (response?.code !== undefined) json.code = response.code as string | number;
		if (response?.maybeDelivered) json.maybeDelivered = true;
	}
	return json;
}

export type ItemOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;

/**
 * Runs `operation` for every input item, up to `inFlight` items at once (one by default). Output keeps input
 * order and every item carries pairedItem. With continueOnFail a failing item becomes an error item and the
 * others go on; without it no new item starts after a failure, the ones running finish, and the first
 * failing item's error is thrown.
 */
export async function runForEachItem(
	ctx: IExecuteFunctions,
	operation: ItemOperation,
	// inFlight may change during the run (bulk sending sizes it from the measured round trip); onStop lets
	// items that were started but still wait for a slot give up unsent when the run stops.
	options: { inFlight?: number | (() => number); onStop?: () => void } = {},
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const results = await mapBounded(items.length, async (index) => await operation.call(ctx, index), {
		limit: options.inFlight ?? 1,
		stopOnFailure: () => {
			if (continueOnFail) return false;
			options.onStop?.();
			return true;
		},
	});
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < results.length; itemIndex++) {
		const settled = results[itemIndex];
		if (!settled) continue;
		if (settled.ok) {
			for (const json of Array.isArray(settled.value) ? settled.value : [settled.value]) {
				output.push({ json, pairedItem: { item: itemIndex } });
			}
			continue;
		}
		const nodeError = toNodeError(ctx.getNode(), settled.error, itemIndex);
		if (!continueOnFail) throw nodeError;
		output.push({ json: errorItemJson(nodeError), pairedItem: { item: itemIndex } });
	}
	return output;
}
