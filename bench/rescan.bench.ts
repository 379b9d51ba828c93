/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code */
import { loadavg } from 'os';
import { FakeEmby } from '../test/fakes/emby';
import { FakeJellyfin } from '../test/fakes/jellyfin';
import { FakePlex } from '../test/fakes/plex';
import type { RecordedRequest } from '../test/fakes/server';
import { fixtureJson } from '../test/fixtures/load';
import { pipelineWorkflow, Sink, startN8nWith, type RunningN8n } from '../test/e2e/harness';
import { fixedWindowRequests, postAsFastAsTaken, type Sent } from './burst';
import { percentile, writeSection } from './report';

/**
 * Rescan batching in a real n8n: 200 Sonarr imports (5 shows × 2 seasons × 20 episodes, so 10 season folders),
 * posted as fast as n8n takes them (8 requests open at a time), to Sonarr/Radarr Trigger → Scan Paths of Jellyfin,
 * Emby and Plex, against the spec-checked fakes. Each server runs with our defaults (a batch closes after a 5-s
 * quiet period, at most 60 s after its first path) and with the fixed 5-s window this package had before (at
 * most 50 paths a request); Jellyfin also with no batching. Cinephage's rule is applied to the same send times.
 * Measured at the fakes: requests, and the time from n8n's answer to the last import until the last request.
 */

const SHOWS = 5;
const SEASONS = 2;
const EPISODES = 20;
const IMPORTS = SHOWS * SEASONS * EPISODES;
const API_KEY = 'dummy-bench-key-000000000000001';
const PLEX_TOKEN = 'dummy-bench-plex-token-01';

type Server = 'jellyfin' | 'emby' | 'plex';

interface Scenario {
	id: string;
	server: Server;
	label: string;
	options: Record<string, number>;
}

const SETTINGS = {
	quiet: { label: 'ours: 5-s quiet period, Max Wait 60 s (defaults)', options: {} },
	fixed: {
		label: 'fixed 5-s window from the first path, ≤ 50 paths (before)',
		options: { quietPeriod: 5, maxWait: 5, maxPathsPerRequest: 50 },
	},
	perImport: { label: 'no batching (Quiet Period 0)', options: { quietPeriod: 0 } },
};

const SCENARIOS: Scenario[] = [
	...(['jellyfin', 'emby', 'plex'] as const).flatMap((server) =>
		(['quiet', 'fixed'] as const).map((setting) => ({
			id: `${server}-${setting}`,
			server,
			...SETTINGS[setting],
		})),
	),
	{ id: 'jellyfin-perImport', server: 'jellyfin', ...SETTINGS.perImport },
];

const SERVER_NAMES: Record<Server, string> = { jellyfin: 'Jellyfin', emby: 'Emby', plex: 'Plex' };

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
const emby = new FakeEmby({
	apiKeys: [API_KEY],
	libraries: [{ itemId: '3', name: 'TV', collectionType: 'tvshows', locations: ['/data/tv'] }],
});
const plex = new FakePlex({
	tokens: [PLEX_TOKEN],
	sections: [{ key: 2, type: 'show', title: 'TV Shows', locations: [{ id: 2, path: '/data/tv' }] }],
});
const sink = new Sink();
let n8n: RunningN8n;

interface Import {
	body: string;
	path: string;
	folder: string;
}

/** Constructed from the real capture sonarr-download-v4.0-2024-02.json: show, season, episode and file varied. */
function imports(): Import[] {
	const real = fixtureJson<{
		series: Record<string, unknown>;
		episodes: Array<Record<string, unknown>>;
		episodeFile: Record<string, unknown>;
	}>('servarr', 'sonarr-download-v4.0-2024-02.json');
	const all: Import[] = [];
	for (let show = 1; show <= SHOWS; show++) {
		for (let season = 1; season <= SEASONS; season++) {
			for (let episode = 1; episode <= EPISODES; episode++) {
				const body = structuredClone(real);
				const title = `Bench Show ${show}`;
				const file = `Season ${season}/${title} S0${season}E${String(episode).padStart(2, '0')}.mkv`;
				body.series.title = title;
				body.series.path = `/volume2/Media/TV Series/${title}`;
				body.episodes[0].seasonNumber = season;
				body.episodes[0].episodeNumber = episode;
				body.episodeFile.relativePath = file;
				all.push({
					body: JSON.stringify(body, null, 2),
					path: `/data/tv/${title}/${file}`,
					folder: `/data/tv/${title}/Season ${season}`,
				});
			}
		}
	}
	return all;
}

