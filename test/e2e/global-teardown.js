const fs = require('fs');

module.exports = async function globalTeardown() {
	if (process.env.MEDIA_SERVER_E2E_DIR) {
		fs.rmSync(process.env.MEDIA_SERVER_E2E_DIR, { recursive: true, force: true });
	}
};
