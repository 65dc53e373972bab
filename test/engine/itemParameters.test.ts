/**
 * nodes/shared/parameters.ts reads `{{ $json.field }}` mappings straight from the item and fixed values once
 * per run. Proof that it gives what n8n's own getNodeParameter gives, run by n8n-core's WorkflowExecute:
 * a probe node returns both readings for every item, over strings, numbers, booleans, missing fields,
 * objects, other expressions and fixed values.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { bareJsonField, itemParameter } from '../../nodes/shared/parameters';
import { runNode, TestNodeTypes } from '../harness/engine';
import { PACKAGE } from '../harness/registry';

const NAMES = ['bare', 'bracket', 'quoted', 'nested', 'withText', 'other', 'fixed', 'fixedCollection', 'unset'];

class Probe implements INodeType {
	description = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'Reads every parameter both ways',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: NAMES.map((name) => ({ displayName: name, name, type: 'string', default: name === 'unset' ? 'the default' : '' })),
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_, index) => {
				const json: IDataObject = {};
				for (const name of NAMES) {
					const n8n = (() => {
						try {
							return { value: this.getNodeParameter(name, index, null) };
						} catch (error) {
							return { error: (error as Error).message };
						}
					})();
					const ours = (() => {
						try {
							return { value: itemParameter(this, name, index, null) };
						} catch (error) {
							return { error: (error as Error).message };
						}
					})();
					json[name] = { n8n, ours } as IDataObject;
				}
				return { json, pairedItem: { item: index } };
			}),
		];
	}
}

describe('itemParameter gives what n8n gives', () => {
	it('for bare $json mappings, other expressions and fixed values, item by item', async () => {
		const input: IDataObject[] = [
			{ to: '919876543210', n: 42, flag: true, obj: { a: 1 }, deep: { x: 'y' } },
			{ to: 919876543211, n: 0, flag: false, deep: { x: 'z' } },
			{ to: '', n: -1.5, obj: [1, 2] },
			{ n: 'text', flag: 'true' },
			{ to: '=not an expression', n: null },
		];
		const result = await runNode(
			{
				type: 'probe',
				parameters: {
					bare: '={{ $json.to }}',
					bracket: '={{$json["n"]}}',
					quoted: "={{ $json['flag'] }}",
					nested: '={{ $json.deep.x }}',
					withText: '=+{{ $json.to }}',
					other: '={{ $json.obj }}',
					fixed: 'shipped',
					fixedCollection: 'kept',
				},
			},
			input,
			undefined,
			{ nodeTypes: new TestNodeTypes({ [`${PACKAGE}.probe`]: new Probe() }) },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(input.length);
		for (const item of result.items) {
			for (const name of NAMES) {
				const { n8n, ours } = item.json[name] as { n8n: unknown; ours: unknown };
				expect({ name, value: ours }).toEqual({ name, value: n8n });
			}
		}
	});

	it('recognizes only a bare field access as the whole value', () => {
		expect(bareJsonField('={{ $json.to }}')).toBe('to');
		expect(bareJsonField('={{$json.to}}')).toBe('to');
		expect(bareJsonField('={{ $json["order id"] }}')).toBe('order id');
		expect(bareJsonField("={{ $json['ref'] }}")).toBe('ref');
		for (const other of ['{{ $json.to }}', '={{ $json.to }} ', '=x{{ $json.to }}', '={{ $json.to.trim() }}', '={{ $json.a.b }}', '={{ $json }}', '={{ $input.item.json.to }}', '={{ $json.to }}{{ $json.n }}']) {
			expect({ other, field: bareJsonField(other) }).toEqual({ other, field: null });
		}
	});
});
