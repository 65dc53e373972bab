/**
 * The whole local stack used by `npm start` and the e2e suite: the sandbox (Meta + gateways), then a real
 * n8n with this package installed as a community package, the sandbox credentials and the example workflows
 * imported and published. Order matters: the sandbox must answer before n8n starts, because n8n registers
 * the WhatsApp Commerce Trigger's webhook with (sandbox) Meta while activating the workflows.
 */
require('../sandbox/register.js');
const { randomBytes } = require('crypto');
const { existsSync, readdirSync } = require('fs');
const { join } = require('path');

const { installPackage } = require('./install-package');
const { N8nInstance } = require('./n8n-instance');
const { provision, runtime, isProvisioned } = require('./n8n-runtime');
const { Sandbox } = require('../sandbox/sandbox.ts');
const {
	SANDBOX_CREDENTIAL_IDS,
	ERP_WEBHOOK_CREDENTIAL,
	exampleWebhookUrls,
	exampleMetaNumberUrls,
	LYRA_SHOP_TRIGGER_WEBHOOK_IDS,
	META_TRIGGER_WEBHOOK_ID,
	productionWebhookUrl,
} = require('../sandbox/config.ts');

const root = join(__dirname, '..');
const examplesDir = join(root, 'examples');

function exampleFiles() {
	return readdirSync(examplesDir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => join(examplesDir, name));
}

/** Provisions n8n 2.41.1 the first time, into the cache or into N8N_RUNTIME_DIR when set. */
function ensureRuntime() {
	const runtimeDir = process.env.N8N_RUNTIME_DIR;
	// Also into an empty N8N_RUNTIME_DIR: `npm start` on a fresh machine must not depend on `npm test` having run.
	if (!isProvisioned(runtime(runtimeDir))) provision();
	return runtimeDir;
}

/**
 * The sandbox, with every webhook aimed at `webhookBaseUrl`: where n8n serves production webhooks (the n8n
 * server itself in regular mode, the webhook process in queue mode).
 */
async function startSandbox(webhookBaseUrl, port = 0) {
	return new Sandbox({
		port,
		n8nUrl: webhookBaseUrl,
		gatewayWebhookUrls: exampleWebhookUrls(webhookBaseUrl),
		metaCallbackUrl: productionWebhookUrl(webhookBaseUrl, META_TRIGGER_WEBHOOK_ID),
		// The seed-flow examples' own numbers and Lyra shops (examples 5-9).
		metaNumberUrls: exampleMetaNumberUrls(webhookBaseUrl),
		lyraShopWebhookUrls: {
			paris: productionWebhookUrl(webhookBaseUrl, LYRA_SHOP_TRIGGER_WEBHOOK_IDS.paris),
			lyon: productionWebhookUrl(webhookBaseUrl, LYRA_SHOP_TRIGGER_WEBHOOK_IDS.lyon),
		},
	}).start();
}

/**
 * Before any n8n server starts: the package installed once into the user folder, then the sandbox credentials
 * and the example workflows imported and published through `n8n`'s CLI (any N8nInstance over that folder and
 * database). Returns the workflows and the ERP's Header Auth (a new token each time).
 */
async function prepareUserFolder(n8n, sandbox, { build = true, log = () => undefined, extraWorkflows = [] } = {}) {
	installPackage(n8n.userFolder, { build });
	const { credential: erpCredential, erpAuth } = erpWebhookCredential();
	const credentials = [
		...Object.entries(sandbox.credentials()).map(([type, data]) => ({ ...SANDBOX_CREDENTIAL_IDS[type], type, data })),
		...sandbox.extraCredentials(),
		erpCredential,
	];
	log('importing sandbox credentials and example workflows (n8n CLI)...');
	await n8n.importCredentials(credentials);
	const workflows = [];
	for (const file of [...exampleFiles(), ...extraWorkflows]) workflows.push(await n8n.importWorkflow(file));
	return { workflows, erpAuth };
}

/**
 * The ERP's credential for the examples' Webhook nodes (n8n Header Auth): a new random token on every start,
 * so no token is ever committed or reused; `erpAuth.headers` is what an ERP call must carry.
 */
function erpWebhookCredential() {
	const token = randomBytes(24).toString('base64url');
	const { id, name, type, header, scheme } = ERP_WEBHOOK_CREDENTIAL;
	const value = `${scheme} ${token}`;
	return { credential: { id, name, type, data: { name: header, value } }, erpAuth: { header, value, token, headers: { [header]: value } } };
}

