import { normalizeIds } from '../nodes/core/providerIds';
import { pipelineWorkflow, startN8nWith, type RunningN8n } from '../test/e2e/harness';
import { generateCatalog, type CatalogItem } from '../test/fakes/catalog';
import { FakeEmby } from '../test/fakes/emby';
import { FakeJellyfin } from '../test/fakes/jellyfin';
import { FakePlex } from '../test/fakes/plex';
import type { FakeServer } from '../test/fakes/server';
import { writeSection, type SummaryRow } from './report';

/**
 * Mark 500 movies and 500 episodes watched, in one execution of a real n8n, on fake libraries of 20,000 items:
 * n8n's Webhook node takes the 1,000 media events, Split Out makes them items, Mark Watched runs. Measured at the
 * fakes: requests by kind, and the wall time of the webhook call (it answers when the workflow is done). Beside
 * it, "one lookup per item" on Emby, the server with a provider-id filter, sent by this benchmark itself.
 */

const CATALOG = generateCatalog({ movies: 5000, series: 250, episodesPerSeries: 59 });
const USER = { name: 'alice' };
const JELLYFIN_KEY = 'dummy-bench-jellyfin-key-00000001';
const EMBY_KEY = 'dummy-bench-emby-key-0000000000001';
const PLEX_TOKEN = 'dummy-bench-plex-token';

const jellyfin = new FakeJellyfin({
	apiKeys: [JELLYFIN_KEY],
	users: [
		{ id: 'a11ce000000000000000000000000001', name: USER.name, password: 'x', isAdmin: false },
	],
	catalog: CATALOG,
});
const emby = new FakeEmby({
	apiKeys: [EMBY_KEY],
	users: [{ id: 'e1a11ce0000000000000000000000001', name: USER.name, isAdmin: false }],
	catalog: CATALOG,
});
const plex = new FakePlex({ tokens: [PLEX_TOKEN], catalog: CATALOG });
let n8n: RunningN8n;

const pick = (type: CatalogItem['type']) =>
	CATALOG.filter((item) => item.type === type).slice(0, 500);
/** The 500 movies and 500 episodes to mark. */
const SELECTION = [...pick('movie'), ...pick('episode')];

/** The selection as the media events a trigger emits. */
function events(): object[] {
	return SELECTION.map((item) => ({
		event: 'watched',
		occurredAt: '2026-11-25T20:00:00.000Z',
		user: USER,
		media: {
			type: item.type,
			ids: normalizeIds(item.providerIds),
			series: null,
			seasonNumber: item.seasonNumber ?? null,
			episodeNumber: item.episodeNumber ?? null,
		},
	}));
}

const SERVERS = [
	{
		id: 'jellyfin',
		label: 'Jellyfin',
		fake: () => jellyfin,
		credential: 'jellyfinApi',
		pages: 'GET /Items',
	},
	{
		id: 'emby',
		label: 'Emby',
		fake: () => emby,
		credential: 'embyApi',
		pages: 'GET /Users/{id}/Items',
	},
	{
		id: 'plex',
		label: 'Plex',
		fake: () => plex,
		credential: 'plexApi',
		pages: 'GET /library/sections/{id}/all',
	},
] as const;

function bulkWorkflow(server: (typeof SERVERS)[number]) {
	return pipelineWorkflow(`bulk-${server.id}`, null, [
		{
			name: `${server.id} webhook`,
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: `bulk-${server.id}`,
			parameters: {
				httpMethod: 'POST',
				path: `bulk-${server.id}/webhook`,
				responseMode: 'lastNode',
				options: {},
			},
		},
		{
			name: `${server.id} split`,
			type: 'n8n-nodes-base.splitOut',
			parameters: { fieldToSplitOut: 'body.events', options: {} },
		},
		{
			name: `${server.id} mark`,
			type: `n8n-nodes-media-server.${server.id}`,
			parameters: {
				resource: 'item',
				operation: 'markWatched',
				identifyBy: 'inputEvent',
				...(server.id === 'plex' ? {} : { user: { mode: 'name', value: USER.name } }),
				options: {},
			},
			credentials: { [server.credential]: { id: server.id, name: server.id } },
		},
	]);
}

/** Requests by kind: ids and numbers in paths are folded, so pages and writes group. */
function kinds(fake: FakeServer<unknown>): Map<string, number> {
	const counts = new Map<string, number>();
	for (const request of fake.requests) {
		const kind = `${request.method} ${request.path
			.replace(/\/Users\/[^/]+\/Items/, '/Users/{id}/Items')
			.replace(/\/Users\/[^/]+\/PlayedItems\/[^/]+/, '/Users/{id}/PlayedItems/{id}')
			.replace(/\/UserPlayedItems\/[^/]+/, '/UserPlayedItems/{id}')
			.replace(/\/sections\/[^/]+\/all/, '/sections/{id}/all')}`;
		counts.set(kind, (counts.get(kind) ?? 0) + 1);
	}
	return counts;
}

beforeAll(async () => {
	await Promise.all([jellyfin.start(), emby.start(), plex.start()]);
	n8n = await startN8nWith({
		workflows: SERVERS.map(bulkWorkflow),
		credentials: [
			{
				id: 'jellyfin',
				name: 'jellyfin',
				type: 'jellyfinApi',
				data: { url: jellyfin.url, authMethod: 'apiKey', apiKey: JELLYFIN_KEY },
			},
			{ id: 'emby', name: 'emby', type: 'embyApi', data: { url: emby.url, apiKey: EMBY_KEY } },
			{ id: 'plex', name: 'plex', type: 'plexApi', data: { url: plex.url, token: PLEX_TOKEN } },
		],
	});
}, 600000);

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([jellyfin.stop(), emby.stop(), plex.stop()]);
});

