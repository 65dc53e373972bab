#!/usr/bin/env node
/**
 * `npm run start:queue`: the package in n8n's queue mode, in one command (see scripts/queue-stack.js): installs
 * Debian's postgresql and redis-server when missing (as root), starts the project's own Postgres cluster and Redis,
 * n8n main + a webhook process + two workers over one user folder, the sandbox delivering to the webhook process,
 * then prints what to open. Ctrl-C stops everything and removes the stack's temporary folder.
 * N8N_PORT (default 5678) is main's port; the other processes take fixed offsets from it (printed);
 * SANDBOX_PORT (default 5800) moves the sandbox; QUEUE_WEBHOOK_PROCESSES=2 adds a second webhook process.
 */
const { execFileSync } = require('child_process');
const { join } = require('path');

const root = join(__dirname, '..');
execFileSync(process.execPath, [join(__dirname, 'ensure-installed.js')], { cwd: root, stdio: 'inherit' });

const { OWNER } = require('./n8n-instance');
const { QueueStack } = require('./queue-stack');

async function main() {
	const stack = new QueueStack({
		basePort: Number(process.env.N8N_PORT ?? 5678),
		sandboxPort: Number(process.env.SANDBOX_PORT ?? 5800),
		webhookProcesses: process.env.QUEUE_WEBHOOK_PROCESSES === '2' ? 2 : 1,
	});
	let stopping = false;
	const stop = (code) => {
		if (stopping) return;
		stopping = true;
		console.log('\nstopping n8n (all processes), the sandbox, PostgreSQL and Redis...');
		void stack.stop().then(() => process.exit(code), (error) => {
			console.error(`[start:queue] teardown: ${error.message}`);
			process.exit(1);
		});
	};
	// Signals may arrive while the stack is still starting: teardown then stops whatever is up.
	process.on('SIGINT', () => stop(0));
	process.on('SIGTERM', () => stop(0));
	await stack.start();
	const control = `${stack.sandbox.controlUrl}/_sandbox`;
	const webhook = stack.webhookUrl;
	const lines = [
		'',
		`n8n in queue mode with the WhatsApp Commerce nodes (processes share ${stack.userFolder}):`,
		`  editor (main)      : ${stack.main.url}   sign in as ${OWNER.email} / ${OWNER.password}`,
		...stack.webhooks.map((w, i) => `  webhook process ${i + 1}  : ${w.url}/webhook/...${i === 0 ? '   (WEBHOOK_URL: the URL the triggers register)' : ''}`),
		...stack.workers.map((w, i) => `  worker ${i + 1}           : health ${w.url}/healthz/readiness (concurrency ${stack.options.concurrency})`),
		`  PostgreSQL         : 127.0.0.1:${stack.ports.postgres} (database n8n, user n8n/n8n)   Redis: 127.0.0.1:${stack.ports.redis}`,
		`  Overview lists the ${stack.workflows.length} example workflows (active):`,
		...stack.workflows.map((w) => `    - ${w.name}: ${stack.main.url}/workflow/${w.id}`),
		'',
		`The sandbox plays the customer and sends every webhook to the webhook process: ${control}`,
		`  1. order to cash   : curl -X POST ${control}/customer/order   then pay: curl -X POST ${control}/customer/pay`,
		`  2. PayLink from ERP: curl -X POST ${webhook}/webhook/erp-invoice -H 'content-type: application/json' -d '{"invoice":"INV-1","amount":"1499.00","currency":"INR","phone":"919800000002","name":"Ravi"}'`,
		`                       then the customer pays: curl -X POST ${control}/gateway/razorpay/pay`,
		`  3. refund          : curl -X POST ${webhook}/webhook/erp-cancel -H 'content-type: application/json' -d '{"paymentId":"<pay_... from step 2>","referenceId":"<reference_id>","phone":"919800000001","reason":"Out of stock"}'`,
		`  4. Stripe PayLink  : curl -X POST ${webhook}/webhook/erp-invoice-stripe -H 'content-type: application/json' -d '{"invoice":"INV-2","amount":"19.99","currency":"EUR","phone":"33600000001","name":"Léa","email":"lea@example.com"}'`,
		`                       then the customer pays: curl -X POST ${control}/gateway/stripe/pay`,
		`  What WhatsApp "received": ${control}/messages   webhooks sent: ${control}/webhooks`,
		'  Which worker ran what: "Worker started execution N" in the workers\' logs:',
		...stack.n8nProcesses().map((n8n) => `    ${n8n.logFile}`),
		'  Ctrl-C stops every process and removes the temporary folder.',
		'',
	];
	console.log(lines.join('\n'));
	for (const n8n of stack.n8nProcesses()) {
		n8n.process.on('exit', (code) => {
			if (stopping) return;
			console.error(`${n8n.name} exited (${code}); see ${n8n.logFile}`);
			stop(1);
		});
	}
}

main().catch((error) => {
	console.error(`[start:queue] ${error.message}`);
	process.exit(1);
});
