/**
 * Jest reporter: prints the plain closing line CI reads ("unit: N passed, N failed, N skipped", then its wall time) and appends the
 * counts to $TEST_SUMMARY_FILE when set, so .ci/run can print one total over every suite it ran.
 */
const { appendFileSync } = require('fs');

class SummaryReporter {
	constructor(_globalConfig, options = {}) {
		this.label = options.label || 'tests';
	}

	onRunComplete(_contexts, results) {
		const passed = results.numPassedTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const skipped = results.numPendingTests + results.numTodoTests;
		// Wall time of the whole jest run (start-up of n8n stacks included): what each suite adds to `npm test`.
		const seconds = Math.round((Date.now() - results.startTime) / 1000);
		console.log(`\n${this.label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
		console.log(`${this.label} took ${seconds} s`);
		if (process.env.TEST_SUMMARY_FILE) {
			appendFileSync(process.env.TEST_SUMMARY_FILE, `${JSON.stringify({ label: this.label, passed, failed, skipped, seconds })}\n`);
		}
	}
}

module.exports = SummaryReporter;
