/**
 * End-to-end suite (`npm run test:e2e`): a real n8n 2.41.1 server (Node 24, provisioned once into a cache,
 * see scripts/n8n-runtime.js) with this package installed as a community package, driven through the sandbox.
 * One worker: the suite owns one n8n process and fixed example workflows.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }],
	},
	// First run provisions n8n (~6 min) inside beforeAll; later runs start n8n in ~1 min.
	testTimeout: 120000,
	maxWorkers: 1,
	reporters: ['default', ['<rootDir>/test/harness/summaryReporter.js', { label: 'e2e' }]],
};
