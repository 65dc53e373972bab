/**
 * Runs a credential type's own `test` block the way n8n's credential tester does when a user clicks
 * "Save" on a credential: the request's expressions are resolved against the credential data, the
 * credential's `authenticate` block (and preAuthentication) is applied by n8n-core's
 * httpRequestWithAuthentication, then the status code and the `rules` decide OK or an error message.
 */
import type { ICredentialTestRequest, IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { resolveCredentialValue, TestCredentialsHelper, withDefaults } from './engine';
import { context } from './methods';
import { allCredentialTypes, allNodeTypes } from './registry';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export async function testCredential(typeName: string, data: IDataObject): Promise<CredentialTestResult> {
	const type = allCredentialTypes()[typeName];
	const test = type?.test as ICredentialTestRequest | undefined;
	if (!test?.request) throw new Error(`${typeName} has no declarative credential test`);
	const helper = new TestCredentialsHelper().set(typeName, data as never);
	// The host is a node of the package that declares the credential (n8n refuses others), with the
	// parameters that show it (e.g. gateway = razorpay).
	const host = Object.entries(allNodeTypes()).find(([, nodeType]) =>
		(nodeType.description.credentials ?? []).some((credential) => credential.name === typeName),
	);
	if (!host) throw new Error(`no node of the package uses ${typeName}`);
	const shownBy = (host[1].description.credentials ?? []).find((credential) => credential.name === typeName)?.displayOptions?.show ?? {};
	const parameters = Object.fromEntries(Object.entries(shownBy).map(([key, values]) => [key, (values as unknown[])[0]])) as IDataObject;
	const { ctx } = context(host[0].split('.').pop() as string, parameters, helper, [typeName]);
	const credentials = withDefaults(type, data as never);
	const workflow = (ctx as unknown as { workflow: Parameters<typeof resolveCredentialValue>[2] }).workflow;
	const node = ctx.getNode();
	const resolve = (value: unknown): unknown => {
		if (typeof value === 'string') return resolveCredentialValue(value, credentials, workflow, node);
		if (value && typeof value === 'object' && !Array.isArray(value)) {
			return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
		}
		return value;
	};
	const request = test.request;
	const options: IHttpRequestOptions = {
		method: request.method ?? 'GET',
		url: `${String(resolve(request.baseURL ?? ''))}${String(resolve(request.url ?? ''))}`,
		qs: resolve(request.qs ?? {}) as IDataObject,
		headers: resolve(request.headers ?? {}) as IDataObject,
		...(request.body !== undefined ? { body: resolve(request.body) as IDataObject } : {}),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, typeName, options)) as IN8nHttpFullResponse;
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		return { status: 'Error', message: `Authorization failed - please check your credentials (HTTP ${response.statusCode})` };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response.body as IDataObject;
			const found = rule.properties.key.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], body);
			if (found === rule.properties.value) return { status: 'Error', message: rule.properties.message };
		}
		if (rule.type === 'responseCode' && response.statusCode === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection tested successfully' };
}
