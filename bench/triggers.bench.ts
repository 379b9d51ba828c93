/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code */
import { loadavg } from 'os';
import { jsonObjectFrom } from '../nodes/core/body';
import type { MediaEvent, ParseContext } from '../nodes/core/event';
import type { JsonObject } from '../nodes/core/values';
import { parseEmby } from '../nodes/core/parsers/emby';
import { parseJellyfin } from '../nodes/core/parsers/jellyfin';
import { parsePlex } from '../nodes/core/parsers/plex';
import { parseServarr } from '../nodes/core/parsers/servarr';
import { parseTautulli, tautulliPayload } from '../nodes/core/parsers/tautulli';
import { ownerEnv, restSession, startN8nWith, type RunningN8n } from '../test/e2e/harness';
import {
	collectGarbage,
	cpuMs,
	INSPECTOR_ENV,
	mixed,
	realFixtures,
	realRequests,
	receiversWorkflow,
	rssBytes,
	sendAll,
	settledExecutions,
	triggerReceiver,
	webhookNodeReceiver,
	type LoadRequest,
	type Sent,
	type TriggerKind,
} from '../test/e2e/webhookLoad';
import { fixtureJson } from '../test/fixtures/load';
import { jellyfinWireText, playbackProgress } from '../test/fixtures/jellyfinPlugin';
import { percentile, writeSection, type SummaryRow } from './report';

/**
 * What our webhook triggers cost n8n, in one real n8n run, with blocks of the two sides interleaved (and their
 * order alternated) so that machine noise hits both:
 * - each trigger beside n8n's own Webhook node with the same real bodies (→ No Operation in both workflows);
 * - a request the Events filter drops (answered without an execution) beside the same request accepted;
 * - a Jellyfin playback session's PlaybackProgress heartbeats, with Progress among the trigger's Events and not;
 * - each parser alone, in this process, on the real fixtures.
 * n8n's CPU time comes from /proc/<pid>/stat and includes running the executions (each block waits for them).
 * Sizes: TRIGGERS_BENCH_REQUESTS per block (default 100), TRIGGERS_BENCH_ROUNDS (default 2).
 */

const REQUESTS = Number(process.env.TRIGGERS_BENCH_REQUESTS ?? 100);
const ROUNDS = Number(process.env.TRIGGERS_BENCH_ROUNDS ?? 2);
const CONCURRENCY = 10;
const KINDS: TriggerKind[] = ['jellyfin', 'emby', 'plex', 'tautulli', 'servarr'];
const LABELS: Record<TriggerKind, string> = {
	jellyfin: 'Jellyfin',
	emby: 'Emby',
	plex: 'Plex',
	tautulli: 'Tautulli',
	servarr: 'Sonarr/Radarr',
};
const STOP = 'playback-stop-movie-10.8.8.json';
/** What n8n 2.41 does differently for every start node but its own Webhook node (webhooks/live-webhooks.js). */
const ISOLATE_NOTE =
	'Why a trigger costs n8n more than its Webhook node: n8n 2.41 skips the expression isolate only for its own Webhook node (`webhookPhaseNeedsIsolate`); for every other trigger it acquires one per request and holds it until the answer is sent. The pool has one isolate (`N8N_EXPRESSION_ENGINE_POOL_SIZE`, default 1); concurrent requests cold-start another each.';

let n8n: RunningN8n;
let session: Awaited<ReturnType<typeof restSession>>;
/** Executions each workflow should have stored by now. */
const expected: Record<string, number> = {};

beforeAll(async () => {
	const triggers = receiversWorkflow('benchTriggers', [
		...KINDS.map((kind) => triggerReceiver(kind, `bench-${kind}`, { events: [] })),
		// The same PlaybackStop is accepted by bench-jellyfin and dropped here.
		triggerReceiver('jellyfin', 'bench-jellyfin-added-only', { events: ['added'] }),
		// Heartbeats: the default Events (without Progress), and with Progress.
		triggerReceiver('jellyfin', 'bench-jellyfin-default-events'),
		triggerReceiver('jellyfin', 'bench-jellyfin-with-progress', { events: [] }),
	]);
	const webhookNodes = receiversWorkflow(
		'benchWebhookNodes',
		KINDS.map((kind) => webhookNodeReceiver(`bench-node-${kind}`)),
	);
	n8n = await startN8nWith({
		workflows: [triggers, webhookNodes],
		env: { ...ownerEnv(), ...INSPECTOR_ENV },
	});
	session = await restSession(n8n.baseUrl);
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
}, 120_000);

