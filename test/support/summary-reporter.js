// Prints the closing line CI reads: "N passed, N failed" (plus skipped when there are any). Jest prints its
// own summary after every reporter, so the line is written when the process exits, to come last.
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const line = `${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
		process.once('exit', () => process.stderr.write(`\n${line}\n`));
	}
}
module.exports = SummaryReporter;
