// `npm start`: n8n 2.x on http://127.0.0.1:5678 with this package installed as a community package and the
// example workflows imported and published. Ctrl-C stops it. Data lives in .n8n-dev/ (git-ignored).
'use strict';
const fs = require('fs');
const path = require('path');
const runtime = require('./n8n-runtime');

const port = Number(process.env.PORT ?? 5678);
const listenAddress = process.env.LISTEN_ADDRESS ?? '127.0.0.1';
const publicHost = process.env.PUBLIC_HOST ?? '127.0.0.1';
const userFolder = path.join(runtime.repoRoot, '.n8n-dev');
const examplesDir = path.join(runtime.repoRoot, 'examples');

function exampleWorkflows() {
	return fs
		.readdirSync(examplesDir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')));
}

async function main() {
	const provisioned = runtime.provision();
	fs.mkdirSync(userFolder, { recursive: true });
	runtime.installPackage(runtime.packPackage(userFolder), userFolder);
	const env = runtime.n8nEnv({
		userFolder,
		port,
		brokerPort: await runtime.freePort(),
		extra: {
			N8N_LISTEN_ADDRESS: listenAddress,
			N8N_EDITOR_BASE_URL: `http://${publicHost}:${port}`,
			N8N_WEBHOOK_URL: `http://${publicHost}:${port}/`,
			N8N_LOG_LEVEL: 'info',
		},
	});
	const workflows = exampleWorkflows();
	// Import once, so edits made in the editor survive the next `npm start`.
	const marker = path.join(userFolder, '.examples-imported');
	if (!fs.existsSync(marker)) {
		console.log(`Importing ${workflows.length} example workflow(s)…`);
		runtime.importAndPublish(provisioned, env, { workflows });
		fs.writeFileSync(marker, new Date().toISOString());
	}
	console.log('Starting n8n…');
	const n8n = await runtime.startN8n(provisioned, env, { stdio: 'inherit', timeoutMs: 300000 });
	const triggers = workflows.flatMap((workflow) =>
		workflow.nodes.filter((node) => node.webhookId).map((node) => ({ workflow, node })),
	);
	await runtime.waitForWebhooks(n8n.baseUrl, triggers.map(({ node }) => `${node.webhookId}/webhook`));
	const publicBase = `http://${publicHost}:${port}`;
	console.log(`\nn8n is running: open ${publicBase} (first visit: create the owner account).`);
	console.log('Webhook URLs to paste into your media servers, Sonarr and Radarr:');
	for (const { workflow, node } of triggers) {
		console.log(`  ${node.name.padEnd(22)} ${publicBase}/webhook/${node.webhookId}/webhook   (${workflow.name})`);
	}
	console.log('Press Ctrl-C to stop.\n');

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n…');
		await n8n.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