interface Block {
	sent: Sent[];
	seconds: number;
	cpuMs: number;
	rssGrowth: number;
}

/**
 * Sends the requests, waits until n8n has run every execution they started, and measures n8n's CPU time and
 * its resident memory after a garbage collection.
 */
async function block(
	requests: LoadRequest[],
	url: (request: LoadRequest) => string,
	workflowId: string,
	starts: (sent: Sent) => boolean,
	concurrency = CONCURRENCY,
): Promise<Block> {
	collectGarbage(n8n);
	const rssBefore = rssBytes(n8n.pid());
	const cpuBefore = cpuMs(n8n.pid());
	const started = performance.now();
	const sent = await sendAll(requests, url, concurrency);
	const seconds = (performance.now() - started) / 1000;
	expected[workflowId] = (expected[workflowId] ?? 0) + sent.filter(starts).length;
	await settledExecutions(session, workflowId, expected[workflowId]);
	const cpu = cpuMs(n8n.pid()) - cpuBefore;
	collectGarbage(n8n);
	return { sent, seconds, cpuMs: cpu, rssGrowth: rssBytes(n8n.pid()) - rssBefore };
}

const ok = (sent: Sent) => sent.status === 200;
const startedByTrigger = (sent: Sent) =>
	sent.status === 200 && sent.answer.startsWith('{"message":"Workflow was started"');

interface Totals {
	latencies: number[];
	errors: number;
	seconds: number;
	requests: number;
	cpuMs: number;
	rssGrowth: number;
	/** Each kind of failed answer ("0 TypeError", "500 …") and how often it came. */
	errorKinds: Record<string, number>;
}

function add(totals: Totals | undefined, measured: Block): Totals {
	const sum = totals ?? {
		latencies: [],
		errors: 0,
		seconds: 0,
		requests: 0,
		cpuMs: 0,
		rssGrowth: 0,
		errorKinds: {},
	};
	const errorKinds = { ...sum.errorKinds };
	for (const failed of measured.sent.filter((entry) => !ok(entry))) {
		const kind = `${failed.status} ${failed.answer.slice(0, 60)}`;
		errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
	}
	return {
		errorKinds,
		latencies: [...sum.latencies, ...measured.sent.map((entry) => entry.latencyMs)],
		errors: sum.errors + measured.sent.filter((entry) => !ok(entry)).length,
		seconds: sum.seconds + measured.seconds,
		requests: sum.requests + measured.sent.length,
		cpuMs: sum.cpuMs + measured.cpuMs,
		rssGrowth: sum.rssGrowth + measured.rssGrowth,
	};
}

const fmt = (value: number, digits = 0) =>
	value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function cells(totals: Totals): string[] {
	return [
		fmt(totals.requests / totals.seconds, 1),
		`${fmt(percentile(totals.latencies, 50))} / ${fmt(percentile(totals.latencies, 99))}`,
		fmt(totals.errors),
		fmt(totals.cpuMs / totals.requests, 1),
		fmt((totals.rssGrowth / 2 ** 20 / totals.requests) * 1000, 1),
	];
}

