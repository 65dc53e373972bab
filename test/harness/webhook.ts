/**
 * Runs trigger nodes through n8n-core's real WebhookContext (webhook()) and HookContext (webhookMethods
 * checkExists/create/delete), as the n8n server does on a delivery or an activation. The request carries the
 * RAW body bytes next to the parsed body, and the response object records what the node answered itself.
 */
import './env';

import { HookContext, WebhookContext } from 'n8n-core';
import type { IDataObject, INode, IWebhookData, IWebhookDescription, IWebhookResponseData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { createAdditionalData, TestCredentialsHelper, TestNodeTypes } from './engine';
import { PACKAGE } from './registry';

export interface RecordedResponse {
	statusCode?: number;
	body?: unknown;
	headers: Record<string, string>;
	ended: boolean;
}

export interface WebhookRequest {
	method?: 'GET' | 'POST';
	/** Raw bytes as sent; the parsed body is derived from them (JSON or form) unless `body` is given. */
	rawBody?: Buffer | string;
	body?: unknown;
	headers?: Record<string, string>;
	query?: Record<string, string>;
}

export interface WebhookCall {
	result: IWebhookResponseData;
	response: RecordedResponse;
	/** Items the trigger would start the workflow with ([] when it starts nothing). */
	items: IDataObject[];
}

function recorder(): { response: RecordedResponse; express: unknown } {
	const response: RecordedResponse = { headers: {}, ended: false };
	const express = {
		status(code: number) {
			response.statusCode = code;
			return express;
		},
		send(body: unknown) {
			response.body = body;
			response.statusCode ??= 200;
			return express;
		},
		json(body: unknown) {
			response.body = body;
			response.statusCode ??= 200;
			return express;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return express;
		},
		header(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return express;
		},
		end() {
			response.ended = true;
			return express;
		},
	};
	return { response, express };
}

function parseBody(raw: Buffer, contentType: string): unknown {
	const text = raw.toString('utf8');
	if (contentType.includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(text));
	}
	try {
		return JSON.parse(text);
	} catch {
		return {};
	}
}

/** Each trigger under test is its own workflow, as the in-process duplicate memory is kept per workflow + node. */
let workflowCount = 0;

/** One trigger node in a workflow whose static data persists across calls, like an active workflow. */
export class TriggerUnderTest {
	readonly workflow: Workflow;
	readonly node: INode;
	readonly staticData: IDataObject;

	constructor(
		type: string,
		parameters: IDataObject,
		readonly credentials: TestCredentialsHelper,
		credentialTypes: string[],
		staticData: IDataObject = {},
	) {
		const nodeCredentials: INode['credentials'] = {};
		for (const credentialType of credentialTypes) {
			nodeCredentials[credentialType] = { id: `${credentialType}-id`, name: `${credentialType} account` };
		}
		this.node = {
			id: 'trigger',
			name: 'Trigger',
			type: `${PACKAGE}.${type}`,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'a1b2c3d4-0000-4000-8000-000000000001',
			parameters: parameters as INode['parameters'],
			credentials: nodeCredentials,
		};
		this.workflow = new Workflow({
			id: `trigger-workflow-${(workflowCount += 1)}`,
			name: 'Trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new TestNodeTypes(),
			staticData,
			settings: { executionOrder: 'v1' },
		});
		this.staticData = this.workflow.staticData;
	}

	private get nodeType() {
		return this.workflow.nodeTypes.getByNameAndVersion(this.node.type, 1);
	}

	private webhookData(name: string): IWebhookData {
		const description = (this.nodeType.description.webhooks ?? []).find((w) => w.name === name) as IWebhookDescription;
		if (!description) throw new Error(`no webhook named ${name}`);
		return {
			webhookDescription: description,
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: this.node.name,
			path: String(description.path),
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: undefined as never,
			webhookId: this.node.webhookId,
		};
	}

	private additionalData() {
		return createAdditionalData(this.credentials, {
			id: this.workflow.id,
			name: this.workflow.name ?? 'Trigger test',
			nodes: [this.node],
			connections: {},
		}, 'webhook');
	}

	/** Delivers one HTTP request to the trigger's webhook() through n8n-core's WebhookContext. */
	async deliver(request: WebhookRequest, webhookName?: string): Promise<WebhookCall> {
		const method = request.method ?? 'POST';
		const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
		const rawBody = request.rawBody === undefined ? undefined : Buffer.from(request.rawBody);
		const body = request.body ?? (rawBody ? parseBody(rawBody, headers['content-type'] ?? 'application/json') : {});
		const { response, express } = recorder();
		const additionalData = this.additionalData();
		Object.assign(additionalData, {
			httpRequest: { body, rawBody, headers, query: request.query ?? {}, params: {}, method },
			httpResponse: express,
		});
		const name = webhookName ?? (method === 'GET' ? 'setup' : 'default');
		const context = new WebhookContext(this.workflow, this.node, additionalData, 'webhook', this.webhookData(name), [], null);
		const nodeType = this.nodeType;
		if (!nodeType.webhook) throw new Error('the node has no webhook()');
		const result = await nodeType.webhook.call(context);
		const items = (result.workflowData ?? []).flat().map((item) => item.json);
		return { result, response, items };
	}

	private hook(): HookContext {
		return new HookContext(this.workflow, this.node, this.additionalData(), 'trigger', 'activate', this.webhookData('default'));
	}

	private method(name: 'checkExists' | 'create' | 'delete') {
		const methods = this.nodeType.webhookMethods?.default;
		const fn = methods?.[name];
		if (!fn) throw new Error(`no webhookMethods.default.${name}`);
		return fn;
	}

	async checkExists(): Promise<boolean> {
		return await this.method('checkExists').call(this.hook());
	}

	async create(): Promise<boolean> {
		return await this.method('create').call(this.hook());
	}

	async delete(): Promise<boolean> {
		return await this.method('delete').call(this.hook());
	}

	/** The production URL n8n would show for the node's POST webhook. */
	webhookUrl(): string {
		return this.hook().getNodeWebhookUrl('default') as string;
	}
}
