/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { parseServarr } from '../../nodes/core/parsers/servarr';
import { Kodi } from '../../nodes/Kodi/Kodi.node';
import { clearIndexes } from '../../nodes/shared/action/itemIndexCache';
import { fixtureJson } from '../fixtures/load';
import { executeContext } from '../node/execute-context';
import { RealKodi } from './harness';

/**
 * The Kodi node against a real Kodi 20 (Debian's, under Xvfb), through the node's own execute() and real HTTP:
 * scans that must add what landed on disk, played state by provider id, notifications, errors.
 */

const MOVIE = {
	title: 'He Said "Hi" \\ Goodbye 🎬',
	year: 2023,
	ids: { tmdb: 12345, imdb: 'tt1234567' },
};
const SHOW = {
	title: 'The Show',
	year: 2020,
	ids: { tvdb: 778899, tmdb: 4242 },
	episodes: [{ season: 1, episode: 1, title: 'Pilot', ids: { tvdb: 9100101 } }],
};
const BURST = Array.from({ length: 6 }, (_, index) => ({
	title: `Burst Show ${index + 1}`,
	year: 2021,
	ids: { tvdb: 880000 + index },
	episodes: [{ season: 1, episode: 1, title: 'Pilot' }],
}));
const kodi = new RealKodi({ library: { movies: [MOVIE], shows: [SHOW, ...BURST] } });
const node = new Kodi();

beforeAll(async () => {
	await kodi.start();
	await kodi.scanAll();
}, 180_000);

afterAll(async () => {
	await kodi.stop();
});

beforeEach(() => clearIndexes());

const credentials = (password = kodi.password): Record<string, ICredentialDataDecryptedObject> => ({
	kodiApi: {
		url: kodi.url,
		username: kodi.username,
		password,
		notificationPort: kodi.notificationPort,
	},
});

async function run(
	parameters: Record<string, unknown> | Array<Record<string, unknown>>,
	items: IDataObject[] = [{}],
) {
	const { context } = executeContext({
		description: node.description,
		items,
		parameters,
		credentials: credentials(),
	});
	const [output] = await node.execute.call(context);
	return output.map((item) => item.json);
}

