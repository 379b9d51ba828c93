import { SAMPLE_CATALOG, type CatalogItem } from '../fakes/catalog';
import { FakeEmby } from '../fakes/emby';
import { FakeJellyfin, jellyfinId } from '../fakes/jellyfin';
import { fixtureText } from '../fixtures/load';
import { exampleWithSink, Sink, startN8nWith, type RunningN8n, type SinkDelivery } from './harness';

/**
 * Watched-state sync in a real n8n 2.41 with the shipped example workflows, asserted on the spec-checked fakes'
 * state and request logs: Plex Trigger (a real media.scrobble) → Jellyfin Mark Watched; Jellyfin Trigger (a real
 * UserDataSaved that toggles an episode unplayed) → Emby Mark Unwatched; and the two-way Jellyfin ↔ Emby
 * example, where the fakes send the webhooks real servers send on a played change, stopping after one round trip.
 */

const JELLYFIN_KEY = 'dummy-jellyfin-key-sync-00000001';
const EMBY_KEY = 'dummy-emby-key-sync-000000000001';
// Users named as in the fixtures: Rain is the Jellyfin fixture's user.
const JELLYFIN_USERS = [
	{ id: 'a11ce000000000000000000000000001', name: 'alice', password: 'x', isAdmin: false },
	{ id: '02700c8344d542619b39319296c0d4c7', name: 'Rain', password: 'x', isAdmin: false },
];
const EMBY_USERS = [
	{ id: 'e1a11ce0000000000000000000000001', name: 'alice', isAdmin: false },
	{ id: 'e1cafe00000000000000000000000002', name: 'Rain', isAdmin: false },
];
// The items of the two real fixtures, added to the sample library with the ids those bodies carry.
const CATALOG: CatalogItem[] = [
	...SAMPLE_CATALOG,
	{
		id: 'big-trouble',
		type: 'movie',
		title: 'Big Trouble in Little China',
		year: 1986,
		providerIds: { Imdb: 'tt0090728', Tmdb: '6978' },
		libraryId: 'movies',
		path: '/media/movies/Big Trouble in Little China (1986)/Big Trouble in Little China (1986).mkv',
	},
	{
		id: 'eighty-six',
		type: 'series',
		title: '86 Eighty-Six',
		year: 2021,
		providerIds: {},
		libraryId: 'shows',
		path: '/media/tv/86 Eighty-Six (2021)',
	},
	{
		id: 'eighty-six-s1e1',
		type: 'episode',
		title: 'Undertaker',
		year: 2021,
		providerIds: { AniDB: '238801' },
		seriesId: 'eighty-six',
		seasonNumber: 1,
		episodeNumber: 1,
		libraryId: 'shows',
		path: '/media/tv/86 Eighty-Six (2021)/Season 1/86 Eighty-Six - S01E01.mkv',
	},
];

const jellyfin = new FakeJellyfin({
	apiKeys: [JELLYFIN_KEY],
	users: JELLYFIN_USERS,
	catalog: CATALOG,
});
const emby = new FakeEmby({ apiKeys: [EMBY_KEY], users: EMBY_USERS, catalog: CATALOG });
const sink = new Sink();
let n8n: RunningN8n;

const JELLYFIN_CREDENTIAL = { jellyfinApi: { id: 'jellyfinKey', name: 'Jellyfin' } };
const EMBY_CREDENTIAL = { embyApi: { id: 'embyKey', name: 'Emby' } };

beforeAll(async () => {
	await Promise.all([sink.start(), jellyfin.start(), emby.start()]);
	const credentials = [
		{
			id: 'jellyfinKey',
			name: 'Jellyfin',
			type: 'jellyfinApi',
			data: { url: jellyfin.url, authMethod: 'apiKey', apiKey: JELLYFIN_KEY },
		},
		{ id: 'embyKey', name: 'Emby', type: 'embyApi', data: { url: emby.url, apiKey: EMBY_KEY } },
	];
	// The shipped examples, as users import them, with the test's credentials picked.
	const workflows = [
		exampleWithSink('sync-plex-to-jellyfin.json', sink.url, 'Jellyfin Mark Watched', {
			'Jellyfin Mark Watched': JELLYFIN_CREDENTIAL,
		}),
		exampleWithSink(
			'sync-jellyfin-emby-two-way.json',
			sink.url,
			[
				'Emby Mark Watched',
				'Emby Mark Unwatched',
				'Jellyfin Mark Watched',
				'Jellyfin Mark Unwatched',
			],
			{
				'Emby Mark Watched': EMBY_CREDENTIAL,
				'Emby Mark Unwatched': EMBY_CREDENTIAL,
				'Jellyfin Mark Watched': JELLYFIN_CREDENTIAL,
				'Jellyfin Mark Unwatched': JELLYFIN_CREDENTIAL,
			},
		),
	];
	n8n = await startN8nWith({ workflows, credentials });
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await Promise.all([sink.stop(), jellyfin.stop(), emby.stop()]);
});