/** The requests of one server that carry paths, each with the paths (Plex: the folder) it carries. */
function scanRequests(server: Server): Array<{ at: number; targets: string[] }> {
	const fake: { requests: RecordedRequest[] } = { jellyfin, emby, plex }[server];
	return fake.requests
		.filter((request) => request.status >= 200 && request.status < 300)
		.flatMap((request) => {
			if (server === 'plex') {
				const path = request.query.path;
				return /\/refresh$/.test(request.path) && typeof path === 'string'
					? [{ at: request.at, targets: [path] }]
					: [];
			}
			const updates = (request.body as { Updates?: Array<{ Path: string }> } | undefined)?.Updates;
			return request.path.endsWith('/Library/Media/Updated') && updates
				? [{ at: request.at, targets: updates.map((update) => update.Path) }]
				: [];
		});
}

interface Measured {
	scenario: Scenario;
	sent: Sent;
	requests: number;
	/** n8n's answer to the last import → the last request at the server. */
	lastImportToScanMs: number;
	/** First send → n8n's answer to the last import: how long n8n needed to take the burst. */
	takenInMs: number;
	/** Time each item spent in Scan Paths (its output's batch.waitedMs). */
	inNode: number[];
	cinephage: number;
}

async function runBurst(scenario: Scenario, burst: Import[]): Promise<Measured> {
	for (const fake of [jellyfin, emby, plex]) fake.clear();
	const sent = await postAsFastAsTaken(
		n8n.webhookUrl(scenario.id),
		burst.map((entry) => entry.body),
	);
	const outputs = await sink.matching(
		(delivery) => delivery.trigger === `${scenario.id} scan`,
		IMPORTS,
		600_000,
	);
	const requests = scanRequests(scenario.server);
	const carried = new Set(requests.flatMap((request) => request.targets));
	const expected = burst.map((entry) => (scenario.server === 'plex' ? entry.folder : entry.path));
	const missing = expected.filter((target) => !carried.has(target));
	if (missing.length > 0) throw new Error(`${scenario.id}: ${missing.length} paths never sent`);
	const lastAnswer = Math.max(...sent.answeredAt);
	const cinephageEvents = burst.map((entry, index) => ({
		at: sent.sentAt[index],
		target: scenario.server === 'plex' ? entry.folder : entry.path,
	}));
	return {
		scenario,
		sent,
		requests: requests.length,
		lastImportToScanMs: Math.max(...requests.map((request) => request.at)) - lastAnswer,
		takenInMs: lastAnswer - Math.min(...sent.sentAt),
		inNode: outputs.map((delivery) => (delivery.event.batch as { waitedMs: number }).waitedMs),
		cinephage: fixedWindowRequests(cinephageEvents, {
			windowMs: 5000,
			perRequest: scenario.server === 'plex' ? 1 : 50,
		}),
	};
}

beforeAll(async () => {
	await Promise.all([jellyfin.start(), emby.start(), plex.start(), sink.start()]);
	const credentialTypes: Record<Server, string> = {
		jellyfin: 'jellyfinApi',
		emby: 'embyApi',
		plex: 'plexApi',
	};
	const credentialData: Record<Server, Record<string, unknown>> = {
		jellyfin: { url: jellyfin.url, authMethod: 'apiKey', apiKey: API_KEY },
		emby: { url: emby.url, apiKey: API_KEY },
		plex: { url: plex.url, token: PLEX_TOKEN },
	};
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
				type: `n8n-nodes-media-server.${scenario.server}`,
				parameters: {
					resource: 'library',
					operation: 'scanPaths',
					pathMapping: { rules: [{ from: '/volume2/Media/TV Series', to: '/data/tv' }] },
					options: scenario.options,
				},
				// One credential per scenario, so that no two scenarios share a batch.
				credentials: {
					[credentialTypes[scenario.server]]: { id: `key-${scenario.id}`, name: scenario.id },
				},
			},
		]),
	);
	const credentials = SCENARIOS.map((scenario) => ({
		id: `key-${scenario.id}`,
		name: scenario.id,
		type: credentialTypes[scenario.server],
		data: credentialData[scenario.server],
	}));
	n8n = await startN8nWith({ workflows, credentials });
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([jellyfin.stop(), emby.stop(), plex.stop(), sink.stop()]);
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

