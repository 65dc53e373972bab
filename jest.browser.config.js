/**
 * Browser suite (`npm run test:browser`): Debian's Chromium (`apt-get install chromium`) driven by
 * puppeteer-core through n8n's real editor, against the `npm start` stack. One worker, one browser, one n8n;
 * screenshots in test/browser/screenshots/ (gitignored).
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/browser'],
	testMatch: ['**/*.browser.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }],
	},
	testTimeout: 90000,
	maxWorkers: 1,
	reporters: ['default', ['<rootDir>/test/harness/summaryReporter.js', { label: 'browser' }]],
};