/** The failed answers of each side, or that there were none. */
function errorNote(sides: Array<[string, Totals]>): string {
	const parts = sides
		.filter(([, totals]) => totals.errors > 0)
		.map(
			([name, totals]) =>
				`${name}: ${Object.entries(totals.errorKinds)
					.map(([kind, count]) => `${count}× \`${kind}\``)
					.join(', ')}`,
		);
	return parts.length
		? `Failed requests (status 0: no HTTP answer). ${parts.join('; ')}.`
		: 'No failed requests.';
}

/** Runs `sides` in interleaved rounds, alternating which goes first, and sums each side's blocks. */
async function interleaved(sides: Array<() => Promise<Block>>): Promise<Totals[]> {
	const totals: Array<Totals | undefined> = sides.map(() => undefined);
	for (let round = 0; round < ROUNDS; round++) {
		const order = round % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => i).reverse();
		for (const index of order) totals[index] = add(totals[index], await sides[index]());
	}
	return totals as Totals[];
}

const loadAverage = () =>
	loadavg()
		.map((value) => value.toFixed(1))
		.join(', ');

test('each trigger vs the Webhook node, filtered-out vs accepted, heartbeats, parsers', async () => {
	const pool = realRequests();
	// Warm-up of every receiver, so that neither side pays for n8n's first use.
	await block(pool, (r) => n8n.webhookUrl(`bench-${r.trigger}`), 'benchTriggers', startedByTrigger);
	await block(pool, (r) => n8n.webhookUrl(`bench-node-${r.trigger}`), 'benchWebhookNodes', ok);
	const loadBefore = loadAverage();

	const perTrigger: Array<{ kind: TriggerKind; ours: Totals; node: Totals }> = [];
	for (const kind of KINDS) {
		const requests = mixed(
			pool.filter((request) => request.trigger === kind),
			REQUESTS,
		);
		const [ours, node] = await interleaved([
			() =>
				block(requests, () => n8n.webhookUrl(`bench-${kind}`), 'benchTriggers', startedByTrigger),
			() => block(requests, () => n8n.webhookUrl(`bench-node-${kind}`), 'benchWebhookNodes', ok),
		]);
		perTrigger.push({ kind, ours, node });
	}

	const stop = mixed(
		pool.filter((request) => request.label === STOP),
		REQUESTS,
	);
	const [accepted, filtered] = await interleaved([
		() => block(stop, () => n8n.webhookUrl('bench-jellyfin'), 'benchTriggers', startedByTrigger),
		() =>
			block(
				stop,
				() => n8n.webhookUrl('bench-jellyfin-added-only'),
				'benchTriggers',
				startedByTrigger,
			),
	]);

	// Constructed heartbeats in the plugin's wire form, from a real PlaybackStart: Jellyfin's once-a-second timer
	// (IsAutomated), playing, one session, sent one after another as a session does.
	const start = fixtureJson('jellyfin', 'playback-start-episode-10.8.10.json');
	const heartbeats: LoadRequest[] = Array.from({ length: REQUESTS }, (_, second) => ({
		trigger: 'jellyfin',
		label: 'heartbeat',
		body: jellyfinWireText(
			playbackProgress(start, {
				IsPaused: false,
				IsAutomated: true,
				PlaybackPositionTicks: (60 + second) * 10_000_000,
			}),
		),
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'user-agent': 'Jellyfin-Server/10.10.3',
		},
	}));
	const [dropped, emitted] = await interleaved([
		() =>
			block(
				heartbeats,
				() => n8n.webhookUrl('bench-jellyfin-default-events'),
				'benchTriggers',
				startedByTrigger,
				1,
			),
		() =>
			block(
				heartbeats,
				() => n8n.webhookUrl('bench-jellyfin-with-progress'),
				'benchTriggers',
				startedByTrigger,
				1,
			),
	]);
	const idleStart = cpuMs(n8n.pid());
	const idleSeconds = 10;
	await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
	const idleMsPerSecond = (cpuMs(n8n.pid()) - idleStart) / idleSeconds;

	const parsers = parserTimes();
	const loadAfter = loadAverage();

	const header =
		'| Receiver | Requests/s | Latency p50 / p99, ms | Errors | n8n CPU ms per request | n8n RSS growth per 1,000 requests, MiB |';
	const rule = '|---|---|---|---|---|---|';
	const triggerRows = perTrigger.flatMap(({ kind, ours, node }) => [
		`| ${LABELS[kind]} Trigger | ${cells(ours).join(' | ')} |`,
		`| Webhook node, same bodies | ${cells(node).join(' | ')} |`,
	]);
	const setting = `${fmt(REQUESTS)} requests per block at concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds per pair (order alternated); load average ${loadBefore} before, ${loadAfter} after.`;
	writeSection(
		'Triggers vs n8n’s Webhook node',
		[
			`Every real fixture of each server, posted as that server sends it, to our trigger and to n8n's own Webhook node (Respond: Immediately), each followed by a No Operation node in one real n8n. ${setting} n8n's CPU time is read from /proc/<pid>/stat and covers the executions too (each block waits until n8n has stored them); RSS is read after a forced garbage collection before and after each block. Both sides answer once n8n has stored the execution.`,
			'',
			header,
			rule,
			...triggerRows,
			'',
			ISOLATE_NOTE,
			'',
			errorNote(
				perTrigger.flatMap(
					({ kind, ours, node }): Array<[string, Totals]> => [
						[`${LABELS[kind]} Trigger`, ours],
						[`Webhook node (${LABELS[kind]} bodies)`, node],
					],
				),
			),
		].join('\n'),
		perTrigger.map(({ kind, ours, node }) => ({
			benchmark: 'Triggers vs Webhook node',
			measure: `${LABELS[kind]}: n8n CPU ms per request`,
			ours: fmt(ours.cpuMs / ours.requests, 1),
			baseline: `Webhook node: ${fmt(node.cpuMs / node.requests, 1)}`,
			comparison: `${fmt(ours.cpuMs / ours.requests / (node.cpuMs / node.requests), 2)}×`,
		})),
	);

	const perHourSeconds = (totals: Totals) => ((totals.cpuMs / totals.requests) * 3600) / 1000;
	writeSection(
		'Filtered-out vs accepted requests, and Jellyfin heartbeats',
		[
			`The real Jellyfin PlaybackStop (${STOP}) to a Jellyfin Trigger whose Events take it (one execution each) and to one whose Events are only Added (answered 200 "Event ignored", no execution). ${setting}`,
			'',
			header.replace('Receiver', 'Request'),
			rule,
			`| Accepted (an execution) | ${cells(accepted).join(' | ')} |`,
			`| Filtered out by Events | ${cells(filtered).join(' | ')} |`,
			'',
			errorNote([
				['Accepted', accepted],
				['Filtered out', filtered],
			]),
			'',
			`**What one playing Jellyfin session costs.** With **Playback Progress** ticked in the webhook plugin, Jellyfin posts a PlaybackProgress for every client report and, while playing, one a second from a server timer (IsAutomated). Constructed heartbeats of one playing session in the plugin's wire form (from the real PlaybackStart of playback-start-episode-10.8.10.json), ${fmt(REQUESTS)} per block sent one after another, ${ROUNDS} interleaved rounds. Idle n8n used ${fmt(idleMsPerSecond, 1)} ms of CPU per second (not subtracted).`,
			'',
			'| Trigger Events | Answer | n8n CPU ms per heartbeat | Latency p50 / p99, ms | n8n CPU per hour of playback (3,600 heartbeats) | Share of one core |',
			'|---|---|---|---|---|---|',
			...[
				['Default (no Progress)', '200 "Event ignored", no execution', dropped],
				['With Progress', 'one execution per heartbeat', emitted],
			].map(([events, answer, totals]) => {
				const sum = totals as Totals;
				return `| ${events as string} | ${answer as string} | ${fmt(sum.cpuMs / sum.requests, 1)} | ${fmt(percentile(sum.latencies, 50))} / ${fmt(percentile(sum.latencies, 99))} | ${fmt(perHourSeconds(sum))} s | ${fmt(sum.cpuMs / sum.requests / 10, 1)} % |`;
			}),
			'',
			errorNote([
				['Default Events', dropped],
				['With Progress', emitted],
			]),
			'',
			ISOLATE_NOTE,
		].join('\n'),
		[
			{
				benchmark: 'Filtered-out vs accepted',
				measure: 'n8n CPU ms per request',
				ours: `filtered out: ${fmt(filtered.cpuMs / filtered.requests, 1)}`,
				baseline: `accepted: ${fmt(accepted.cpuMs / accepted.requests, 1)}`,
				comparison: `${fmt(filtered.cpuMs / filtered.requests / (accepted.cpuMs / accepted.requests), 2)}×`,
			},
			{
				benchmark: 'Jellyfin heartbeats',
				measure: 'n8n CPU per hour of playback',
				ours: `Progress not in Events: ${fmt(perHourSeconds(dropped))} s`,
				baseline: `Progress in Events: ${fmt(perHourSeconds(emitted))} s`,
				comparison: `${fmt(perHourSeconds(dropped) / perHourSeconds(emitted), 2)}×`,
			},
		],
	);

	writeSection(
		'Parser time per event',
		[
			'Each parser alone, in the benchmark process (Node ' +
				process.version +
				'), over every real fixture of its server: the JSON object as n8n hands it to the trigger → the normalized event, and the same from the JSON text (as text/plain and multipart parts arrive). Median of 5 runs of at least 200 ms each.',
			'',
			'| Parser | Real fixtures | µs per event, object → event | µs per event, JSON text → event |',
			'|---|---|---|---|',
			...parsers.map(
				(row) =>
					`| ${row.label} | ${row.fixtures} | ${fmt(row.objectUs, 1)} | ${fmt(row.textUs, 1)} |`,
			),
		].join('\n'),
		[parserSummary(parsers, accepted.cpuMs / accepted.requests)],
	);
}, 1_800_000);

