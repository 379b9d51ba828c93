/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test and benchmark code */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { fixtureFiles, fixtureText } from '../fixtures/load';
import { multipartBody, type RunningN8n } from './harness';

/**
 * Load through a real n8n, shared by the load test (test/e2e/load.test.ts) and the trigger benchmark
 * (bench/triggers.bench.ts): every real fixture as its server posts it, workflows that do nothing after the
 * trigger, a sender with a fixed concurrency, and the n8n process's memory and CPU time from /proc.
 */

export type TriggerKind = 'jellyfin' | 'emby' | 'plex' | 'tautulli' | 'servarr';

export const TRIGGER_TYPES: Record<TriggerKind, string> = {
	jellyfin: 'n8n-nodes-media-server.jellyfinTrigger',
	emby: 'n8n-nodes-media-server.embyTrigger',
	plex: 'n8n-nodes-media-server.plexTrigger',
	tautulli: 'n8n-nodes-media-server.tautulliTrigger',
	servarr: 'n8n-nodes-media-server.servarrTrigger',
};

export interface LoadRequest {
	trigger: TriggerKind;
	/** The fixture it came from. */
	label: string;
	body: string | Buffer;
	headers: Record<string, string>;
}

const TAUTULLI_DIR = 'tautulli/real-v2.17.2';

/** A real captured body of one of the five webhook triggers' servers, as stored. */
export interface RealFixture {
	trigger: TriggerKind;
	file: string;
	text: string;
}

/**
 * Every real fixture of the five webhook triggers. Left out: bodies built by hand (`constructed` in the name)
 * and Tautulli's empty Test body, which no trigger accepts.
 */
export function realFixtures(): RealFixture[] {
	const of = (trigger: TriggerKind, dir: string, keep: (file: string) => boolean) =>
		fixtureFiles(dir)
			.filter(keep)
			.map((file) => ({ trigger, file, text: fixtureText(dir, file) }));
	const all = () => true;
	return [
		...of('jellyfin', 'jellyfin', all),
		...of('emby', 'emby', all),
		...of('plex', 'plex', all),
		...of(
			'tautulli',
			TAUTULLI_DIR,
			(file) => !['headers.json', 'test-default.json'].includes(file),
		),
		...of('servarr', 'servarr', (file) => !file.includes('constructed')),
	];
}

/** A fixture as its server posts it: Jellyfin's plugin text/plain, Plex multipart with the JSON as a typed part. */
function asSent({ trigger, file, text }: RealFixture): LoadRequest {
	const json = { 'content-type': 'application/json' };
	switch (trigger) {
		case 'jellyfin':
			return {
				trigger,
				label: file,
				body: text,
				headers: {
					'content-type': 'text/plain; charset=utf-8',
					'user-agent': 'Jellyfin-Server/10.10.3',
				},
			};
		case 'plex': {
			const { body, contentType } = multipartBody([
				{ name: 'payload', headers: { 'Content-Type': 'application/json' }, content: text },
			]);
			return {
				trigger,
				label: file,
				body,
				headers: {
					'content-type': contentType,
					'user-agent': 'PlexMediaServer/1.40.1.8227-c0dd5a73e',
				},
			};
		}
		case 'tautulli':
			return {
				trigger,
				label: file,
				body: text,
				headers: { ...json, 'user-agent': 'Tautulli/v2.17.2' },
			};
		case 'servarr':
			return {
				trigger,
				label: file,
				body: text,
				headers: {
					...json,
					'user-agent': file.startsWith('sonarr')
						? 'Sonarr/4.0.19.2979 (ubuntu 22.04)'
						: 'Radarr/5.28.0.10205 (alpine 3.20.3)',
				},
			};
		case 'emby':
			return { trigger, label: file, body: text, headers: json };
	}
}

/** Every real fixture of the five webhook triggers, each posted as its server sends it. */
export function realRequests(): LoadRequest[] {
	return realFixtures().map(asSent);
}

/** `count` requests taken in turn from `pool`, so every server and event appears throughout the run. */
export function mixed(pool: LoadRequest[], count: number): LoadRequest[] {
	return Array.from({ length: count }, (_, index) => pool[index % pool.length]);
}

export interface Receiver {
	name: string;
	type: string;
	typeVersion: number;
	webhookId: string;
	parameters: Record<string, unknown>;
}

/** A trigger of ours on the webhook `<webhookId>/webhook`. */
export function triggerReceiver(
	kind: TriggerKind,
	webhookId: string,
	parameters: Record<string, unknown> = {},
): Receiver {
	return { name: webhookId, type: TRIGGER_TYPES[kind], typeVersion: 1, webhookId, parameters };
}

/** n8n's own Webhook node on the same kind of URL, answering as soon as it has the request. */
export function webhookNodeReceiver(webhookId: string): Receiver {
	return {
		name: webhookId,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId,
		parameters: {
			httpMethod: 'POST',
			path: `${webhookId}/webhook`,
			responseMode: 'onReceived',
			options: {},
		},
	};
}

