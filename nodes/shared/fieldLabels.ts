/**
 * Error messages name fields the way the panel shows them ("Order Options › Expected Total") instead of
 * parameter paths (`orderOptions.total`), and rows as the merchant counts them (from 1). Each node registers
 * its properties once (its description is the only place that knows the labels); nodeErrors.ts reads them.
 */
import type { INodeProperties } from 'n8n-workflow';

const registry = new Map<string, INodeProperties[]>();

/** `nodeName` is the description's `name` (e.g. `whatsAppCommerce`); the package prefix is ignored. */
export function registerFieldLabels(nodeName: string, properties: INodeProperties[]): void {
	registry.set(nodeName, properties);
}

function children(property: INodeProperties): INodeProperties[] {
	const options = (property.options ?? []) as unknown[];
	if (property.type === 'collection') return options as INodeProperties[];
	if (property.type === 'fixedCollection') {
		return options.flatMap((option) => ((option as { values?: INodeProperties[] }).values ?? []) as INodeProperties[]);
	}
	return [];
}

/** `items[2].amount` of a WhatsApp Commerce node -> `Items › row 3 › Unit Amount`. Unknown parts stay as written. */
export function fieldLabel(nodeType: string, path: string): string {
	let candidates = registry.get(nodeType.split('.').pop() ?? nodeType) ?? [];
	const parts: string[] = [];
	for (const segment of path.split(/\.|(?=\[)/).filter(Boolean)) {
		const index = /^\[(\d+)\]$/.exec(segment);
		if (index) {
			parts.push(`row ${Number(index[1]) + 1}`);
			continue;
		}
		const property = candidates.find((candidate) => candidate.name === segment);
		parts.push(property?.displayName ?? segment);
		candidates = property ? children(property) : [];
	}
	return parts.join(' › ');
}