const from = (workflow: string, node: string) => (delivery: SinkDelivery) =>
	delivery.workflow === workflow && delivery.trigger === node;

async function post(webhookId: string, body: string, contentType: string) {
	const response = await fetch(n8n.webhookUrl(webhookId), {
		method: 'POST',
		headers: { 'content-type': contentType },
		body,
	});
	return { status: response.status, answer: await response.json() };
}

test('Plex Trigger (a real media.scrobble) → Jellyfin Mark Watched marks the movie for alice', async () => {
	const scrobble = fixtureText('plex', 'media-scrobble-movie.json');
	const form = new FormData();
	form.append('payload', scrobble);
	const response = await fetch(n8n.webhookUrl('plex-sync-example'), { method: 'POST', body: form });
	expect(await response.json()).toEqual({ message: 'Workflow was started', event: 'watched' });
	const [delivery] = await sink.matching(from('syncPlexToJellyfin', 'Jellyfin Mark Watched'), 1);
	expect(delivery.event).toMatchObject({
		server: 'jellyfin',
		user: { name: 'alice' },
		status: 'changed',
		changed: 1,
		target: { type: 'movie', ids: { imdb: 'tt0090728', tmdb: '6978', tvdb: '1876' } },
	});
	expect(jellyfin.stateOf(JELLYFIN_USERS[0].id, 'big-trouble').played).toBe(true);
	expect(jellyfin.stateOf(JELLYFIN_USERS[1].id, 'big-trouble').played).toBe(false);
	expect(jellyfin.playedWrites).toHaveLength(1);
}, 60_000);

test('Jellyfin Trigger (a real UserDataSaved, toggled unplayed) → Emby Mark Unwatched for the same user', async () => {
	emby.setState(EMBY_USERS[1].id, 'eighty-six-s1e1', {
		played: true,
		playCount: 1,
		lastPlayedDate: '2024-11-01T00:00:00.000Z',
	});
	const body = fixtureText('jellyfin', 'userdatasaved-toggleplayed-episode-10.10.3.json');
	expect(await post('jellyfin-sync-example', body, 'text/plain; charset=utf-8')).toEqual({
		status: 200,
		answer: { message: 'Workflow was started', event: 'unwatched' },
	});
	const [delivery] = await sink.matching(from('syncJellyfinEmby', 'Emby Mark Unwatched'), 1);
	expect(delivery.event).toMatchObject({
		server: 'emby',
		user: { name: 'Rain' },
		status: 'changed',
	});
	expect(emby.stateOf(EMBY_USERS[1].id, 'eighty-six-s1e1').played).toBe(false);
	expect(emby.playedWrites).toEqual([
		expect.objectContaining({ itemId: 'eighty-six-s1e1', played: false }),
	]);
}, 60_000);

test('two-way Jellyfin ↔ Emby: one round trip, then the echo stops', async () => {
	jellyfin.clear();
	emby.clear();
	jellyfin.setWebhookUrl(n8n.webhookUrl('jellyfin-sync-example'));
	emby.setWebhookUrl(n8n.webhookUrl('emby-sync-example'));
	try {
		// alice marks Inception played in Jellyfin's web client.
		const marked = await fetch(
			`${jellyfin.url}/UserPlayedItems/${jellyfinId('inception')}?userId=${JELLYFIN_USERS[0].id}`,
			{ method: 'POST', headers: { authorization: `MediaBrowser Token="${JELLYFIN_KEY}"` } },
		);
		expect(marked.status).toBe(200);

		// Jellyfin's webhook → n8n → Emby is written; Emby's webhook → n8n → Jellyfin is already there.
		const [toEmby] = await sink.matching(from('syncJellyfinEmby', 'Emby Mark Watched'), 1);
		expect(toEmby.event).toMatchObject({ status: 'changed', user: { name: 'alice' } });
		const [back] = await sink.matching(from('syncJellyfinEmby', 'Jellyfin Mark Watched'), 1);
		expect(back.event).toMatchObject({ status: 'unchanged', changed: 0 });
		expect((back.event.items as Array<{ reason: string }>)[0].reason).toBe('alreadyWatched');
		expect(emby.stateOf(EMBY_USERS[0].id, 'inception').played).toBe(true);

		// Webhooks come only from writes. The second hop wrote nothing, so nothing more can arrive.
		expect(jellyfin.playedWrites).toHaveLength(1);
		expect(emby.playedWrites).toHaveLength(1);
		await jellyfin.waitForWebhooks(1, 10_000);
		await emby.waitForWebhooks(1, 10_000);
		expect(jellyfin.webhooksSent.map((sent) => sent.status)).toEqual([200]);
		expect(emby.webhooksSent.map((sent) => sent.status)).toEqual([200]);
	} finally {
		jellyfin.setWebhookUrl(undefined);
		emby.setWebhookUrl(undefined);
	}
}, 60_000);
