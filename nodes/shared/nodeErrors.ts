/**
 * The bridge from domain errors to n8n's error classes, and the per-item loop every action node shares.
 *
 * - InputError      -> NodeOperationError naming the field and the item ("items[2].amount (item 3)").
 * - RemoteApiError  -> NodeApiError keeping the service's code, title and details, plus what to do.
 * - continueOnFail  -> an error item with pairedItem instead of a failed execution.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InputError, RemoteApiError } from './errors';

export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	if (error instanceof InputError) {
		return new NodeOperationError(node, `${error.field}: ${error.message} (item ${itemIndex})`, {
			itemIndex,
			description: error.hint ?? `Fix the field "${error.field}" of item ${itemIndex}; nothing was sent for this item.`,
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
 * Runs `operation` for every input item in order. Every output item carries pairedItem; with
 * continueOnFail the failing item becomes an error item and the others go on.
 */
export async function runForEachItem(
	ctx: IExecuteFunctions,
	operation: ItemOperation,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await operation.call(ctx, itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) {
				output.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			const nodeError = toNodeError(ctx.getNode(), error, itemIndex);
			if (ctx.continueOnFail()) {
				output.push({ json: errorItemJson(nodeError), pairedItem: { item: itemIndex } });
				continue;
			}
			throw nodeError;
		}
	}
	return output;
}
