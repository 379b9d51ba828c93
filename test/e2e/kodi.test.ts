/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code */
import { SAMPLE_CATALOG, type CatalogItem } from '../fakes/catalog';
import { FakeJellyfin } from '../fakes/jellyfin';
import { fixtureJson, fixtureText } from '../fixtures/load';
import { RealKodi } from '../kodi/harness';
import {
	multipartBody,
	ownerEnv,
	pipelineWorkflow,
	restSession,
	Sink,
	startN8nWith,
	type RunningN8n,
	type SinkDelivery,
} from './harness';

/**
 * Kodi in a real n8n 2.41 against a real Kodi 20: Sonarr → Kodi Scan, Plex scrobble → Kodi Mark Watched, the
 * Kodi Trigger seeing that change and marking it on the (fake) Jellyfin, a Kodi restart under an active trigger,
 * and a wrong password.
 */

const BIG_TROUBLE = {
	title: 'Big Trouble in Little China',
	year: 1986,
	ids: { tmdb: 6978, imdb: 'tt0090728' },
};
const OTHER_MOVIE = {
	title: 'He Said "Hi" \\ Goodbye 🎬',
	year: 2023,
	ids: { tmdb: 12345, imdb: 'tt1234567' },
};
const SHOW = {
	title: 'Severance',
	year: 2022,
	ids: { tvdb: 371980, tmdb: 95396 },
	episodes: [{ season: 1, episode: 1, title: 'Good News About Hell', ids: { tvdb: 9100101 } }],
};
const kodi = new RealKodi({ library: { movies: [BIG_TROUBLE, OTHER_MOVIE], shows: [SHOW] } });

const JELLYFIN_KEY = 'dummy-jellyfin-key-kodi-00000001';
const ALICE = {
	id: 'a11ce000000000000000000000000001',
	name: 'alice',
	password: 'x',
	isAdmin: false,
};
const CATALOG: CatalogItem[] = [
	...SAMPLE_CATALOG,
	{
		id: 'big-trouble',
		type: 'movie',
		title: BIG_TROUBLE.title,
		year: 1986,
		providerIds: { Imdb: 'tt0090728', Tmdb: '6978' },
		libraryId: 'movies',
	},
	{
		id: 'he-said-hi',
		type: 'movie',
		title: OTHER_MOVIE.title,
		year: 2023,
		providerIds: { Imdb: 'tt1234567', Tmdb: '12345' },
		libraryId: 'movies',
	},
];
const jellyfin = new FakeJellyfin({ apiKeys: [JELLYFIN_KEY], users: [ALICE], catalog: CATALOG });
const sink = new Sink();
let n8n: RunningN8n;

const KODI_CREDENTIAL = { kodiApi: { id: 'kodi', name: 'Kodi' } };

