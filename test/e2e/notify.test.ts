/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code */
import { readFileSync } from 'fs';
import { createServer, type Server } from 'http';
import { join } from 'path';
import { fixtureFiles, fixtureJson, fixtureText } from '../fixtures/load';
import { renderTautulli, TAUTULLI_MOVIE } from '../unit/fixtures';
import { multipartBody, ownerEnv, restSession, startN8nWith, type RunningN8n } from './harness';

/**
 * Notifications in a real n8n 2.41 with the shipped examples: every real fixture of every trigger through Media
 * Template (Discord) and n8n's HTTP Request node to a local receiver, which must get valid JSON each time; and
 * the retry ladder with its rungs scaled down (to seconds, and one just above n8n's 65-s threshold across a
 * restart).
 */

interface Received {
	path: string;
	at: number;
	contentType: string;
	raw: string;
}

/** The notification targets: records every request; `/flaky-N-…` fails N times, `/dead-…` always. */
class Receiver {
	readonly received: Received[] = [];
	private waiters: Array<() => void> = [];
	private server: Server | undefined;
	private failures = new Map<string, number>();
	port = 0;

	async start(): Promise<void> {
		this.server = createServer((request, response) => {
			let raw = '';
			request.setEncoding('utf8');
			request.on('data', (chunk: string) => (raw += chunk));
			request.on('end', () => {
				const path = request.url ?? '';
				this.received.push({
					path,
					at: Date.now(),
					contentType: request.headers['content-type'] ?? '',
					raw,
				});
				const failed = this.failures.get(path) ?? 0;
				const flaky = /^\/flaky-(\d+)/.exec(path);
				const fail = path.startsWith('/dead') || (flaky !== null && failed < Number(flaky[1]));
				this.failures.set(path, failed + (fail ? 1 : 0));
				response.writeHead(fail ? 503 : 204).end(fail ? 'down for maintenance' : undefined);
				this.waiters.splice(0).forEach((wake) => wake());
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as { port: number }).port;
	}

	url(path: string): string {
		return `http://127.0.0.1:${this.port}${path}`;
	}

	on(path: string): Received[] {
		return this.received.filter((entry) => entry.path === path);
	}

	/** Resolves once `count` requests reached `path`. */
	async waitFor(path: string, count: number, timeoutMs: number): Promise<Received[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.on(path).length < count) {
			const left = deadline - Date.now();
			if (left <= 0)
				throw new Error(
					`${this.on(path).length} of ${count} requests to ${path} in ${timeoutMs} ms`,
				);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		return this.on(path);
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}
}

const receiver = new Receiver();
let n8n: RunningN8n;

interface ExampleNode {
	name: string;
	type: string;
	webhookId?: string;
	parameters: Record<string, unknown>;
}
interface Example {
	id: string;
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, unknown>;
}

function example(file: string): Example {
	return JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as Example;
}

function nodeOf(workflow: Example, name: string): ExampleNode {
	const found = workflow.nodes.find((node) => node.name === name);
	if (!found) throw new Error(`No node ${name} in ${workflow.id}`);
	return found;
}

/** The Discord example as shipped, every trigger taking all events, sending to the receiver. */
function notifyDiscord(): Example {
	const workflow = example('notify-discord.json');
	for (const node of workflow.nodes) if (node.webhookId) node.parameters.events = [];
	nodeOf(workflow, 'Send to Discord').parameters.url = receiver.url('/discord');
	return workflow;
}

/** A copy of the ladder example with its rungs in seconds and its targets on the receiver. */
function ladder(id: string, rungs: number[], send: string): Example {
	const workflow = example('notify-with-retry-ladder.json');
	workflow.id = id;
	workflow.name = `${workflow.name} (${id})`;
	for (const node of workflow.nodes) if (node.webhookId) node.webhookId = `${id}-${node.webhookId}`;
	const assignments = (
		nodeOf(workflow, 'Ladder').parameters.assignments as {
			assignments: Array<{ name: string; value: unknown }>;
		}
	).assignments;
	assignments.find((assignment) => assignment.name === 'rungs')!.value =
		`={{ ${JSON.stringify(rungs)} }}`;
	nodeOf(workflow, 'Send').parameters.url = receiver.url(send);
	nodeOf(workflow, 'Health Warning').parameters.url = receiver.url(`/warning-${id}`);
	return workflow;
}

beforeAll(async () => {
	await receiver.start();
	n8n = await startN8nWith({
		workflows: [
			notifyDiscord(),
			// Falling rungs: a wait shorter than its own rung (the next rung's, say) shows as a gap below it,
			// without an upper bound on time, which a busy machine could break.
			ladder('ladderFlaky', [3, 2, 1, 4, 3600], '/flaky-3-a'),
			ladder('ladderDead', [1, 1, 1, 1, 3600], '/dead-b'),
			ladder('ladderRestart', [1, 66, 3600, 3600, 3600], '/flaky-2-c'),
		],
		env: ownerEnv(),
	});
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await receiver.stop();
});

async function post(webhookId: string, body: string | Buffer, contentType: string) {
	const response = await fetch(n8n.webhookUrl(webhookId), {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: Buffer.isBuffer(body) ? new Uint8Array(body) : body,
	});
	return (await response.json()) as { message: string };
}

describe('every trigger → Media Template (Discord) → HTTP Request', () => {
	test('the receiver gets valid JSON for every real fixture, quotes and emoji included', async () => {
		const sent: string[] = [];
		const send = async (
			name: string,
			webhookId: string,
			body: string | Buffer,
			contentType: string,
		) => {
			expect({ name, answer: await post(webhookId, body, contentType) }).toEqual({
				name,
				answer: expect.objectContaining({ message: 'Workflow was started' }),
			});
			sent.push(name);
		};
		for (const file of fixtureFiles('jellyfin')) {
			await send(
				file,
				'notify-jellyfin-example',
				fixtureText('jellyfin', file),
				'text/plain; charset=utf-8',
			);
		}
		// Constructed from a real Jellyfin body: a title with quotes, a backslash, a newline, emoji and RTL text.
		const hostile = {
			...fixtureJson('jellyfin', 'playback-stop-movie-10.8.8.json'),
			Name: 'The "Menu" \\ 🍽️\nעברית',
		};
		await send(
			'hostile title',
			'notify-jellyfin-example',
			JSON.stringify(hostile),
			'application/json',
		);
		for (const file of fixtureFiles('emby')) {
			await send(file, 'notify-emby-example', fixtureText('emby', file), 'application/json');
		}
		for (const file of fixtureFiles('plex')) {
			const { body, contentType } = multipartBody([
				{
					name: 'payload',
					headers: { 'Content-Type': 'application/json' },
					content: fixtureText('plex', file),
				},
			]);
			await send(file, 'notify-plex-example', body, contentType);
		}
		const tautulli = renderTautulli(fixtureText('tautulli', 'watchstate-body-template.json'), {
			...TAUTULLI_MOVIE,
			action: 'watched',
		});
		await send(
			'tautulli watched',
			'notify-tautulli-example',
			JSON.stringify(tautulli),
			'application/json',
		);
		for (const file of fixtureFiles('servarr')) {
			await send(file, 'notify-servarr-example', fixtureText('servarr', file), 'application/json');
		}

		const received = await receiver.waitFor('/discord', sent.length, 60_000);
		expect(received).toHaveLength(sent.length);
		for (const entry of received) {
			expect(entry.contentType).toMatch(/^application\/json/);
			const body = JSON.parse(entry.raw) as { content: string };
			expect(Object.keys(body)).toEqual(['content']);
			expect(body.content).toMatch(/^\*\*[a-zA-Z]+\*\* /);
		}
		expect(
			received.some((entry) =>
				(JSON.parse(entry.raw) as { content: string }).content.includes('The "Menu" \\ 🍽️\nעברית'),
			),
		).toBe(true);
	}, 180_000);
});

describe('the retry ladder', () => {
	const servarr = () => fixtureText('servarr', 'sonarr-download-upgrade-constructed-v4.0.19.json');

	test('a target that fails 3 times then recovers: exactly 4 attempts, each at least its rung after the last', async () => {
		await post('ladderFlaky-notify-ladder-example', servarr(), 'application/json');
		const attempts = await receiver.waitFor('/flaky-3-a', 4, 60_000);
		const gaps = attempts.slice(1).map((attempt, index) => attempt.at - attempts[index].at);
		// Each wait is at least its rung (3, 2, 1 s; 50 ms for the timers' rounding).
		gaps.forEach((gap, index) => {
			expect(gap).toBeGreaterThanOrEqual([3000, 2000, 1000][index] - 50);
		});
		expect(receiver.on('/warning-ladderFlaky')).toEqual([]);
		// A fifth attempt would come 4 s after the fourth; the success ended the loop.
		expect(await executionsWaiting('ladderFlaky')).toBe(0);
	}, 60_000);

	test('a dead target: 5 attempts, then one health warning through the second target', async () => {
		await post('ladderDead-notify-ladder-example', servarr(), 'application/json');
		const attempts = await receiver.waitFor('/dead-b', 5, 60_000);
		const [warning] = await receiver.waitFor('/warning-ladderDead', 1, 60_000);
		expect(attempts).toHaveLength(5);
		expect(JSON.parse(warning.raw)).toEqual({
			content: expect.stringMatching(
				/^⚠️ A notification failed 5 times in a row \(.*503.*\)\. One more try in 1 h, then it is dropped\.$/,
			),
		});
		// The last try waits for the 24-h rung (here 3,600 s), as a waiting execution.
		expect(await executionsWaiting('ladderDead')).toBe(1);
		expect(receiver.on('/dead-b')).toHaveLength(5);
	}, 60_000);

	test('a rung above 65 s survives an n8n restart during the wait', async () => {
		await post('ladderRestart-notify-ladder-example', servarr(), 'application/json');
		const [, second] = await receiver.waitFor('/flaky-2-c', 2, 60_000);
		await waitUntilWaiting('ladderRestart');
		await n8n.restart();
		const [, , third] = await receiver.waitFor('/flaky-2-c', 3, 180_000);
		expect(third.at - second.at).toBeGreaterThanOrEqual(66_000 - 50);
		expect(receiver.on('/flaky-2-c')).toHaveLength(3);
	}, 300_000);
});

/** Executions of a workflow that n8n has stored as waiting (a Wait node of 65 s or more). */
async function executionsWaiting(workflowId: string): Promise<number> {
	const session = await restSession(n8n.baseUrl);
	const answer = (await session.get(
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId, status: ['waiting'] }))}`,
	)) as { results: unknown[] };
	return answer.results.length;
}

async function waitUntilWaiting(workflowId: string): Promise<void> {
	const deadline = Date.now() + 30_000;
	while ((await executionsWaiting(workflowId)) === 0) {
		if (Date.now() > deadline) throw new Error(`No waiting execution of ${workflowId} within 30 s`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
