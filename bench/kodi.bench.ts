/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code */
import { readFileSync } from 'fs';
import { pipelineWorkflow, Sink, startN8nWith, type RunningN8n } from '../test/e2e/harness';
import { fixtureJson } from '../test/fixtures/load';
import { RealKodi, type KodiShow } from '../test/kodi/harness';
import { writeSection, type SummaryRow } from './report';

/**
 * A season-pack burst against a real Kodi 20: 200 Sonarr imports within 2 s, 10 episodes in each of 20 shows
 * Kodi already knows, through Sonarr/Radarr Trigger → Kodi Scan in a real n8n. Measured: scan calls Kodi logs
 * ("VideoInfoScanner: Starting scan"), and the time from the first webhook until all 200 episodes are in Kodi's
 * library. Once with our batching (5-s window), once with a window of 0 (one scan per import).
 */

const SHOWS = 20;
const PER_SHOW = 10;
const SPACING_MS = 10;

const show = (scenario: string, index: number): KodiShow => ({
	title: `Bench ${scenario} Show ${String(index + 1).padStart(2, '0')}`,
	year: 2020,
	ids: { tvdb: 700000 + index + (scenario === 'batched' ? 0 : 100) },
	episodes: [{ season: 1, episode: 1, title: 'Pilot' }],
});
const SCENARIOS = [
	{ id: 'batched', label: 'ours (5-s window)', options: {} },
	{ id: 'perImport', label: 'one scan per import (window 0)', options: { batchWindow: 0 } },
];
const kodi = new RealKodi({
	library: {
		shows: SCENARIOS.flatMap((scenario) =>
			Array.from({ length: SHOWS }, (_, index) => show(scenario.id, index)),
		),
	},
});
const sink = new Sink();
let n8n: RunningN8n;

beforeAll(async () => {
	await Promise.all([kodi.start(), sink.start()]);
	await kodi.scanAll();
	n8n = await startN8nWith({
		credentials: [
			{
				id: 'kodi',
				name: 'Kodi',
				type: 'kodiApi',
				data: { url: kodi.url, username: kodi.username, password: kodi.password },
			},
		],
		workflows: SCENARIOS.map((scenario) =>
			pipelineWorkflow(scenario.id, sink.url, [
				{
					name: `${scenario.id} trigger`,
					type: 'n8n-nodes-media-server.servarrTrigger',
					webhookId: `kodi-${scenario.id}`,
					parameters: { events: [] },
				},
				{
					name: `${scenario.id} scan`,
					type: 'n8n-nodes-media-server.kodi',
					parameters: {
						resource: 'library',
						operation: 'scan',
						pathMapping: { rules: [{ from: '/tv', to: kodi.tvPath }] },
						options: scenario.options,
					},
					credentials: { kodiApi: { id: 'kodi', name: 'Kodi' } },
				},
			]),
		),
	});
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([kodi.stop(), sink.stop()]);
});

function scansLogged(): number {
	return (readFileSync(kodi.logPath, 'utf8').match(/VideoInfoScanner: Starting scan/g) ?? [])
		.length;
}

async function episodesOf(prefix: string): Promise<number> {
	const answer = await kodi.rpc<{ episodes?: Array<{ showtitle: string }> }>(
		'VideoLibrary.GetEpisodes',
		{
			properties: ['showtitle'],
		},
	);
	return (answer.episodes ?? []).filter((episode) => episode.showtitle.startsWith(prefix)).length;
}

test('200 imports in 2 s across 20 show folders', async () => {
	const rows: string[] = [];
	const measured = new Map<string, { scans: number; seconds: number }>();
	const template = fixtureJson<Record<string, Record<string, unknown>>>(
		'servarr',
		'sonarr-download-upgrade-constructed-v4.0.19.json',
	);
	for (const scenario of SCENARIOS) {
		const bodies: string[] = [];
		for (let index = 0; index < SHOWS; index++) {
			const entry = show(scenario.id, index);
			for (let number = 2; number < 2 + PER_SHOW; number++) {
				const file = kodi.addEpisodeFile(entry.title, 1, number, `Episode ${number}`);
				const folder = kodi.showFolder(entry.title);
				const body = structuredClone(template) as Record<string, Record<string, unknown>>;
				delete (body as Record<string, unknown>).isUpgrade;
				delete (body as Record<string, unknown>).deletedFiles;
				body.series.path = `/tv/${folder.slice(kodi.tvPath.length).replace(/\/$/, '')}`;
				body.episodeFile.relativePath = file.slice(folder.length);
				bodies.push(JSON.stringify(body));
			}
		}
		const scansBefore = scansLogged();
		const prefix = `Bench ${scenario.id} `;
		const started = Date.now();
		await Promise.all(
			bodies.map(async (body, index) => {
				await new Promise((resolve) => setTimeout(resolve, index * SPACING_MS));
				const response = await fetch(n8n.webhookUrl(`kodi-${scenario.id}`), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body,
				});
				expect(response.status).toBe(200);
			}),
		);
		const expected = SHOWS * (1 + PER_SHOW);
		const deadline = Date.now() + 300_000;
		while ((await episodesOf(prefix)) < expected) {
			if (Date.now() > deadline) {
				throw new Error(
					`${scenario.id}: ${await episodesOf(prefix)} of ${expected} episodes in Kodi after 300 s; kodi.log ends:
${kodi.logTail(30)}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		const inLibrary = Date.now() - started;
		const outputs = await sink.matching(
			(delivery) => delivery.trigger === `${scenario.id} scan`,
			bodies.length,
			300_000,
		);
		// Every item of a batch reports the batch's size, so each batch adds up to 1.
		const batches = outputs.reduce(
			(sum, delivery) => sum + 1 / (delivery.event.batch as { items: number }).items,
			0,
		);
		const scans = scansLogged() - scansBefore;
		measured.set(scenario.id, { scans, seconds: inLibrary / 1000 });
		rows.push(
			`| ${scenario.label} | ${Math.round(batches)} | ${scans} | ${(inLibrary / 1000).toFixed(1)} s |`,
		);
	}
	writeSection(
		'Kodi scans',
		[
			`${SHOWS * PER_SHOW} Sonarr imports posted ${SPACING_MS} ms apart, ${PER_SHOW} new episodes in each of ${SHOWS} shows Kodi already has, through Sonarr/Radarr Trigger → Kodi Scan in a real n8n against a real Kodi 20.1 (Debian, under Xvfb). Batches: as the node reports them (a batch closes 5 s after its first item; n8n starts the 200 executions over several seconds). Scans: the "Starting scan" lines in kodi.log, one per show folder of a batch. Time: from the first webhook until every episode is in Kodi's library (polled every 250 ms).`,
			'',
			'| Setting | Batches | Scans Kodi ran | Until all 200 episodes are in the library |',
			'|---|---|---|---|',
			...rows,
		].join('\n'),
		kodiSummary(measured.get('batched'), measured.get('perImport')),
	);
}, 900_000);

function kodiSummary(
	ours: { scans: number; seconds: number } | undefined,
	perImport: { scans: number; seconds: number } | undefined,
): SummaryRow[] {
	if (!ours || !perImport) return [];
	return [
		{
			benchmark: 'Kodi scans',
			measure: `Until ${SHOWS * PER_SHOW} imported episodes are in Kodi's library`,
			ours: `${ours.seconds.toFixed(1)} s, ${ours.scans} scans`,
			baseline: `one scan per import: ${perImport.seconds.toFixed(1)} s, ${perImport.scans} scans`,
			comparison: `${(perImport.seconds / ours.seconds).toFixed(1)}× sooner`,
		},
	];
}