/** Waits (polling Kodi, at most 30 s) until `check` holds. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`Kodi did not get there within 30 s: ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

interface Episode {
	episodeid: number;
	season: number;
	episode: number;
	showtitle?: string;
	playcount: number;
}

async function episodes(): Promise<Episode[]> {
	const answer = await kodi.rpc<{ episodes?: Episode[] }>('VideoLibrary.GetEpisodes', {
		properties: ['season', 'episode', 'showtitle', 'playcount'],
	});
	return answer.episodes ?? [];
}

describe('Library → Scan', () => {
	test('Sonarr imports of a new show: Kodi skips folders it does not know, so its source is scanned, once', async () => {
		const newShow = { title: 'Fresh Show', year: 2024, ids: { tvdb: 555001 } };
		const files = [1, 2, 3].map((number) =>
			kodi.addEpisodeFile(newShow, 1, number, `Episode ${number}`, { tvdb: 555100 + number }),
		);
		// Three Sonarr Download bodies as the trigger emits them, for files Kodi sees where Sonarr does.
		const body = fixtureJson<Record<string, unknown>>(
			'servarr',
			'sonarr-download-upgrade-constructed-v4.0.19.json',
		);
		const folder = kodi.showFolder(newShow).replace(/\/$/, '');
		const items = files.map((file) => {
			const copy = structuredClone(body) as Record<string, Record<string, unknown>>;
			delete copy.isUpgrade;
			delete copy.deletedFiles;
			copy.series.path = folder;
			copy.episodeFile.relativePath = file.slice(folder.length + 1);
			return parseServarr(copy, { receivedAt: new Date() }) as unknown as IDataObject;
		});
		const output = await run(
			{ resource: 'library', operation: 'scan', options: { quietPeriod: 0.2 } },
			items,
		);
		expect(output[0]).toMatchObject({
			server: 'kodi',
			scanned: [kodi.tvPath],
			requests: 1,
			batch: { items: 3, requests: 1, entries: 1 },
		});
		await until(
			async () =>
				(await episodes()).filter((episode) => episode.showtitle === 'Fresh Show').length === 3,
			'3 new episodes',
		);
	}, 90_000);

	test('typed paths of a known show: its folder is scanned, once for a file and the folder itself', async () => {
		const file = kodi.addEpisodeFile('The Show', 1, 2, 'Second');
		const output = await run({
			resource: 'library',
			operation: 'scan',
			pathSource: 'defineBelow',
			paths: {
				path: [
					{ path: file, change: 'created' },
					{ path: kodi.showFolder('The Show'), change: 'created' },
				],
			},
			options: { quietPeriod: 0 },
		});
		expect(output[0]).toMatchObject({ scanned: [kodi.showFolder('The Show')], requests: 1 });
		await until(
			async () =>
				(await episodes()).some(
					(episode) => episode.showtitle === 'The Show' && episode.episode === 2,
				),
			'the second episode',
		);
	}, 90_000);

	test('a burst across 6 known shows: one scan each, one after the other, and every episode lands', async () => {
		// Kodi runs scans asked for during a scan in parallel threads, which then miss files: the node waits.
		const paths = BURST.flatMap((show) =>
			[2, 3, 4].map((number) => ({
				path: kodi.addEpisodeFile(show.title, 1, number, `E${number}`),
				change: 'created',
			})),
		);
		const output = await run(
			paths.map((path) => ({
				resource: 'library',
				operation: 'scan',
				pathSource: 'defineBelow',
				paths: { path: [path] },
				options: { quietPeriod: 0.5 },
			})),
			paths.map(() => ({})),
		);
		expect(output[0]).toMatchObject({ requests: 1, batch: { items: 18, requests: 6, entries: 6 } });
		const burst = (await episodes()).filter((episode) =>
			episode.showtitle?.startsWith('Burst Show'),
		);
		// The items resolve once Kodi has finished: no waiting needed here.
		expect(burst).toHaveLength(6 * 4);
	}, 120_000);

	test('a path outside every video source fails with the sources', async () => {
		await expect(
			run({
				resource: 'library',
				operation: 'scan',
				pathSource: 'defineBelow',
				paths: { path: [{ path: '/nowhere/Show/Season 01/e.mkv', change: 'created' }] },
				options: { quietPeriod: 0 },
			}),
		).rejects.toMatchObject({
			message: 'No Kodi video source holds "/nowhere/Show"',
			description: expect.stringContaining(kodi.tvPath),
		});
	});

	test('Scan everything and Clean answer OK', async () => {
		const since = Date.now();
		expect(
			await run({
				resource: 'library',
				operation: 'scan',
				scope: 'everything',
				options: { quietPeriod: 0 },
			}),
		).toEqual([expect.objectContaining({ scanned: 'all', requests: 1 })]);
		// Kodi scans this small library in well under a second: the notification may be in before we wait.
		await kodi.waitForNotification('VideoLibrary.OnScanFinished', undefined, 60_000, since);
		expect(
			await run({ resource: 'library', operation: 'clean', options: { quietPeriod: 0 } }),
		).toEqual([expect.objectContaining({ server: 'kodi', cleaned: 'video' })]);
	}, 120_000);
});

describe('Item', () => {
	const movieEvent = {
		occurredAt: '2026-11-20T21:15:00.000Z',
		media: { type: 'movie', ids: { tmdb: '12345' } },
	};

	test('Mark Watched by tmdb id sets playcount and lastplayed; again, it is skipped; Mark Unwatched resets', async () => {
		const [marked] = await run(
			{ resource: 'item', operation: 'markWatched', identifyBy: 'inputEvent' },
			[movieEvent],
		);
		expect(marked).toMatchObject({ server: 'kodi', user: null, status: 'changed', changed: 1 });
		const movies = await kodi.rpc<{
			movies: Array<{ title: string; playcount: number; lastplayed: string }>;
		}>('VideoLibrary.GetMovies', { properties: ['title', 'playcount', 'lastplayed'] });
		expect(movies.movies.find((movie) => movie.title === MOVIE.title)).toMatchObject({
			playcount: 1,
			lastplayed: '2026-11-20 21:15:00',
		});
		const [again] = await run(
			{ resource: 'item', operation: 'markWatched', identifyBy: 'inputEvent' },
			[movieEvent],
		);
		expect(again).toMatchObject({ status: 'unchanged' });
		const [unmarked] = await run(
			{
				resource: 'item',
				operation: 'markUnwatched',
				identifyBy: 'inputEvent',
				options: { onlyIfNewer: false },
			},
			[movieEvent],
		);
		expect(unmarked).toMatchObject({ status: 'changed' });
	}, 60_000);

	test('Find by Provider ID finds an episode through its show and numbers; Kodi ids work too', async () => {
		const found = await run({
			resource: 'item',
			operation: 'findByProviderId',
			identifyBy: 'providerIds',
			mediaType: 'episode',
			tvdbId: '778899',
			seasonNumber: 1,
			episodeNumber: 1,
		});
		expect(found).toEqual([
			expect.objectContaining({
				found: true,
				type: 'episode',
				title: 'Pilot',
				seasonNumber: 1,
				episodeNumber: 1,
				ids: { tvdb: '9100101' },
			}),
		]);
		const [byId] = await run({
			resource: 'item',
			operation: 'markWatched',
			identifyBy: 'itemId',
			itemId: found[0].id as string,
		});
		expect(byId).toMatchObject({ status: 'changed' });
		const [missing] = await run({
			resource: 'item',
			operation: 'markWatched',
			identifyBy: 'itemId',
			itemId: 'movie:99999',
		});
		expect(missing).toMatchObject({ status: 'notFound' });
	}, 60_000);
});

describe('GUI and errors', () => {
	test('Show Notification with quotes in it', async () => {
		expect(
			await run({
				resource: 'gui',
				operation: 'showNotification',
				title: 'New "episode"',
				message: 'The Show S01E02 🎬',
				image: 'info',
				displayTime: 2000,
			}),
		).toEqual([
			expect.objectContaining({ shown: true, title: 'New "episode"', displaytime: 2000 }),
		]);
	});

	test('a wrong password: 401, named', async () => {
		const { context } = executeContext({
			description: node.description,
			parameters: { resource: 'gui', operation: 'showNotification', title: 't', message: 'm' },
			credentials: credentials('wrong'),
		});
		await expect(node.execute.call(context)).rejects.toMatchObject({
			message: 'Kodi rejected the credentials (401)',
		});
	});
});
