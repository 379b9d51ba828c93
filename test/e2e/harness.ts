/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test harness, not node code */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { createServer, type Server } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import * as runtime from '../../tools/n8n-runtime';
import {
	passwordFields,
	scanStoppedN8n,
	secretsOf,
	type CredentialTypeDescription,
	type ImportedCredential,
} from './secretScan';

/** What the workflow's HTTP Request node posts to the sink for every execution. */
export interface SinkDelivery {
	executionId: string;
	workflow: string;
	trigger: string;
	event: Record<string, unknown>;
	binary?: Record<string, { fileName?: string; mimeType?: string; fileSize?: string }>;
}

/** A local HTTP server that the e2e workflows post their output to. */
export class Sink {
	readonly deliveries: SinkDelivery[] = [];
	private waiters: Array<() => void> = [];
	private server: Server | undefined;
	port = 0;

	async start(): Promise<void> {
		this.server = createServer((request, response) => {
			let body = '';
			request.on('data', (chunk) => (body += chunk));
			request.on('end', () => {
				this.deliveries.push(JSON.parse(body) as SinkDelivery);
				response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
				this.waiters.splice(0).forEach((wake) => wake());
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as { port: number }).port;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}/sink`;
	}

	/** Resolves with delivery number `index` (0-based), waiting for it up to `timeoutMs`. */
	async delivery(index: number, timeoutMs = 20000): Promise<SinkDelivery> {
		const deadline = Date.now() + timeoutMs;
		while (this.deliveries.length <= index) {
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`No sink delivery #${index + 1} within ${timeoutMs} ms`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		return this.deliveries[index];
	}

	/** Resolves with the first `count` deliveries that match, waiting for them up to `timeoutMs`. */
	async matching(
		predicate: (delivery: SinkDelivery) => boolean,
		count: number,
		timeoutMs = 30000,
	): Promise<SinkDelivery[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.deliveries.filter(predicate);
			if (found.length >= count) return found.slice(0, count);
			const left = deadline - Date.now();
			if (left <= 0) {
				throw new Error(`Only ${found.length} of ${count} sink deliveries within ${timeoutMs} ms`);
			}
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}
}

export interface TriggerSpec {
	name: string;
	type: string;
	webhookId: string;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

function sinkNode(id: string, sinkUrl: string) {
	return {
		id: `${id}-sink`,
		name: 'Sink',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [800, 0],
		parameters: {
			method: 'POST',
			url: sinkUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody:
				'={{ JSON.stringify({ executionId: $execution.id, workflow: $workflow.id, trigger: $prevNode.name, event: $json, binary: $binary }) }}',
			options: {},
		},
	};
}

/** One workflow: every trigger feeds an HTTP Request node that posts the item to the sink. */
export function sinkWorkflow(id: string, sinkUrl: string, triggers: TriggerSpec[]) {
	return {
		id,
		name: `e2e ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			...triggers.map((trigger, index) => ({
				id: `${id}-${index}`,
				name: trigger.name,
				type: trigger.type,
				typeVersion: 1,
				position: [0, index * 200],
				webhookId: trigger.webhookId,
				parameters: trigger.parameters ?? {},
				...(trigger.credentials ? { credentials: trigger.credentials } : {}),
			})),
			sinkNode(id, sinkUrl),
		],
		connections: Object.fromEntries(
			triggers.map((trigger) => [
				trigger.name,
				{ main: [[{ node: 'Sink', type: 'main', index: 0 }]] },
			]),
		),
	};
}

export interface PipelineNode {
	name: string;
	type: string;
	/** 1 unless given. */
	typeVersion?: number;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	/** Only on the trigger. */
	webhookId?: string;
	/** n8n's node setting, e.g. `continueRegularOutput` to pass failures on as items. */
	onError?: string;
}

/** One workflow: a trigger, the nodes after it in a row, then the sink (none when `sinkUrl` is null). */
export function pipelineWorkflow(id: string, sinkUrl: string | null, nodes: PipelineNode[]) {
	const all = nodes.map((node, index) => ({
		id: `${id}-${index}`,
		typeVersion: 1,
		position: [index * 250, 0],
		parameters: {},
		...node,
	}));
	if (sinkUrl !== null) {
		all.push({ ...sinkNode(id, sinkUrl), name: `${id} sink`, position: [nodes.length * 250, 0] });
	}
	return {
		id,
		name: `e2e ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: all,
		connections: Object.fromEntries(
			all
				.slice(0, -1)
				.map((node, index) => [
					node.name,
					{ main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] },
				]),
		),
	};
}

interface WorkflowJson {
	id: string;
	nodes: object[];
	connections: Record<string, unknown>;
}

/** A shipped example workflow with the sink appended after `lastNode`, to check what the example produces. */
export function exampleWithSink(
	file: string,
	sinkUrl: string,
	lastNodes: string | string[],
	credentials: Record<string, Record<string, { id: string; name: string }>> = {},
): WorkflowJson {
	const workflow = JSON.parse(
		readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8'),
	) as WorkflowJson;
	const toSink = { main: [[{ node: 'Sink', type: 'main', index: 0 }]] };
	return {
		...workflow,
		// The credentials the test's servers need, by node name: the examples ship without any.
		nodes: [
			...(workflow.nodes as Array<{ name: string }>).map((node) =>
				credentials[node.name] ? { ...node, credentials: credentials[node.name] } : node,
			),
			sinkNode(workflow.id, sinkUrl),
		],
		connections: {
			...workflow.connections,
			...Object.fromEntries([lastNodes].flat().map((node) => [node, toSink])),
		},
	};
}

export interface MultipartPart {
	name: string;
	/** Extra part headers after Content-Disposition, e.g. { 'Content-Type': 'application/json' }. */
	headers?: Record<string, string>;
	filename?: string;
	content: string | Buffer;
}

/** A multipart/form-data body built byte by byte, so each part carries exactly the headers a server sends. */
export function multipartBody(parts: MultipartPart[]): { body: Buffer; contentType: string } {
	const boundary = `----n8nMediaServerE2E${Date.now().toString(16)}`;
	const chunks: Buffer[] = [];
	for (const part of parts) {
		const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
		const headerLines = [
			`Content-Disposition: ${disposition}`,
			...Object.entries(part.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
		];
		chunks.push(
			Buffer.from(`--${boundary}\r\n${headerLines.join('\r\n')}\r\n\r\n`),
			Buffer.from(part.content),
			Buffer.from('\r\n'),
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface RunningN8n {
	baseUrl: string;
	webhookUrl(webhookId: string): string;
	/** Stops n8n and starts it again on the same data and port (waiting executions stay in its database). */
	restart(): Promise<void>;
	stop(): Promise<void>;
	log(): string;
	/** The n8n process id (it changes on restart), e.g. to read its memory and CPU time from /proc. */
	pid(): number;
	/** A secret that is not in the imported credentials (e.g. a session token a fake issued), for the scan at stop. */
	treatAsSecret(label: string, value: string): void;
}

/**
 * The secret fields of a credential type, as its class marks them: this package's types from the built code n8n
 * loads (package.json `n8n.credentials`), n8n's own (httpHeaderAuth, …) from n8n-nodes-base.
 */
function secretFieldsOf(provisionedDir: string): (type: string) => string[] {
	const load = (file: string) =>
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		Object.values(require(file) as Record<string, new () => CredentialTypeDescription>).map(
			(Type) => new Type(),
		);
	const manifest = JSON.parse(readFileSync(join(runtime.repoRoot, 'package.json'), 'utf8')) as {
		n8n: { credentials: string[] };
	};
	const ours = manifest.n8n.credentials.flatMap((file) => load(join(runtime.repoRoot, file)));
	return (type) => {
		const found = ours.find((each) => each.name === type);
		if (found) return passwordFields(found);
		const className = `${type[0].toUpperCase()}${type.slice(1)}`;
		const file = join(provisionedDir, 'node_modules', 'n8n-nodes-base', 'dist', 'credentials');
		return passwordFields(load(join(file, `${className}.credentials.js`))[0]);
	};
}

/**
 * A fresh n8n user folder with the packed package installed as a community package, the given credentials and
 * workflows imported and published, and n8n started on free loopback ports.
 */
export async function startN8nWith(setup: {
	workflows: object[];
	credentials?: object[];
	/** Extra n8n settings, e.g. { N8N_PAYLOAD_SIZE_MAX: '1' }. */
	env?: Record<string, string>;
}): Promise<RunningN8n> {
	const provisioned = JSON.parse(process.env.MEDIA_SERVER_E2E_RUNTIME ?? 'null');
	const tarball = process.env.MEDIA_SERVER_E2E_TARBALL;
	if (!provisioned || !tarball)
		throw new Error('Run the e2e tier through jest (its globalSetup provisions n8n)');
	const userFolder = mkdtempSync(join(tmpdir(), 'media-server-n8n-'));
	runtime.installPackage(tarball, userFolder);
	const env = runtime.n8nEnv({
		userFolder,
		port: await runtime.freePort(),
		brokerPort: await runtime.freePort(),
		extra: setup.env,
	});
	runtime.importAndPublish(provisioned, env, setup);
	const { secrets, tooShort } = secretsOf(
		(setup.credentials ?? []) as ImportedCredential[],
		secretFieldsOf(provisioned.dir),
	);
	// The logs of the runs before each restart, scanned at stop with the last one.
	const earlierLogs: string[] = [];
	let n8n = await runtime.startN8n(provisioned, env);
	// Triggers listen on <webhookId>/webhook; Wait nodes have a webhookId too, but no such webhook.
	const webhookIds = (
		setup.workflows as Array<{ nodes: Array<{ webhookId?: string; type: string }> }>
	).flatMap((workflow) =>
		workflow.nodes.flatMap((node) =>
			node.webhookId && (node.type.endsWith('Trigger') || node.type === 'n8n-nodes-base.webhook')
				? [`${node.webhookId}/webhook`]
				: [],
		),
	);
	await runtime.waitForWebhooks(n8n.baseUrl, webhookIds);
	return {
		baseUrl: n8n.baseUrl,
		webhookUrl: (webhookId) => `${n8n.baseUrl}/webhook/${webhookId}/webhook`,
		log: () => n8n.log(),
		pid: () => n8n.pid,
		treatAsSecret: (label, value) => secrets.push({ label, value }),
		async restart() {
			await n8n.stop();
			earlierLogs.push(n8n.log());
			n8n = await runtime.startN8n(provisioned, env);
			await runtime.waitForWebhooks(n8n.baseUrl, webhookIds);
		},
		async stop() {
			await n8n.stop();
			try {
				const log = [...earlierLogs, n8n.log()].join('\n');
				scanStoppedN8n({ userFolder, log, secrets, tooShort, node: provisioned.node });
			} finally {
				rmSync(userFolder, { recursive: true, force: true });
			}
		},
	};
}

export const OWNER = { email: 'owner@example.com', password: 'Owner-passw0rd' };

/** n8n settings that create the owner at start, so the tests can log in to n8n's REST API. */
export function ownerEnv(): Record<string, string> {
	const provisioned = JSON.parse(process.env.MEDIA_SERVER_E2E_RUNTIME ?? 'null') as { dir: string };
	// n8n's own bcrypt, from the provisioned runtime.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const bcrypt = require(join(provisioned.dir, 'node_modules', 'bcryptjs')) as {
		hashSync(password: string, rounds: number): string;
	};
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
		N8N_INSTANCE_OWNER_FIRST_NAME: 'Test',
		N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
	};
}

/** A logged-in session of n8n's REST API (the one the editor uses). */
export async function restSession(baseUrl: string) {
	const browserId = 'e2e-browser';
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': browserId },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	if (login.status !== 200)
		throw new Error(`n8n login failed: ${login.status} ${await login.text()}`);
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
		const response = await fetch(`${baseUrl}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': browserId, cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const answer = (await response.json()) as { data?: unknown };
		if (response.status !== 200) {
			throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
		}
		return answer.data;
	};
	return {
		get: async (path: string) => await call('GET', path),
		post: async (path: string, body: unknown) => await call('POST', path, body),
	};
}