/** One workflow in which every receiver feeds the same No Operation node: the smallest workflow that runs. */
export function receiversWorkflow(id: string, receivers: Receiver[]) {
	return {
		id,
		name: `load ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			...receivers.map((receiver, index) => ({
				id: `${id}-${index}`,
				position: [0, index * 200],
				...receiver,
			})),
			{
				id: `${id}-noop`,
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [400, 0],
				parameters: {},
			},
		],
		connections: Object.fromEntries(
			receivers.map((receiver) => [
				receiver.name,
				{ main: [[{ node: 'Done', type: 'main', index: 0 }]] },
			]),
		),
	};
}

export interface Sent {
	request: LoadRequest;
	/** HTTP status, or 0 when the request failed or timed out. */
	status: number;
	answer: string;
	latencyMs: number;
}

/** Sends every request with at most `concurrency` in flight; each to the URL `urlFor` gives it. */
export async function sendAll(
	requests: LoadRequest[],
	urlFor: (request: LoadRequest) => string,
	concurrency: number,
	timeoutMs = 30_000,
): Promise<Sent[]> {
	const results: Sent[] = new Array(requests.length);
	let next = 0;
	const worker = async () => {
		for (let index = next++; index < requests.length; index = next++) {
			const request = requests[index];
			const started = performance.now();
			let status = 0;
			let answer: string;
			try {
				const response = await fetch(urlFor(request), {
					method: 'POST',
					headers: request.headers,
					body: typeof request.body === 'string' ? request.body : new Uint8Array(request.body),
					signal: AbortSignal.timeout(timeoutMs),
				});
				answer = await response.text();
				status = response.status;
			} catch (error) {
				// fetch's TypeError says only "fetch failed"; the socket's code says where it broke.
				const cause = (error as Error & { cause?: { code?: string } }).cause;
				answer = [(error as Error).name, cause?.code].filter(Boolean).join(' ');
			}
			results[index] = { request, status, answer, latencyMs: performance.now() - started };
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return results;
}

/** The answer our triggers give an accepted request. */
export function startedWorkflow(sent: Sent): boolean {
	return sent.status === 200 && sent.answer.startsWith('{"message":"Workflow was started"');
}

/** Resident memory of a process (VmRSS), in bytes. */
export function rssBytes(pid: number): number {
	const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!line) throw new Error(`No VmRSS for process ${pid}`);
	return Number(line[1]) * 1024;
}

let clockTicksPerSecond: number | undefined;

/** CPU time (user + system) a process has used so far, in ms. */
export function cpuMs(pid: number): number {
	clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
	// Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 12 and 13.
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond) * 1000;
}

/** n8n settings that open its inspector on a free loopback port, so that collectGarbage can reach it. */
export const INSPECTOR_ENV = { NODE_OPTIONS: '--inspect=127.0.0.1:0' };

/**
 * Runs a full garbage collection in n8n (through the inspector INSPECTOR_ENV opened) and returns its V8 heap in
 * use afterwards, in bytes. The inspector client runs in the provisioned Node 24, which has WebSocket built in.
 */
export function collectGarbage(n8n: RunningN8n): number {
	const url = /Debugger listening on (ws:\/\/\S+)/.exec(n8n.log())?.[1];
	if (!url) throw new Error('n8n has no inspector: start it with INSPECTOR_ENV');
	const provisioned = JSON.parse(process.env.MEDIA_SERVER_E2E_RUNTIME ?? '{}') as { node: string };
	const client = `
		const socket = new WebSocket(process.argv[1]);
		const call = (id, method, params) => socket.send(JSON.stringify({ id, method, params }));
		socket.onopen = () => call(1, 'HeapProfiler.collectGarbage');
		socket.onmessage = ({ data }) => {
			const message = JSON.parse(data);
			if (message.id === 1) call(2, 'Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true });
			if (message.id === 2) { console.log(message.result.result.value); socket.close(); }
		};
		socket.onerror = (event) => { console.error(event.message); process.exit(1); };
	`;
	const heapUsed = execFileSync(provisioned.node, ['-e', client, url], {
		encoding: 'utf8',
		timeout: 60_000,
	});
	return Number(heapUsed);
}

type RestSession = { get(path: string): Promise<unknown> };

const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const CURRENT = ['new', 'running'];

/** How many executions of a workflow n8n has stored with one of these statuses. */
async function executionCount(
	session: RestSession,
	workflowId: string,
	status: string[],
): Promise<number> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
	return ((await session.get(`/executions?filter=${filter}&limit=1`)) as { count: number }).count;
}

/** How many executions of a workflow n8n has stored, per status. */
export async function executionCounts(
	session: RestSession,
	workflowId: string,
): Promise<Record<string, number>> {
	const statuses = [...FINISHED, ...CURRENT, 'waiting'];
	const counts = await Promise.all(
		statuses.map(async (status) => executionCount(session, workflowId, [status])),
	);
	return Object.fromEntries(statuses.map((status, index) => [status, counts[index]]));
}

/**
 * Waits until n8n has stored `expected` finished executions of a workflow and none is still new or running;
 * after `timeoutMs` it stops waiting. Returns the counts per status either way.
 */
export async function settledExecutions(
	session: RestSession,
	workflowId: string,
	expected: number,
	timeoutMs = 120_000,
): Promise<Record<string, number>> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const [finished, current] = await Promise.all([
			executionCount(session, workflowId, FINISHED),
			executionCount(session, workflowId, CURRENT),
		]);
		if (finished >= expected && current === 0) break;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return await executionCounts(session, workflowId);
}