/**
 * @param {{ userFolder: string, port: number, sandboxPort?: number, build?: boolean,
 *   encryptionKey?: string, extraWorkflows?: string[], log?: (m: string) => void, onStarting?: (parts: { n8n: object, sandbox: object }) => void }} options
 *   `onStarting` hands over the n8n instance and the sandbox as soon as both exist, so a caller stopped during
 *   start-up (Ctrl-C, SIGTERM) can stop them instead of leaving n8n running.
 */
async function startStack(options) {
	const log = options.log ?? ((message) => console.log(`[stack] ${message}`));
	const runtimeDir = ensureRuntime();
	const n8n = new N8nInstance({
		userFolder: options.userFolder,
		port: options.port,
		runtimeDir,
		env: { N8N_ENCRYPTION_KEY: options.encryptionKey ?? 'wa-commerce-sandbox-key' },
		log,
	});
	const sandbox = await startSandbox(n8n.url, options.sandboxPort ?? 0);
	options.onStarting?.({ n8n, sandbox });
	// On a reused user folder n8n does not register triggers again (it assumes Meta remembers them).
	const fresh = !existsSync(join(options.userFolder, '.n8n', 'database.sqlite'));
	log(`sandbox control API at ${sandbox.controlUrl}/_sandbox`);
	try {
		const { workflows, erpAuth } = await prepareUserFolder(n8n, sandbox, { build: options.build !== false, log, extraWorkflows: options.extraWorkflows });
		log(`starting n8n on ${n8n.url} ...`);
		await n8n.start();
		await n8n.login();
		await waitForActivation(n8n, sandbox, workflows, fresh);
		linkExecutions(n8n, sandbox);
		log(`n8n is ready: ${workflows.length} example workflows active`);
		return { n8n, sandbox, workflows, erpAuth };
	} catch (error) {
		await n8n.stop().catch(() => undefined);
		await sandbox.stop().catch(() => undefined);
		throw error;
	}
}

/**
 * n8n answers before it has activated the published workflows; a WhatsApp Commerce Trigger is registered
 * only when its last call (subscribed_apps) reached Meta. Wait for both, bounded. `n8n` is the process that
 * activates workflows (the only one in regular mode, main in queue mode).
 */
async function waitForActivation(n8n, sandbox, workflows, fresh, timeoutMs = 90000) {
	const ids = workflows.map((w) => w.id);
	const needsMeta = fresh && workflows.some((w) => w.nodes.some((node) => node.type.endsWith('.whatsAppCommerceTrigger')));
	// A Stripe trigger registers its endpoint while n8n activates the workflow, and n8n may already list the
	// workflow as active: a payment made before the endpoint exists reaches only the other endpoints.
	const stripePaths = fresh
		? workflows.flatMap((w) => w.nodes.filter((node) => node.type.endsWith('.paymentGatewayTrigger') && node.parameters?.gateway === 'stripe').map((node) => `/webhook/${node.webhookId}/`))
		: [];
	const deadline = Date.now() + timeoutMs;
	let active = [];
	while (Date.now() < deadline) {
		active = await n8n.rest('GET', '/active-workflows');
		const metaReady = !needsMeta || sandbox.meta.subscribedApps.size > 0;
		const registered = [...sandbox.stripe.endpoints.values()].map((endpoint) => String(endpoint.url));
		const stripeReady = stripePaths.every((path) => registered.some((url) => url.includes(path)));
		if (metaReady && stripeReady && ids.every((id) => active.includes(id))) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`example workflows not all active, or a Stripe trigger's endpoint not registered, after ${timeoutMs} ms (active: ${active.join(', ')}); see ${n8n.logFile}`);
}

/**
 * The chat view links each message to the n8n execution that sent it: the sandbox may read the recent executions
 * through n8n's REST API with the owner's session (n8n.rest).
 */
function linkExecutions(n8n, sandbox, editorUrl = n8n.url) {
	sandbox.n8nEditorUrl = editorUrl;
	sandbox.executionSource = async () => (await n8n.rest('GET', '/executions?limit=100')).results;
}

async function stopStack(stack) {
	if (!stack) return;
	await stack.n8n.stop();
	await stack.sandbox.stop();
}

module.exports = { startStack, stopStack, exampleFiles, ensureRuntime, startSandbox, prepareUserFolder, waitForActivation, linkExecutions };
