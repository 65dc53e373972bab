/**
 * Queue-mode end-to-end suite (`npm run test:e2e:queue`): the e2e setup (jest.e2e.config.js) over test/e2e-queue,
 * against n8n 2.41.1 in queue mode (scripts/queue-stack.js: own Postgres + Redis from Debian's packages, installed
 * when missing; main + two webhook processes + two workers). One jest worker: the suite owns the whole stack.
 */
const base = require('./jest.e2e.config.js');

module.exports = {
	...base,
	roots: ['<rootDir>/test/e2e-queue'],
	// Five n8n processes on a 2-core machine: a restart of all of them takes 1-3 min.
	testTimeout: 240000,
	reporters: ['default', ['<rootDir>/test/harness/summaryReporter.js', { label: 'e2e-queue' }]],
};
