/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code */
import { cpus } from 'os';
import { FakeJellyfin } from '../test/fakes/jellyfin';
import { fixtureJson } from '../test/fixtures/load';
import { pipelineWorkflow, Sink, startN8nWith, type RunningN8n } from '../test/e2e/harness';
import { percentile, writeSection } from './report';

/**
 * Rescan coalescing in a real n8n 2.41: 200 Sonarr imports posted within 2 s (10 ms apart) to a Sonarr/Radarr
 * Trigger → Jellyfin Scan Paths workflow, against the spec-checked fake Jellyfin. Measured at the fake: how many
 * requests arrive, for each path the time from its webhook being sent to the request that carries it, and (from
 * each execution's output) how long the item spent in Scan Paths.
 * Cinephage's count is its documented rule (5-s windows of at most 50 paths) applied to the same send times.
 */

const IMPORTS = 200;
const SPACING_MS = 10;
const API_KEY = 'dummy-bench-key-000000000000001';

interface Scenario {
	id: string;
	label: string;
	options: Record<string, number>;
}

const SCENARIOS: Scenario[] = [
	{ id: 'perImport', label: 'one request per import (window 0)', options: { batchWindow: 0 } },
	{ id: 'defaults', label: 'ours, defaults (5 s window, ≤ 50 paths)', options: {} },
	{
		id: 'oneRequest',
		label: 'ours, 5 s window, ≤ 500 paths',
		options: { maxPathsPerRequest: 500 },
	},
];

const jellyfin = new FakeJellyfin({
	apiKeys: [API_KEY],
	libraries: [
		{
			itemId: '9d7ad6afe9afa2dab1a2f6e00ad28fa6',
			name: 'Shows',
			collectionType: 'tvshows',
			locations: ['/data/tv'],
		},
	],
});
const sink = new Sink();
let n8n: RunningN8n;

/** Constructed from the real capture sonarr-download-v4.0-2024-02.json: episode number and file name varied. */
function importBody(index: number): { body: string; path: string } {
	const body = fixtureJson<{
		episodes: Array<Record<string, unknown>>;
		episodeFile: Record<string, unknown>;
	}>('servarr', 'sonarr-download-v4.0-2024-02.json');
	const file = `Season 2/Avatar - The Last Airbender (2005) S02E${String(index + 1).padStart(3, '0')}.mkv`;
	body.episodes[0].episodeNumber = index + 1;
	body.episodeFile.relativePath = file;
	return {
		body: JSON.stringify(body, null, 2),
		path: `/data/tv/Avatar - The Last Airbender/${file}`,
	};
}

/** Cinephage's rule on the same send times: a window opens at the first event for 5 s, ≤ 50 paths a request. */
function cinephageRequests(sentAt: number[]): number {
	let requests = 0;
	let windowEnd = -Infinity;
	let inWindow = 0;
	for (const at of [...sentAt].sort((a, b) => a - b)) {
		if (at >= windowEnd) {
			requests += Math.ceil(inWindow / 50);
			windowEnd = at + 5000;
			inWindow = 0;
		}
		inWindow += 1;
	}
	return requests + Math.ceil(inWindow / 50);
}

interface Measured {
	scenario: Scenario;
	requests: number;
	sentAt: number[];
	/** Webhook sent → the Jellyfin request with its path arrived. */
	latencies: number[];
	/** Time each item spent in Scan Paths (its output's batch.waitedMs). */
	inNode: number[];
}

async function runBurst(scenario: Scenario): Promise<Measured> {
	jellyfin.clear();
	const imports = Array.from({ length: IMPORTS }, (_, index) => importBody(index));
	const sentAt = new Map<string, number>();
	await Promise.all(
		imports.map(async ({ body, path }, index) => {
			await new Promise((resolve) => setTimeout(resolve, index * SPACING_MS));
			sentAt.set(path, Date.now());
			const response = await fetch(n8n.webhookUrl(scenario.id), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body,
			});
			if (response.status !== 200) throw new Error(`Webhook answered ${response.status}`);
		}),
	);
	const paths = () => jellyfin.mediaUpdates.reduce((sum, updates) => sum + updates.length, 0);
	await jellyfin.waitForRequests(
		(request) => request.path === '/Library/Media/Updated' && paths() >= IMPORTS,
		1,
		120000,
	);
	const latencies: number[] = [];
	for (const request of jellyfin.requests) {
		const updates = (request.body as { Updates?: Array<{ Path: string }> }).Updates ?? [];
		for (const update of updates) latencies.push(request.at - (sentAt.get(update.Path) ?? NaN));
	}
	const outputs = await sink.matching(
		(delivery) => delivery.trigger === `${scenario.id} scan`,
		IMPORTS,
		120000,
	);
	return {
		scenario,
		requests: jellyfin.mediaUpdates.length,
		sentAt: [...sentAt.values()],
		latencies,
		inNode: outputs.map((delivery) => (delivery.event.batch as { waitedMs: number }).waitedMs),
	};
}

