/** Real-engine tests: ts-jest over the TypeScript sources, one worker per core. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// The end-to-end and browser suites run a real n8n server: their own configs (jest.e2e.config.js,
	// jest.browser.config.js), `npm run test:e2e` and `npm run test:browser`.
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/browser/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }],
	},
	setupFiles: ['<rootDir>/test/harness/env.ts'],
	testTimeout: 60000,
	maxWorkers: 2,
	reporters: ['default', ['<rootDir>/test/harness/summaryReporter.js', { label: 'unit+engine' }]],
};
