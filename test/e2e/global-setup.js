// Runs once before the e2e test files: provisions n8n (cached) and packs the built package, so parallel
// test files neither race on the install nor pack twice.
const fs = require('fs');
const os = require('os');
const path = require('path');
const runtime = require('../../tools/n8n-runtime');

module.exports = async function globalSetup() {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-server-e2e-'));
	process.env.MEDIA_SERVER_E2E_RUNTIME = JSON.stringify(runtime.provision());
	process.env.MEDIA_SERVER_E2E_TARBALL = runtime.packPackage(workDir);
	process.env.MEDIA_SERVER_E2E_DIR = workDir;
};
