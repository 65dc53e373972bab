/** Real-engine tests: ts-jest over the TypeScript sources, one worker per core. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }],
	},
	setupFiles: ['<rootDir>/test/harness/env.ts'],
	testTimeout: 60000,
	maxWorkers: 2,
	reporters: ['default', ['<rootDir>/test/harness/summaryReporter.js', { label: 'unit+engine' }]],
};
