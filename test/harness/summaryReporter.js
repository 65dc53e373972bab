/**
 * Jest reporter: prints the plain closing line CI reads ("unit: N passed, N failed, N skipped") and appends the
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
		console.log(`\n${this.label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
		if (process.env.TEST_SUMMARY_FILE) {
			appendFileSync(process.env.TEST_SUMMARY_FILE, `${JSON.stringify({ label: this.label, passed, failed, skipped })}\n`);
		}
	}
}

module.exports = SummaryReporter;
