/**
 * The real n8n engine for tests: n8n-core's WorkflowExecute over a workflow built from JSON, with a
 * credentials helper that applies our credential types' own `authenticate` / `preAuthentication` blocks
 * through n8n's expression engine, as the n8n server does. Nothing here mocks a node's parameters.
 */
import './env';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	IConnections,
	IRequestOptionsSimplified,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, Workflow } from 'n8n-workflow';

import { allCredentialTypes, allNodeTypes, PACKAGE } from './registry';

/** Replaces `={{$credentials.x}}`-style values with n8n's own expression engine. */
export function resolveCredentialValue(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials } as IDataObject,
		undefined,
		value,
	);
}

export function withDefaults(type: ICredentialType, data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const out: ICredentialDataDecryptedObject = {};
	for (const property of type.properties) {
		if (property.default !== undefined) out[property.name] = property.default as never;
	}
	return { ...out, ...data };
}

export class TestCredentialsHelper extends ICredentialsHelper {
	/** Credential data by credential type name (one credential of each type per test). */
	readonly store = new Map<string, ICredentialDataDecryptedObject>();
	/** How often a credential's preAuthentication ran (e.g. OAuth token fetches), by type. */
	readonly preAuthentications = new Map<string, number>();

	constructor(private readonly types: Record<string, ICredentialType> = allCredentialTypes()) {
		super();
	}

	set(type: string, data: ICredentialDataDecryptedObject): this {
		if (!this.types[type]) throw new Error(`unknown credential type ${type}`);
		this.store.set(type, data);
		return this;
	}

	getParentTypes(name: string): string[] {
		return this.types[name]?.extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.types[typeName];
		const options = requestOptions as IHttpRequestOptions;
		const authenticate = type?.authenticate;
		if (!authenticate) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!workflow || !node) throw new Error('generic authentication needs the workflow and node');
		const resolve = (value: unknown) => resolveCredentialValue(value, credentials, workflow, node);
		const { properties } = authenticate;
		for (const key of ['headers', 'qs', 'body'] as const) {
			const block = properties[key] as IDataObject | undefined;
			if (!block) continue;
			const target = ((options[key] as IDataObject | undefined) ?? {}) as IDataObject;
			for (const [name, value] of Object.entries(block)) target[name] = resolve(value) as string;
			(options as unknown as IDataObject)[key] = target;
		}
		if (properties.auth) {
			const auth = properties.auth as { username: string; password: string };
			options.auth = {
				username: String(resolve(auth.username) ?? ''),
				password: String(resolve(auth.password) ?? ''),
			};
		}
		return options;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types[typeName];
		if (!type?.preAuthentication) return undefined;
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable);
		if (!expirable) return undefined;
		if (!credentialsExpired && credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined) {
			return undefined;
		}
		const output = await this.runPreAuthentication(helpers, credentials, typeName);
		// n8n saves the refreshed value with the credential: later executions reuse it until it expires.
		if (output) this.store.set(typeName, { ...(this.store.get(typeName) ?? {}), ...output });
		return output;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types[typeName];
		if (!type?.preAuthentication) return undefined;
		this.preAuthentications.set(typeName, (this.preAuthentications.get(typeName) ?? 0) + 1);
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(_details: INodeCredentialsDetails, _type: string): Promise<ICredentials> {
		throw new Error('getCredentials is not used by this package');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store.get(type);
		if (!data) throw new Error(`no test credential of type ${type} was set`);
		return withDefaults(this.types[type], { ...data });
	}

	async updateCredentials(_details: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.store.set(type, data);
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type]?.properties ?? [];
	}
}

/** A pass-through node that feeds the test's input items into the workflow. */
class TestItems implements INodeType {
	description = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits the items it is given',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType>;

	constructor(extra: Record<string, INodeType> = {}) {
		this.types = { 'test.items': new TestItems(), ...allNodeTypes(), ...extra };
	}

	getByName(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export function createAdditionalData(credentialsHelper: TestCredentialsHelper, workflowData: {
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
}, mode: WorkflowExecuteMode = 'manual'): IWorkflowExecuteAdditionalData {
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', {
		...workflowData,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as never);
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used in these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeUnderTest {
	/** Node type without the package prefix, e.g. `whatsAppCommerce`. */
	type: string;
	parameters: IDataObject;
	/** Credential type names this node uses, e.g. `['waCommerceMetaApi']`. */
	credentials?: string[];
	name?: string;
	continueOnFail?: boolean;
	typeVersion?: number;
}

export interface RunResult {
	run: IRun;
	/** The node's first output, as items ([] when the node errored). */
	items: INodeExecutionData[];
	/** All outputs of the node under test. */
	outputs: INodeExecutionData[][];
	/** The node's error, if the run failed in it. */
	error?: Error & { description?: string; itemIndex?: number; httpCode?: string; context?: IDataObject };
	workflow: Workflow;
}

/**
 * Runs `node` in a real WorkflowExecute, fed with `input` items by a pass-through node, with the given
 * credentials. Returns the node's output items or its error, exactly as n8n records them.
 */
export async function runNode(
	node: NodeUnderTest,
	input: IDataObject[] = [{}],
	credentials: TestCredentialsHelper = new TestCredentialsHelper(),
	options: { staticData?: IDataObject; nodeTypes?: TestNodeTypes } = {},
): Promise<RunResult> {
	const name = node.name ?? 'Node Under Test';
	const nodeCredentials: INode['credentials'] = {};
	for (const type of node.credentials ?? []) nodeCredentials[type] = { id: `${type}-id`, name: `${type} account` };
	const start: INode = {
		id: 'start',
		name: 'Items',
		type: 'test.items',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const target: INode = {
		id: 'target',
		name,
		type: `${PACKAGE}.${node.type}`,
		typeVersion: node.typeVersion ?? 1,
		position: [200, 0],
		parameters: node.parameters as INode['parameters'],
		credentials: nodeCredentials,
		...(node.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const connections: IConnections = {
		Items: { main: [[{ node: name, type: 'main', index: 0 }]] },
	};
	const nodeTypes = options.nodeTypes ?? new TestNodeTypes();
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Test',
		nodes: [start, target],
		connections,
		active: false,
		nodeTypes,
		staticData: options.staticData ?? {},
		settings: { executionOrder: 'v1' },
	});
	const additionalData = createAdditionalData(credentials, {
		id: 'test-workflow',
		name: 'Test',
		nodes: [start, target],
		connections,
	});
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: start, data: { main: [input.map((json) => ({ json }))] }, source: null },
			],
		},
	});
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const run = await execute.processRunExecutionData(workflow);
	const taskData = run.data.resultData.runData[name]?.[0];
	const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
	return {
		run,
		items: outputs[0] ?? [],
		outputs,
		error: (taskData?.error ?? run.data.resultData.error) as RunResult['error'],
		workflow,
	};
}
