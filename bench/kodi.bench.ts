/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code */
import { readFileSync } from 'fs';
import { pipelineWorkflow, Sink, startN8nWith, type RunningN8n } from '../test/e2e/harness';
import { fixtureJson } from '../test/fixtures/load';
import { RealKodi, type KodiShow } from '../test/kodi/harness';
import { postAsFastAsTaken } from './burst';
import { writeSection, type SummaryRow } from './report';

/**
 * A season-pack burst against a real Kodi 20: 200 Sonarr imports, 10 episodes in each of 20 shows Kodi already
 * knows, posted as fast as n8n takes them, through Sonarr/Radarr Trigger → Kodi Scan in a real n8n. Measured: scan
 * calls Kodi logs ("VideoInfoScanner: Starting scan"), the time from the first webhook until all 200 episodes are
 * in Kodi's library, and from n8n's answer to the last import until then. With our batching (a 5-s quiet period,
 * Max Wait 60 s), with the fixed 5-s window this package had before, and with no batching (one scan per import).
 */

const SHOWS = 20;
const PER_SHOW = 10;

const show = (scenario: string, index: number): KodiShow => ({
	title: `Bench ${scenario} Show ${String(index + 1).padStart(2, '0')}`,
	year: 2020,
	ids: { tvdb: 700000 + index + 100 * SCENARIOS.findIndex((each) => each.id === scenario) },
	episodes: [{ season: 1, episode: 1, title: 'Pilot' }],
});
const SCENARIOS = [
	{ id: 'batched', label: 'ours: 5-s quiet period, Max Wait 60 s (defaults)', options: {} },
	{
		id: 'fixed',
		label: 'fixed 5-s window from the first path (before)',
		options: { quietPeriod: 5, maxWait: 5 },
	},
	{ id: 'perImport', label: 'one scan per import (Quiet Period 0)', options: { quietPeriod: 0 } },
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

test('200 imports as fast as n8n takes them, across 20 show folders', async () => {
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
		const sent = await postAsFastAsTaken(n8n.webhookUrl(`kodi-${scenario.id}`), bodies);
		const lastAnswer = Math.max(...sent.answeredAt);
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
		const afterLastImport = Date.now() - lastAnswer;
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
			`| ${scenario.label} | ${Math.round(batches)} | ${scans} | ${((lastAnswer - started) / 1000).toFixed(1)} s | ${(inLibrary / 1000).toFixed(1)} s | ${(afterLastImport / 1000).toFixed(1)} s |`,
		);
	}
	writeSection(
		'Kodi scans',
		[
			`${SHOWS * PER_SHOW} Sonarr imports, ${PER_SHOW} new episodes in each of ${SHOWS} shows Kodi already has, posted as fast as n8n takes them (8 requests open at a time), through Sonarr/Radarr Trigger → Kodi Scan in a real n8n against a real Kodi 20.1 (Debian, under Xvfb). Batches: as the node reports them. Scans: the "Starting scan" lines in kodi.log, one per show folder of a batch. Times: from the first webhook, and from n8n's answer to the last import, until every episode is in Kodi's library (polled every 250 ms). Goal: one batch and one scan per show folder (${SHOWS}).`,
			'',
			'| Setting | Batches | Scans Kodi ran | n8n took the burst in | First import → all in the library | Last import → all in the library |',
			'|---|---|---|---|---|---|',
			...rows,
		].join('\n'),
		kodiSummary(measured.get('batched'), measured.get('fixed'), measured.get('perImport')),
	);
}, 1_200_000);

function kodiSummary(
	ours: { scans: number; seconds: number } | undefined,
	fixed: { scans: number; seconds: number } | undefined,
	perImport: { scans: number; seconds: number } | undefined,
): SummaryRow[] {
	if (!ours || !fixed || !perImport) return [];
	return [
		{
			benchmark: 'Kodi scans',
			measure: `Until ${SHOWS * PER_SHOW} imported episodes are in Kodi's library (${SHOWS} show folders)`,
			ours: `${ours.seconds.toFixed(1)} s, ${ours.scans} scans`,
			baseline: `fixed 5-s window: ${fixed.seconds.toFixed(1)} s, ${fixed.scans} scans; one scan per import: ${perImport.seconds.toFixed(1)} s, ${perImport.scans} scans`,
			comparison: `${(perImport.seconds / ours.seconds).toFixed(1)}× sooner than one per import`,
		},
	];
}