type Parser = (payload: JsonObject, context: ParseContext) => MediaEvent | object;

const PARSERS: Record<TriggerKind, { parse: Parser; read: (text: unknown) => JsonObject }> = {
	jellyfin: { parse: parseJellyfin, read: jsonObjectFrom },
	emby: { parse: parseEmby, read: jsonObjectFrom },
	plex: { parse: parsePlex, read: jsonObjectFrom },
	tautulli: { parse: parseTautulli, read: tautulliPayload },
	servarr: { parse: parseServarr, read: jsonObjectFrom },
};

/** Median µs per event of `run` over `events`, each run repeated until it has lasted at least 200 ms. */
function microsecondsPerEvent(events: number, run: () => void): number {
	const runs: number[] = [];
	for (let attempt = 0; attempt < 5; attempt++) {
		let loops = 0;
		const started = performance.now();
		while (performance.now() - started < 200) {
			run();
			loops++;
		}
		runs.push(((performance.now() - started) * 1000) / (loops * events));
	}
	return percentile(runs, 50);
}

function parserTimes() {
	const fixtures = realFixtures();
	const context = { receivedAt: new Date(), userAgent: 'PlexMediaServer/1.40.1.8227-c0dd5a73e' };
	return KINDS.map((kind) => {
		const { parse, read } = PARSERS[kind];
		const texts = fixtures.filter((fixture) => fixture.trigger === kind).map((f) => f.text);
		const objects = texts.map((text) => read(text));
		const objectUs = microsecondsPerEvent(objects.length, () => {
			for (const object of objects) parse(object, context);
		});
		const textUs = microsecondsPerEvent(texts.length, () => {
			for (const text of texts) parse(read(text), context);
		});
		return { label: LABELS[kind], fixtures: texts.length, objectUs, textUs };
	});
}

/** The slowest parser beside what n8n spends on the whole request: the share our parsing takes. */
function parserSummary(parsers: ReturnType<typeof parserTimes>, requestCpuMs: number): SummaryRow {
	const slowest = parsers.reduce((worst, row) => (row.textUs > worst.textUs ? row : worst));
	return {
		benchmark: 'Parsers',
		measure: 'µs per event from the JSON text, slowest parser',
		ours: `${fmt(slowest.textUs, 1)} µs (${slowest.label})`,
		baseline: `n8n CPU per accepted request: ${fmt(requestCpuMs, 1)} ms`,
		comparison: `${fmt((slowest.textUs / 1000 / requestCpuMs) * 100, 2)} % of it`,
	};
}
