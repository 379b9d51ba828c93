/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test of the harness that runs a real Kodi */
/* eslint-disable no-console -- prints how long Kodi takes to start, scan and stop */
// Proves test/kodi/harness.ts against a real Kodi 20: library from NFO files, scans, notifications on the TCP
// port, Basic auth, restart, and a stop that leaves no process behind.
import { existsSync } from 'fs';
import { isAlive, KodiNotificationStream, RealKodi, type KodiNotification } from './harness';

const QUOTED_TITLE = 'He Said "Hi" \\ Goodbye 🎬';

interface Movie {
	movieid: number;
	title: string;
	year: number;
	playcount: number;
	file: string;
	uniqueid: Record<string, string>;
}
interface Show {
	tvshowid: number;
	title: string;
	uniqueid: Record<string, string>;
}
interface Episode {
	episodeid: number;
	title: string;
	season: number;
	episode: number;
	file: string;
	uniqueid: Record<string, string>;
}

const describeKodi = RealKodi.available() ? describe : describe.skip;

describeKodi('RealKodi: a real Kodi 20 for the tests', () => {
	const kodi = new RealKodi({
		library: {
			movies: [
				{ title: QUOTED_TITLE, year: 2023, ids: { tmdb: 12345, imdb: 'tt1234567' } },
				{ title: 'Fish & <Chips>', year: 2021, ids: { tmdb: 555 } },
			],
			shows: [
				{
					title: 'The Show',
					year: 2020,
					ids: { tvdb: 778899, tmdb: 4242 },
					episodes: [
						{ season: 1, episode: 1, title: 'Pilot', ids: { tvdb: 1001 } },
						{ season: 1, episode: 2, title: 'Second "Act"', ids: { tvdb: 1002 } },
					],
				},
			],
		},
	});
	const times: Record<string, number> = {};

	beforeAll(async () => {
		await kodi.start();
		console.log(
			`Kodi start: ${kodi.timings.start} ms (first start ${kodi.timings.firstStart} ms, quit ${kodi.timings.firstStop} ms, second start ${kodi.timings.secondStart} ms)`,
		);
	}, 180_000);

	afterAll(async () => {
		await kodi.stop();
		console.log(
			`Kodi times (ms): ${Object.entries({ ...kodi.timings, ...times })
				.map(([phase, ms]) => `${phase} ${ms}`)
				.join(', ')}`,
		);
	}, 60_000);

	const movies = async () =>
		(
			await kodi.rpc<{ movies?: Movie[] }>('VideoLibrary.GetMovies', {
				properties: ['title', 'year', 'uniqueid', 'playcount', 'file'],
				sort: { method: 'title' },
			})
		).movies ?? [];
	const episodes = async (tvshowid: number) =>
		(
			await kodi.rpc<{ episodes?: Episode[] }>('VideoLibrary.GetEpisodes', {
				tvshowid,
				properties: ['title', 'season', 'episode', 'uniqueid', 'file'],
				sort: { method: 'episode' },
			})
		).episodes ?? [];
	const show = async () => {
		const { tvshows } = await kodi.rpc<{ tvshows?: Show[] }>('VideoLibrary.GetTVShows', {
			properties: ['title', 'uniqueid'],
		});
		expect(tvshows).toHaveLength(1);
		return tvshows![0];
	};

	it('answers JSON-RPC on its own ports, with the source paths as Kodi stores them', async () => {
		expect(await kodi.rpc('JSONRPC.Ping')).toBe('pong');
		expect(await kodi.rpc('JSONRPC.Version')).toMatchObject({ version: { major: 13 } });
		expect(kodi.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(kodi.notificationPort).not.toBe(9090);
		expect(kodi.moviesPath).toBe(`${kodi.mediaRoot}/Movies/`);
		expect(kodi.tvPath).toBe(`${kodi.mediaRoot}/TV/`);
		expect(existsSync(kodi.logPath)).toBe(true);
		const { sources } = await kodi.rpc<{ sources: Array<{ file: string }> }>('Files.GetSources', {
			media: 'video',
		});
		expect(sources.map((source) => source.file).sort()).toEqual([kodi.moviesPath, kodi.tvPath]);
	});

	it('scans the library from the NFO files: exact titles and unique ids', async () => {
		const started = Date.now();
		await kodi.scanAll();
		times.scanAll = Date.now() - started;
		console.log(`Kodi scanAll: ${times.scanAll} ms`);

		const found = await movies();
		expect(found.map(({ title, year, uniqueid }) => ({ title, year, uniqueid }))).toEqual([
			{ title: 'Fish & <Chips>', year: 2021, uniqueid: { tmdb: '555' } },
			{ title: QUOTED_TITLE, year: 2023, uniqueid: { tmdb: '12345', imdb: 'tt1234567' } },
		]);
		expect(found.every((movie) => movie.file.startsWith(kodi.moviesPath))).toBe(true);

		const theShow = await show();
		expect(theShow).toMatchObject({
			title: 'The Show',
			uniqueid: { tvdb: '778899', tmdb: '4242' },
		});
		expect(
			(await episodes(theShow.tvshowid)).map(({ title, season, episode, uniqueid }) => ({
				title,
				season,
				episode,
				uniqueid,
			})),
		).toEqual([
			{ title: 'Pilot', season: 1, episode: 1, uniqueid: { tvdb: '1001' } },
			{ title: 'Second "Act"', season: 1, episode: 2, uniqueid: { tvdb: '1002' } },
		]);
	}, 90_000);

	it('adds an episode file after start that a scan of the show folder picks up', async () => {
		const file = kodi.addEpisodeFile('The Show', 1, 3, 'Third <&> One', { tvdb: 1003 });
		expect(file.startsWith(kodi.showFolder('The Show'))).toBe(true);
		expect(kodi.showFolder('The Show')).toMatch(/\/$/);

		const started = Date.now();
		await kodi.scan(kodi.showFolder('The Show'));
		times.scanShowFolder = Date.now() - started;

		const { tvshowid } = await show();
		const added = (await episodes(tvshowid)).find((episode) => episode.episode === 3);
		expect(added).toMatchObject({
			title: 'Third <&> One',
			season: 1,
			episode: 3,
			file,
			uniqueid: { tvdb: '1003' },
		});
	}, 90_000);

	it('reports a watched change as VideoLibrary.OnUpdate with playcount 1 on the TCP port', async () => {
		const movie = (await movies()).find((candidate) => candidate.title === QUOTED_TITLE)!;
		const started = Date.now();
		const seen: KodiNotification[] = [];
		const off = kodi.onNotification((notification) => seen.push(notification));
		const update = kodi.waitForNotification(
			'VideoLibrary.OnUpdate',
			(n) => n.params.data?.item?.id === movie.movieid && n.params.data?.playcount === 1,
			15_000,
		);
		expect(
			await kodi.rpc('VideoLibrary.SetMovieDetails', { movieid: movie.movieid, playcount: 1 }),
		).toBe('OK');
		const notification = await update;
		off();
		expect(notification.params).toMatchObject({
			sender: 'xbmc',
			data: { item: { id: movie.movieid, type: 'movie' }, playcount: 1 },
		});
		expect(seen).toContain(notification);
		// `since`: a notification that arrived before the wait began still counts.
		expect(
			await kodi.waitForNotification(
				'VideoLibrary.OnUpdate',
				(n) => n.params.data?.item?.id === movie.movieid,
				1000,
				started,
			),
		).toBe(notification);
		expect((await movies()).find((m) => m.movieid === movie.movieid)?.playcount).toBe(1);
	});

	it('answers 401 to a wrong password', async () => {
		const response = await fetch(`${kodi.url}/jsonrpc`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: `Basic ${Buffer.from(`${kodi.username}:wrong-${kodi.password}`).toString('base64')}`,
			},
			body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'JSONRPC.Ping' }),
		});
		expect(response.status).toBe(401);
		const anonymous = await fetch(`${kodi.url}/jsonrpc`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'JSONRPC.Ping' }),
		});
		expect(anonymous.status).toBe(401);
	});

	it('restarts on the same HOME and ports; the notification connection can be opened again', async () => {
		const before = await kodi.openNotifications();
		// Everything but the watchdog, which lives as long as the harness.
		const oldPids = kodi.processes
			.filter((entry) => entry.role !== 'watchdog')
			.map((entry) => entry.pid);
		const url = kodi.url;
		const port = kodi.notificationPort;

		await kodi.restart();
		console.log(`Kodi restart: ${kodi.timings.restart} ms`);
		expect(before.closed).toBe(true);
		expect(oldPids.filter(isAlive)).toEqual([]);
		expect(kodi.url).toBe(url);
		expect(kodi.notificationPort).toBe(port);
		expect(await kodi.rpc('JSONRPC.Ping')).toBe('pong');
		expect((await movies()).map((movie) => movie.title)).toContain(QUOTED_TITLE);

		const after: KodiNotificationStream = await kodi.openNotifications();
		try {
			const movie = (await movies()).find((candidate) => candidate.title === QUOTED_TITLE)!;
			const onHarness = kodi.waitForNotification(
				'VideoLibrary.OnUpdate',
				(n) => n.params.data?.item?.id === movie.movieid && n.params.data?.playcount === 0,
				15_000,
			);
			// The new connection's stream as an async iterable: the first OnUpdate after the change.
			const firstUpdate = (async () => {
				for await (const notification of after.notifications())
					if (notification.method === 'VideoLibrary.OnUpdate') return notification;
				return undefined;
			})();
			await kodi.rpc('VideoLibrary.SetMovieDetails', { movieid: movie.movieid, playcount: 0 });
			await onHarness;
			expect(await firstUpdate).toMatchObject({
				params: { data: { item: { id: movie.movieid, type: 'movie' }, playcount: 0 } },
			});
		} finally {
			await after.close();
		}
	}, 120_000);

	it('stops without leaving a kodi, kodi.bin or Xvfb process behind', async () => {
		const processes = kodi.processes;
		const pids = processes.map((entry) => entry.pid);
		// Two Xvfb (start, restart), the kodi wrapper and kodi.bin of the three starts, the watchdog.
		expect(processes.map((entry) => entry.role).sort()).toEqual(
			[
				'Xvfb',
				'Xvfb',
				'kodi',
				'kodi',
				'kodi',
				'kodi.bin',
				'kodi.bin',
				'kodi.bin',
				'watchdog',
			].sort(),
		);
		expect(
			processes
				.filter((entry) => isAlive(entry.pid))
				.map((entry) => entry.role)
				.sort(),
		).toEqual(['Xvfb', 'kodi', 'kodi.bin', 'watchdog']);
		const home = kodi.home;

		await kodi.stop();
		console.log(`Kodi stop: ${kodi.timings.stop} ms`);
		expect(pids.filter(isAlive)).toEqual([]);
		expect(existsSync(home)).toBe(false);
	}, 60_000);
});