test(`rescan batching: ${IMPORTS} imports as fast as n8n takes them`, async () => {
	const burst = imports();
	const results: Measured[] = [];
	for (const scenario of SCENARIOS) results.push(await runBurst(scenario, burst));
	const rows = results.map(
		(result) =>
			`| ${SERVER_NAMES[result.scenario.server]} | ${result.scenario.label} | ${result.requests} | ${seconds(result.takenInMs)} | ${seconds(result.lastImportToScanMs)} | ${percentile(result.inNode, 50)} / ${percentile(result.inNode, 99)} |`,
	);
	const cinephageRows = (['jellyfin', 'emby', 'plex'] as const).map((server) => {
		const quiet = results.find((result) => result.scenario.id === `${server}-quiet`)!;
		return `| ${SERVER_NAMES[server]} | Cinephage's rule (5-s windows from the first event, ≤ 50 paths a request${server === 'plex' ? ', a refresh per folder' : ''}), on the same send times | ${quiet.cinephage} | – | not measured | not measured |`;
	});
	const load = loadavg()
		.map((value) => value.toFixed(1))
		.join(' / ');
	const markdown = [
		`${IMPORTS} Sonarr imports (${SHOWS} shows × ${SEASONS} seasons × ${EPISODES} episodes: ${SHOWS * SEASONS} season folders), posted as fast as n8n takes them (8 requests open at a time, the next one when n8n answers one) to Sonarr/Radarr Trigger → Scan Paths in a real n8n, against the spec-checked fakes. Requests: those that carry paths, counted at the fake. "n8n took the burst in": from the first send to n8n's answer to the last import (n8n answers once the execution is stored). "Last import → last scan": from that answer to the last request at the server. Load average at the end (1 / 5 / 15 min): ${load}.`,
		'',
		'| Server | Batching | Requests | n8n took the burst in | Last import → last scan | Time in Scan Paths, p50 / p99 (ms) |',
		'|---|---|---|---|---|---|',
		...rows,
		...cinephageRows,
		'',
		`Goal: one request for Jellyfin and Emby and one per changed folder for Plex (${SHOWS * SEASONS}), however long n8n needs to start the executions. A fixed window splits the burst by the clock: n8n starts the executions over more than 5 s, so each window catches a part of it.`,
		'',
	].join('\n');
	const jellyfinQuiet = results.find((result) => result.scenario.id === 'jellyfin-quiet')!;
	const jellyfinFixed = results.find((result) => result.scenario.id === 'jellyfin-fixed')!;
	const plexQuiet = results.find((result) => result.scenario.id === 'plex-quiet')!;
	const perImport = results.find((result) => result.scenario.id === 'jellyfin-perImport')!;
	writeSection('Rescan coalescing', markdown, [
		{
			benchmark: 'Rescan batching',
			measure: `Requests to Jellyfin for ${IMPORTS} imports as fast as n8n takes them (${seconds(jellyfinQuiet.takenInMs)})`,
			ours: `${jellyfinQuiet.requests} (scan ${seconds(jellyfinQuiet.lastImportToScanMs)} after the last import)`,
			baseline: `fixed 5-s window: ${jellyfinFixed.requests}; none: ${perImport.requests}; Cinephage's rule: ${jellyfinQuiet.cinephage}`,
			comparison: `${Math.round(perImport.requests / jellyfinQuiet.requests)}× fewer than none`,
		},
		{
			benchmark: 'Rescan batching',
			measure: `Plex partial scans for the same burst (${SHOWS * SEASONS} folders)`,
			ours: String(plexQuiet.requests),
			baseline: `fixed 5-s window: ${results.find((result) => result.scenario.id === 'plex-fixed')!.requests}; Cinephage's rule: ${plexQuiet.cinephage}`,
			comparison:
				plexQuiet.requests === SHOWS * SEASONS ? 'one per folder' : 'more than one per folder',
		},
	]);
	// The file is the result; the bench only checks that every path arrived (runBurst throws otherwise).
	expect(results).toHaveLength(SCENARIOS.length);
});