beforeAll(async () => {
	await Promise.all([kodi.start(), jellyfin.start(), sink.start()]);
	await kodi.scanAll();
	const credentials = [
		{
			id: 'kodi',
			name: 'Kodi',
			type: 'kodiApi',
			data: {
				url: kodi.url,
				username: kodi.username,
				password: kodi.password,
				notificationPort: kodi.notificationPort,
			},
		},
		{
			id: 'kodiWrong',
			name: 'Kodi wrong password',
			type: 'kodiApi',
			data: {
				url: kodi.url,
				username: kodi.username,
				password: 'wrong-kodi-password',
				notificationPort: kodi.notificationPort,
			},
		},
		{
			id: 'jellyfin',
			name: 'Jellyfin',
			type: 'jellyfinApi',
			data: { url: jellyfin.url, authMethod: 'apiKey', apiKey: JELLYFIN_KEY },
		},
	];
	const workflows = [
		pipelineWorkflow('sonarrToKodi', sink.url, [
			{
				name: 'Sonarr',
				type: 'n8n-nodes-media-server.servarrTrigger',
				webhookId: 'sonarr-kodi',
				parameters: { events: [] },
			},
			{
				name: 'Kodi Scan',
				type: 'n8n-nodes-media-server.kodi',
				parameters: {
					resource: 'library',
					operation: 'scan',
					// Sonarr keeps shows in /tv; Kodi reads the same folder through its TV source.
					pathMapping: { rules: [{ from: '/tv', to: kodi.tvPath }] },
					options: { quietPeriod: 1 },
				},
				credentials: KODI_CREDENTIAL,
			},
		]),
		pipelineWorkflow('plexToKodi', sink.url, [
			{
				name: 'Plex',
				type: 'n8n-nodes-media-server.plexTrigger',
				webhookId: 'plex-kodi',
				parameters: { events: ['watched'] },
			},
			{
				name: 'Kodi Mark Watched',
				type: 'n8n-nodes-media-server.kodi',
				parameters: {
					resource: 'item',
					operation: 'markWatched',
					identifyBy: 'inputEvent',
					options: {},
				},
				credentials: KODI_CREDENTIAL,
			},
		]),
		pipelineWorkflow('kodiToJellyfin', sink.url, [
			{
				name: 'Kodi Trigger',
				type: 'n8n-nodes-media-server.kodiTrigger',
				parameters: { events: ['watched'] },
				credentials: KODI_CREDENTIAL,
			},
			{
				name: 'Jellyfin Mark Watched',
				type: 'n8n-nodes-media-server.jellyfin',
				parameters: {
					resource: 'item',
					operation: 'markWatched',
					identifyBy: 'inputEvent',
					user: { mode: 'name', value: 'alice' },
					options: {},
				},
				credentials: { jellyfinApi: { id: 'jellyfin', name: 'Jellyfin' } },
			},
		]),
		pipelineWorkflow('kodiWrongPassword', sink.url, [
			{
				name: 'Wrong',
				type: 'n8n-nodes-media-server.servarrTrigger',
				webhookId: 'kodi-wrong',
				parameters: { events: [] },
			},
			{
				name: 'Kodi Wrong Password',
				type: 'n8n-nodes-media-server.kodi',
				parameters: { resource: 'gui', operation: 'showNotification', title: 'x', message: 'y' },
				credentials: { kodiApi: { id: 'kodiWrong', name: 'Kodi wrong password' } },
				onError: 'continueRegularOutput',
			},
		]),
	];
	// Info level: the Kodi Trigger logs each connection, which the tests wait for.
	n8n = await startN8nWith({
		workflows,
		credentials,
		env: { ...ownerEnv(), N8N_LOG_LEVEL: 'info' },
	});
	await connections(1);
}, 600_000);

/** Waits until the Kodi Trigger has connected `count` times (it logs each connection). */
async function connections(count: number): Promise<void> {
	await until(
		async () => (n8n.log().match(/Kodi Trigger: connected to/g) ?? []).length >= count,
		`Kodi Trigger connection #${count}`,
		60_000,
	);
}

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([kodi.stop(), jellyfin.stop(), sink.stop()]);
});

const from = (node: string) => (delivery: SinkDelivery) => delivery.trigger === node;

async function until(
	check: () => Promise<boolean>,
	what: string,
	timeoutMs = 30_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs} ms: ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

async function moviePlaycount(title: string): Promise<number> {
	const answer = await kodi.rpc<{ movies?: Array<{ title: string; playcount: number }> }>(
		'VideoLibrary.GetMovies',
		{
			properties: ['title', 'playcount'],
		},
	);
	return answer.movies?.find((movie) => movie.title === title)?.playcount ?? -1;
}

