/**
 * Runs a node's dropdown methods (loadOptions / listSearch) in n8n-core's real LoadOptionsContext, the way
 * the editor does when a user opens a dropdown: credentials are resolved and injected by the harness's
 * credentials helper, parameters come from `additionalData.currentNodeParameters`.
 */
import './env';

import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INode, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { createAdditionalData, TestCredentialsHelper, TestNodeTypes } from './engine';
import { PACKAGE } from './registry';

export function context(type: string, parameters: IDataObject, credentials: TestCredentialsHelper, credentialTypes: string[]) {
	const nodeCredentials: INode['credentials'] = {};
	for (const credentialType of credentialTypes) nodeCredentials[credentialType] = { id: `${credentialType}-id`, name: `${credentialType} account` };
	const node: INode = {
		id: 'target',
		name: 'Node Under Test',
		type: `${PACKAGE}.${type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: nodeCredentials,
	};
	const nodeTypes = new TestNodeTypes();
	const workflow = new Workflow({ id: 'methods', nodes: [node], connections: {}, active: false, nodeTypes, settings: {} });
	const additionalData = createAdditionalData(credentials, { id: 'methods', name: 'Methods', nodes: [node], connections: {} });
	additionalData.currentNodeParameters = parameters as INode['parameters'];
	const nodeType = nodeTypes.getByNameAndVersion(node.type);
	return { ctx: new LoadOptionsContext(workflow, node, additionalData, 'parameters'), nodeType };
}

export async function loadOptions(
	type: string,
	method: string,
	parameters: IDataObject,
	credentials: TestCredentialsHelper,
	credentialTypes: string[],
): Promise<INodePropertyOptions[]> {
	const { ctx, nodeType } = context(type, parameters, credentials, credentialTypes);
	const fn = nodeType.methods?.loadOptions?.[method];
	if (!fn) throw new Error(`${type} has no loadOptions method ${method}`);
	return await fn.call(ctx);
}

export async function listSearch(
	type: string,
	method: string,
	parameters: IDataObject,
	credentials: TestCredentialsHelper,
	credentialTypes: string[],
	filter?: string,
): Promise<INodeListSearchResult> {
	const { ctx, nodeType } = context(type, parameters, credentials, credentialTypes);
	const fn = nodeType.methods?.listSearch?.[method];
	if (!fn) throw new Error(`${type} has no listSearch method ${method}`);
	return await fn.call(ctx, filter);
}
