// jest's node environment in a time zone other than UTC, so that a test of zone-less times can fail here and in
// CI (both UTC). Chatham: +12:45, +13:45 in its summer, so a time read as local moves by an odd offset and a day.
// process.env.TZ must change in the worker itself: setupFiles only see each test file's copy of process.env,
// which leaves Date alone. Node re-reads TZ when it is assigned; the old zone comes back at teardown, for the
// next test file the worker runs (perhaps of another project).
const { TestEnvironment } = require('jest-environment-node');

const TIME_ZONE = 'Pacific/Chatham';

class ZoneEnvironment extends TestEnvironment {
	constructor(config, context) {
		const previousZone = process.env.TZ;
		process.env.TZ = TIME_ZONE;
		super(config, context);
		this.previousZone = previousZone;
	}

	async teardown() {
		if (this.previousZone === undefined) delete process.env.TZ;
		else process.env.TZ = this.previousZone;
		await super.teardown();
	}
}

module.exports = ZoneEnvironment;