test('Sonarr Download → Sonarr/Radarr Trigger → Kodi Scan (mapped path): the episode is in Kodi', async () => {
	const file = kodi.addEpisodeFile('Severance', 1, 2, 'Half Loop', { tvdb: 9100102 });
	const relative = file.slice(kodi.showFolder('Severance').length);
	const body = fixtureJson<Record<string, Record<string, unknown>>>(
		'servarr',
		'sonarr-download-upgrade-constructed-v4.0.19.json',
	);
	delete (body as Record<string, unknown>).isUpgrade;
	delete (body as Record<string, unknown>).deletedFiles;
	// Sonarr's own view: /tv/<show folder>.
	body.series.path = `/tv/${kodi.showFolder('Severance').slice(kodi.tvPath.length).replace(/\/$/, '')}`;
	body.episodeFile.relativePath = relative;
	const response = await fetch(n8n.webhookUrl('sonarr-kodi'), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(200);
	const [delivery] = await sink.matching(from('Kodi Scan'), 1);
	expect(delivery.event).toMatchObject({
		server: 'kodi',
		scanned: [kodi.showFolder('Severance')],
		requests: 1,
	});
	await until(async () => {
		const answer = await kodi.rpc<{ episodes?: Array<{ episode: number; showtitle: string }> }>(
			'VideoLibrary.GetEpisodes',
			{
				properties: ['episode', 'showtitle'],
			},
		);
		return (answer.episodes ?? []).some(
			(episode) => episode.showtitle === 'Severance' && episode.episode === 2,
		);
	}, 'Severance S01E02 in Kodi');
}, 120_000);

test('Plex scrobble → Kodi Mark Watched by tmdb id → playcount 1, and the Kodi Trigger marks it on Jellyfin', async () => {
	const { body, contentType } = multipartBody([
		{
			name: 'payload',
			headers: { 'Content-Type': 'application/json' },
			content: fixtureText('plex', 'media-scrobble-movie.json'),
		},
	]);
	const response = await fetch(n8n.webhookUrl('plex-kodi'), {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: new Uint8Array(body),
	});
	expect(response.status).toBe(200);
	const [marked] = await sink.matching(from('Kodi Mark Watched'), 1);
	expect(marked.event).toMatchObject({ server: 'kodi', status: 'changed', changed: 1 });
	expect(await moviePlaycount(BIG_TROUBLE.title)).toBe(1);

	// Kodi announces the change on its notification port; the Kodi Trigger turns it into "watched".
	const [synced] = await sink.matching(from('Jellyfin Mark Watched'), 1, 60_000);
	expect(synced.event).toMatchObject({
		server: 'jellyfin',
		status: 'changed',
		target: { type: 'movie', ids: { tmdb: '6978', imdb: 'tt0090728' } },
	});
	expect(jellyfin.stateOf(ALICE.id, 'big-trouble').played).toBe(true);
}, 120_000);

test('a Kodi restart under an active trigger: it reconnects, says so, and the next change still arrives', async () => {
	await kodi.restart();
	await connections(2);
	expect(n8n.log()).toMatch(
		/Kodi Trigger: lost the connection to ws:\/\/127\.0\.0\.1:\d+\/jsonrpc; trying again in 1 s/,
	);
	// Marked in Kodi directly, as a user would on the TV.
	const movies = await kodi.rpc<{ movies: Array<{ movieid: number; title: string }> }>(
		'VideoLibrary.GetMovies',
		{
			properties: ['title'],
		},
	);
	const movie = movies.movies.find((entry) => entry.title === OTHER_MOVIE.title)!;
	await kodi.rpc('VideoLibrary.SetMovieDetails', { movieid: movie.movieid, playcount: 1 });
	const [, synced] = await sink.matching(from('Jellyfin Mark Watched'), 2, 60_000);
	expect(synced.event).toMatchObject({ status: 'changed', target: { ids: { tmdb: '12345' } } });
	expect(jellyfin.stateOf(ALICE.id, 'he-said-hi').played).toBe(true);
}, 180_000);

test('a wrong password: the node fails with 401, and the credential test fails', async () => {
	await fetch(n8n.webhookUrl('kodi-wrong'), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: fixtureText('servarr', 'sonarr-test-constructed-v4.0.19.json'),
	});
	const [delivery] = await sink.matching(from('Kodi Wrong Password'), 1);
	expect(delivery.event).toMatchObject({ error: 'Kodi rejected the credentials (401)' });
	const session = await restSession(n8n.baseUrl);
	const check = async (password: string) =>
		await session.post('/credentials/test', {
			credentials: {
				id: 'kodi',
				name: 'Kodi',
				type: 'kodiApi',
				data: {
					url: kodi.url,
					username: kodi.username,
					password,
					notificationPort: kodi.notificationPort,
				},
			},
		});
	expect(await check('wrong-kodi-password')).toEqual({
		status: 'Error',
		message: 'Kodi rejected the user name or password (401)',
	});
	expect(await check(kodi.password)).toEqual({ status: 'OK', message: 'Connection successful!' });
}, 60_000);