beforeAll(async () => {
	await Promise.all([jellyfin.start(), sink.start()]);
	const workflows = SCENARIOS.map((scenario) =>
		pipelineWorkflow(scenario.id, sink.url, [
			{
				name: `${scenario.id} trigger`,
				type: 'n8n-nodes-media-server.servarrTrigger',
				webhookId: scenario.id,
				parameters: { events: [] },
			},
			{
				name: `${scenario.id} scan`,
				type: 'n8n-nodes-media-server.jellyfin',
				parameters: {
					resource: 'library',
					operation: 'scanPaths',
					pathMapping: { rules: [{ from: '/volume2/Media/TV Series', to: '/data/tv' }] },
					options: scenario.options,
				},
				// One credential per scenario, so that no two scenarios share a batch.
				credentials: { jellyfinApi: { id: `key-${scenario.id}`, name: scenario.id } },
			},
		]),
	);
	const credentials = SCENARIOS.map((scenario) => ({
		id: `key-${scenario.id}`,
		name: scenario.id,
		type: 'jellyfinApi',
		data: { url: jellyfin.url, authMethod: 'apiKey', apiKey: API_KEY },
	}));
	n8n = await startN8nWith({ workflows, credentials });
}, 600000);

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([jellyfin.stop(), sink.stop()]);
});

test('rescan coalescing: 200 imports within 2 s', async () => {
	const results: Measured[] = [];
	for (const scenario of SCENARIOS) results.push(await runBurst(scenario));
	const baseline = results[0];
	const pair = (values: number[]) => `${percentile(values, 50)} / ${percentile(values, 99)}`;
	const rows = results.map(
		({ scenario, requests, latencies, inNode }) =>
			`| ${scenario.label} | ${requests} | ${pair(latencies)} | ${pair(inNode)} |`,
	);
	const spread = Math.max(...baseline.sentAt) - Math.min(...baseline.sentAt);
	const markdown = [
		`${IMPORTS} Sonarr imports posted ${SPACING_MS} ms apart (the last ${spread} ms after the first) to Sonarr/Radarr Trigger → Jellyfin Scan Paths in a real n8n, against the spec-checked fake Jellyfin. Latency: from sending a webhook to the Jellyfin request that carries its path, measured at the fake.`,
		'',
		'| Setting | Requests reaching Jellyfin | Webhook sent → request at Jellyfin, p50 / p99 (ms) | Time in Scan Paths, p50 / p99 (ms) |',
		'|---|---|---|---|',
		...rows,
		`| Cinephage's rule (5-s windows of ≤ 50 paths), on the same send times | ${cinephageRequests(baseline.sentAt)} | not measured | not measured |`,
		'',
		'Goal: one request per server per window; latency added by coalescing (time in Scan Paths) ≤ window + 100 ms (5,100 ms).',
		`Without coalescing, n8n itself needs ${percentile(baseline.latencies, 50)} ms (p50) from webhook to request for this burst: the executions queue on ${cpus().length} cores.`,
		'',
	].join('\n');
	const ours = results[1];
	writeSection('Rescan coalescing', markdown, [
		{
			benchmark: 'Rescan coalescing',
			measure: `Requests to Jellyfin for ${IMPORTS} imports in ${(spread / 1000).toFixed(0)} s`,
			ours: `${ours.requests} (p99 ${percentile(ours.inNode, 99)} ms in Scan Paths)`,
			baseline: `one per import: ${baseline.requests}`,
			comparison: `${Math.round(baseline.requests / ours.requests)}× fewer`,
		},
	]);
	// The file is the result; the bench only checks that every path arrived.
	for (const result of results) expect(result.latencies).toHaveLength(IMPORTS);
});