/** "One lookup per item" on Emby: AnyProviderIdEquals for each event, then the write, 4 at a time as ours. */
async function perItemLookups(): Promise<number> {
	emby.clear();
	emby.resetState();
	const started = Date.now();
	const userId = 'e1a11ce0000000000000000000000001';
	const queue = [...SELECTION];
	const headers = { 'x-emby-token': EMBY_KEY };
	const worker = async () => {
		for (let item = queue.shift(); item; item = queue.shift()) {
			const [provider, id] = Object.entries(normalizeIds(item.providerIds))[0];
			const found = (await (
				await fetch(
					`${emby.url}/Users/${userId}/Items?Recursive=true&AnyProviderIdEquals=${provider}.${id}&Fields=ProviderIds`,
					{ headers },
				)
			).json()) as { Items: Array<{ Id: string }> };
			for (const match of found.Items) {
				await fetch(
					`${emby.url}/Users/${userId}/PlayedItems/${match.Id}?DatePlayed=20261125200000`,
					{
						method: 'POST',
						headers,
					},
				);
			}
		}
	};
	await Promise.all([worker(), worker(), worker(), worker()]);
	return Date.now() - started;
}

test('mark 500 movies + 500 episodes watched on a 20,000-item library', async () => {
	const rows: string[] = [];
	const ours = new Map<string, { requests: number; wall: number }>();
	const body = JSON.stringify({ events: events() });
	for (const server of SERVERS) {
		const fake = server.fake();
		fake.clear();
		const started = Date.now();
		const response = await fetch(`${n8n.baseUrl}/webhook/bulk-${server.id}/webhook`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body,
		});
		const wall = Date.now() - started;
		expect(response.status).toBe(200);
		const counts = kinds(fake as FakeServer<unknown>);
		const pages = counts.get(server.pages) ?? 0;
		const writes = fake.playedWrites.length;
		const total = fake.requests.length;
		const other = [...counts.entries()]
			.filter(([kind]) => kind !== server.pages && !/Played|scrobble/.test(kind))
			.map(([kind, count]) => `${count} × ${kind}`)
			.join(', ');
		ours.set(server.label, { requests: total, wall });
		rows.push(
			`| ${server.label}, ours (one index) | ${total} | ${pages} | ${writes} | ${other} | ${(wall / 1000).toFixed(1)} s |`,
		);
		expect(writes).toBe(1000);
	}
	const baselineWall = await perItemLookups();
	const baselineCounts = kinds(emby as FakeServer<unknown>);
	rows.push(
		`| Emby, one AnyProviderIdEquals lookup per item (sent by the benchmark, 4 at a time) | ${emby.requests.length} | 0 | ${emby.playedWrites.length} | ${baselineCounts.get('GET /Users/{id}/Items') ?? 0} lookups | ${(baselineWall / 1000).toFixed(1)} s |`,
	);
	const jellyfinPages = Math.ceil(CATALOG.length / 1000);
	rows.push(
		`| Jellyfin, one lookup per item (no provider-id filter: the library paged per item; not run) | ≈ ${1000 * jellyfinPages + 1000} | ≈ ${1000 * jellyfinPages} | 1000 | – | – |`,
	);
	writeSection(
		'Watched sync by provider id',
		[
			`1,000 media events (500 movies, 500 episodes, none played yet) posted in one request to n8n's Webhook node → Split Out → Mark Watched, in a real n8n, against fakes holding ${CATALOG.length.toLocaleString('en')} items (5,000 movies, 250 shows, 14,750 episodes). Wall time: the webhook call, which answers when the workflow is done. Pages hold 1,000 items.`,
			'',
			'| Server, method | Requests | Library pages | Writes | Other requests | Wall time |',
			'|---|---|---|---|---|---|',
			...rows,
			'',
			'Goal: library pages fetched once; total requests ≤ pages + changed items (plus the user and library lists).',
		].join('\n'),
		watchedSummary(ours, { requests: emby.requests.length, wall: baselineWall }, jellyfinPages),
	);
});

/** Emby against its measured per-item lookups; Jellyfin against the computed cost of paging per item. */
function watchedSummary(
	ours: Map<string, { requests: number; wall: number }>,
	embyPerItem: { requests: number; wall: number },
	jellyfinPages: number,
): SummaryRow[] {
	const measure = `1,000 Mark Watched, ${CATALOG.length.toLocaleString('en')}-item library`;
	const emby = ours.get('Emby');
	const jellyfin = ours.get('Jellyfin');
	if (!emby || !jellyfin) return [];
	const jellyfinPerItem = 1000 * jellyfinPages + 1000;
	return [
		{
			benchmark: 'Watched sync, Emby',
			measure,
			ours: `${emby.requests} requests, ${(emby.wall / 1000).toFixed(1)} s`,
			baseline: `a lookup per item: ${embyPerItem.requests} requests, ${(embyPerItem.wall / 1000).toFixed(1)} s`,
			comparison: `${(embyPerItem.wall / emby.wall).toFixed(1)}× sooner`,
		},
		{
			benchmark: 'Watched sync, Jellyfin',
			measure,
			ours: `${jellyfin.requests} requests, ${(jellyfin.wall / 1000).toFixed(1)} s`,
			baseline: `a lookup per item: ≈ ${jellyfinPerItem.toLocaleString('en')} requests (computed, not run)`,
			comparison: `${Math.round(jellyfinPerItem / jellyfin.requests)}× fewer requests`,
		},
	];
}
