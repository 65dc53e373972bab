#!/usr/bin/env node
/**
 * `npm start`: the package running inside a real n8n against the sandbox, in one command.
 * Builds, provisions n8n 2.41.1 on Node 24 the first time (cached in ~/.cache, see n8n-runtime.js), installs
 * the package as a community package into .n8n-runtime/user (gitignored; SANDBOX_N8N_FOLDER moves it), starts
 * the sandbox and n8n with the sandbox credentials and the example workflows imported and active, then prints
 * what to open and click. N8N_PORT (default 5678) and SANDBOX_PORT (default 5800) move the ports.
 *
 * Stopping: SIGINT (Ctrl-C) or SIGTERM, whether the terminal sends it to the whole process group or a script
 * sends it to the npm process only, stops n8n and the sandbox, then exits 0. npm forwards SIGINT/SIGTERM to the
 * shell running the script, which would die alone and leave this process running: package.json's start script
 * is therefore `exec node scripts/start.js`, so the shell is replaced by this process and the signal lands here.
 * A signal that arrives while the stack is still starting stops whatever has started so far.
 */
const { execFileSync } = require('child_process');
const { join, resolve } = require('path');

const root = join(__dirname, '..');
execFileSync(process.execPath, [join(__dirname, 'ensure-installed.js')], { cwd: root, stdio: 'inherit' });

const { startStack, stopStack } = require('./stack');
const { OWNER } = require('./n8n-instance');

/** What is running now: filled in as soon as the stack has parts, so a signal can always stop them. */
const running = { parts: undefined, stopping: false };

function stop(signal) {
	if (running.stopping) return;
	running.stopping = true;
	console.log(`\n${signal}: stopping n8n and the sandbox...`);
	const parts = running.parts;
	const done = parts ? stopStack(parts) : Promise.resolve();
	void done
		.catch((error) => console.error(`[start] while stopping: ${error.message}`))
		.then(() => {
			console.log('stopped.');
			process.exit(0);
		});
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

function readyLines(stack) {
	const control = `${stack.sandbox.controlUrl}/_sandbox`;
	const auth = `-H '${stack.erpAuth.header}: ${stack.erpAuth.value}'`;
	const json = "-H 'content-type: application/json'";
	return [
		'',
		`n8n is running with the WhatsApp Commerce nodes: ${stack.n8n.url}`,
		`  sign in as ${OWNER.email} / ${OWNER.password}`,
		`  Overview lists the ${stack.workflows.length} example workflows (active, credentials "Sandbox ... API" point at the sandbox):`,
		...stack.workflows.map((w) => `    - ${w.name}: ${stack.n8n.url}/workflow/${w.id}`),
		'',
		`  The ERP webhooks (examples 2, 3, 4) need the header ${stack.erpAuth.header}: ${stack.erpAuth.value}`,
		`  (n8n credential "ERP webhook token", Header Auth; a new token every start). Without it n8n answers 403.`,
		'',
		`The chat view (what your customer sees on WhatsApp; order, pay, tap, open links from it): ${control}/chat`,
		'',
		`The sandbox (Meta + Razorpay/Stripe/PayU/Lyra on loopback) plays the customer: ${control}`,
		'  1. order to cash   : curl -X POST ' + `${control}/customer/order`,
		'                       then pay the bill: curl -X POST ' + `${control}/customer/pay   (the latest bill; or -d '{"referenceId":"SBX-..."}')`,
		'  2. PayLink from ERP: curl -X POST ' + `${stack.n8n.url}/webhook/erp-invoice ${auth} ${json} -d '{"invoice":"INV-1","amount":"1499.00","currency":"INR","phone":"919800000002","name":"Ravi"}'`,
		'                       (answers with the link, or 400 naming the refused field)',
		'                       then the customer pays: curl -X POST ' + `${control}/gateway/razorpay/pay`,
		'  3. refund          : curl -X POST ' + `${stack.n8n.url}/webhook/erp-cancel ${auth} ${json} -d '{"paymentId":"<pay_... from step 2>","referenceId":"<reference_id>","phone":"919800000001","reason":"Out of stock"}'`,
		'  4. Stripe PayLink  : curl -X POST ' + `${stack.n8n.url}/webhook/erp-invoice-stripe ${auth} ${json} -d '{"invoice":"INV-2","amount":"19.99","currency":"EUR","phone":"33600000001","name":"Léa","email":"lea@example.com"}'`,
		'                       then the customer pays: curl -X POST ' + `${control}/gateway/stripe/pay   (sent to the endpoint the trigger registered at Stripe)`,
		'  5-9. seed flows (checkout, in-chat payment with a Data Table, Lyra for two shops, PayU cart to order, fulfilment',
		`       and refund): each on its own business number; start them from the chat view (${control}/chat) or see the README`,
		`  What WhatsApp "received": ${control}/messages   webhooks sent: ${control}/webhooks   all requests: ${control}/requests`,
		'  Each run shows up in n8n under Executions. Ctrl-C (or SIGTERM to npm) stops n8n and the sandbox.',
		`  n8n's log: ${stack.n8n.logFile}`,
		'',
	];
}

async function main() {
	const port = Number(process.env.N8N_PORT ?? 5678);
	const sandboxPort = Number(process.env.SANDBOX_PORT ?? 5800);
	const userFolder = process.env.SANDBOX_N8N_FOLDER ? resolve(process.env.SANDBOX_N8N_FOLDER) : join(root, '.n8n-runtime', 'user');
	const stack = await startStack({
		userFolder,
		port,
		sandboxPort,
		build: true,
		onStarting: (parts) => {
			running.parts = parts;
		},
	});
	running.parts = stack;
	if (running.stopping) return; // a signal came during start-up; stop() is already stopping the parts
	console.log(readyLines(stack).join('\n'));
	stack.n8n.process.on('exit', (code) => {
		if (running.stopping) return;
		console.error(`n8n exited (${code}); see ${stack.n8n.logFile}`);
		void stack.sandbox.stop().then(() => process.exit(1));
	});
}

main().catch((error) => {
	if (running.stopping) return; // start-up interrupted by a signal: not an error
	console.error(`[start] ${error.message}`);
	process.exit(1);
});
