#!/usr/bin/env node
/**
 * `npm start`: the package running inside a real n8n against the sandbox, in one command.
 * Builds, provisions n8n 2.41.1 on Node 24 the first time (cached in ~/.cache, see n8n-runtime.js), installs
 * the package as a community package into .n8n-runtime/user (gitignored), starts the sandbox and n8n with the
 * sandbox credentials and the example workflows imported and active, then prints what to open and click.
 * Ctrl-C stops both. N8N_PORT (default 5678) and SANDBOX_PORT (default 5800) move the ports.
 */
const { execFileSync } = require('child_process');
const { join } = require('path');

const root = join(__dirname, '..');
execFileSync(process.execPath, [join(__dirname, 'ensure-installed.js')], { cwd: root, stdio: 'inherit' });

const { startStack, stopStack } = require('./stack');
const { OWNER } = require('./n8n-instance');

async function main() {
	const port = Number(process.env.N8N_PORT ?? 5678);
	const sandboxPort = Number(process.env.SANDBOX_PORT ?? 5800);
	const stack = await startStack({ userFolder: join(root, '.n8n-runtime', 'user'), port, sandboxPort, build: true });
	const control = `${stack.sandbox.controlUrl}/_sandbox`;
	const lines = [
		'',
		`n8n is running with the WhatsApp Commerce nodes: ${stack.n8n.url}`,
		`  sign in as ${OWNER.email} / ${OWNER.password}`,
		`  Overview lists the ${stack.workflows.length} example workflows (active, credentials "Sandbox ... API" point at the sandbox):`,
		...stack.workflows.map((w) => `    - ${w.name}: ${stack.n8n.url}/workflow/${w.id}`),
		'',
		`The sandbox (Meta + Razorpay/Stripe/PayU/Lyra on loopback) plays the customer: ${control}`,
		'  1. order to cash   : curl -X POST ' + `${control}/customer/order`,
		'                       then pay the bill: curl -X POST ' + `${control}/customer/pay   (the latest bill; or -d '{"referenceId":"SBX-..."}')`,
		'  2. PayLink from ERP: curl -X POST ' + `${stack.n8n.url}/webhook/erp-invoice -H 'content-type: application/json' -d '{"invoice":"INV-1","amount":"1499.00","currency":"INR","phone":"919800000002","name":"Ravi"}'`,
		'                       then the customer pays: curl -X POST ' + `${control}/gateway/razorpay/pay`,
		'  3. refund          : curl -X POST ' + `${stack.n8n.url}/webhook/erp-cancel -H 'content-type: application/json' -d '{"paymentId":"<pay_... from step 2>","referenceId":"<reference_id>","phone":"919800000001","reason":"Out of stock"}'`,
		'  4. Stripe PayLink  : curl -X POST ' + `${stack.n8n.url}/webhook/erp-invoice-stripe -H 'content-type: application/json' -d '{"invoice":"INV-2","amount":"19.99","currency":"EUR","phone":"33600000001","name":"Léa","email":"lea@example.com"}'`,
		'                       then the customer pays: curl -X POST ' + `${control}/gateway/stripe/pay   (sent to the endpoint the trigger registered at Stripe)`,
		`  What WhatsApp "received": ${control}/messages   webhooks sent: ${control}/webhooks   all requests: ${control}/requests`,
		'  Each run shows up in n8n under Executions. Ctrl-C stops n8n and the sandbox.',
		`  n8n's log: ${stack.n8n.logFile}`,
		'',
	];
	console.log(lines.join('\n'));
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		console.log('\nstopping n8n and the sandbox...');
		void stopStack(stack).then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	stack.n8n.process.on('exit', (code) => {
		if (stopping) return;
		console.error(`n8n exited (${code}); see ${stack.n8n.logFile}`);
		void stack.sandbox.stop().then(() => process.exit(1));
	});
}

main().catch((error) => {
	console.error(`[start] ${error.message}`);
	process.exit(1);
});
