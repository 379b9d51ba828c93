/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test of the fake media servers */
import { request as httpsRequest } from 'https';
import { fixtureJson } from '../fixtures/load';
import { FakeEmby } from '../fakes/emby';
import { FakeJellyfin } from '../fakes/jellyfin';
import { FakePlex } from '../fakes/plex';
import type { FakeServer } from '../fakes/server';
import { loadSpec, validateResponse, type SpecName } from '../fakes/spec';

// Every fake here checks each request against its published OpenAPI document (test/specs/), so these tests also
// prove that the documents load and that the in-memory fixes work.

const API_KEY = 'dummy-api-key-0123456789abcdef';
const ADMIN = {
	id: 'a1a1a1a1b2b2c3c3d4d4e5e5e5e5e5e5',
	name: 'admin',
	password: 'secret',
	isAdmin: true,
};
const VIEWER = {
	id: 'b2b2b2b2-c3c3-d4d4-e5e5-f6f6f6f6f6f6',
	name: 'Viewer',
	password: '',
	isAdmin: false,
};
const MOVIES_ID = 'f137a2dd21bbc1b99aa5c0f6bf02a805';
const JELLYFIN_LIBRARIES = [
	{ itemId: MOVIES_ID, name: 'Movies', collectionType: 'movies', locations: ['/media/movies'] },
	{
		itemId: '9d7ad6afe9afa2dab1a2f6e00ad28fa6',
		name: 'Shows',
		collectionType: 'tvshows',
		locations: ['/media/tv', '/media/tv2'],
	},
];

interface Sent {
	status: number;
	headers: Headers;
	text: string;
	json<T = Record<string, unknown>>(): T;
}

async function send(
	fake: FakeServer<unknown> | { url: string },
	method: string,
	path: string,
	init: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<Sent> {
	const headers = { ...init.headers };
	let body: string | undefined;
	if (typeof init.body === 'string') body = init.body;
	else if (init.body !== undefined) {
		body = JSON.stringify(init.body);
		headers['content-type'] ??= 'application/json';
	}
	const response = await fetch(`${fake.url}${path}`, { method, headers, body });
	const text = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		text,
		json: <T>() => JSON.parse(text) as T,
	};
}

/** `Authorization: MediaBrowser …` as our client sends it. */
function mediaBrowser(fields: Record<string, string>): Record<string, string> {
	const value = Object.entries(fields)
		.map(([key, item]) => `${key}="${encodeURIComponent(item)}"`)
		.join(', ');
	return { authorization: `MediaBrowser ${value}` };
}

const CLIENT = { Client: 'n8n', Device: 'n8n', DeviceId: 'n8n-device-1', Version: '0.1.0' };
const asKey = mediaBrowser({ Token: API_KEY, ...CLIENT });

async function expectValidResponse(
	spec: SpecName,
	operationId: string,
	status: number,
	body: unknown,
) {
	expect(await validateResponse(spec, operationId, status, body)).toEqual([]);
}

describe('OpenAPI documents', () => {
	it.each<[SpecName, Record<string, number>]>([
		['jellyfin-12.0', { nullableWithoutType: 81 }],
		['jellyfin-10.11', { nullableWithoutType: 82 }],
		['emby', { scalarExplodeFalse: 3711 }],
		['plex', { arrayPathParams: 5, explodedObjectParams: 24 }],
	])('%s loads once, with its in-memory fixes, and validates quickly', async (name, fixes) => {
		const started = Date.now();
		const spec = await loadSpec(name);
		expect(await loadSpec(name)).toBe(spec);
		expect(spec.fixes).toEqual(fixes);
		const result = spec.validate({
			method: 'GET',
			path: '/nowhere/at/all',
			query: {},
			headers: {},
		});
		expect(result).toEqual(expect.objectContaining({ status: 404 }));
		expect(Date.now() - started).toBeLessThan(5000);
	});
});

describe('FakeJellyfin 12.0 (base path /jellyfin)', () => {
	const fake = new FakeJellyfin({
		version: '12.0',
		basePath: '/jellyfin',
		apiKeys: [API_KEY],
		users: [ADMIN, VIEWER],
		libraries: JELLYFIN_LIBRARIES,
	});
	beforeAll(() => fake.start());
	afterAll(() => fake.stop());
	beforeEach(() => fake.clear());

	it('serves under its base path only', async () => {
		expect(fake.url).toBe(`http://127.0.0.1:${fake.port}/jellyfin`);
		const outside = await send(
			{ url: `http://127.0.0.1:${fake.port}` },
			'GET',
			'/System/Info/Public',
		);
		expect(outside.status).toBe(404);
		const inside = await send(fake, 'GET', '/System/Info/Public');
		expect(inside.status).toBe(200);
		expect(fake.requests.map((r) => [r.path, r.status])).toEqual([
			['/System/Info/Public', 404],
			['/System/Info/Public', 200],
		]);
		expect(fake.requests[1].url).toBe('/jellyfin/System/Info/Public');
	});

	it('answers GET /System/Info with a SystemInfo for an API key, 401 without', async () => {
		const info = await send(fake, 'GET', '/System/Info', { headers: asKey });
		expect(info.status).toBe(200);
		expect(info.json()).toEqual(
			expect.objectContaining({
				Version: '12.0.0',
				ProductName: 'Jellyfin Server',
				Id: fake.serverId,
			}),
		);
		await expectValidResponse('jellyfin-12.0', 'GetSystemInfo', 200, info.json());
		expect((await send(fake, 'GET', '/System/Info')).status).toBe(401);
		const wrong = await send(fake, 'GET', '/System/Info', {
			headers: mediaBrowser({ Token: 'nope', ...CLIENT }),
		});
		expect(wrong.status).toBe(401);
		const publicInfo = await send(fake, 'GET', '/System/Info/Public');
		await expectValidResponse('jellyfin-12.0', 'GetPublicSystemInfo', 200, publicInfo.json());
	});

	it('accepts the scheme name in any case and the query ApiKey', async () => {
		const lower = await send(fake, 'GET', '/System/Info', {
			headers: { authorization: `mediabrowser Token="${API_KEY}"` },
		});
		expect(lower.status).toBe(200);
		expect((await send(fake, 'GET', `/System/Info?ApiKey=${API_KEY}`)).status).toBe(200);
	});

	it.each([
		['X-Emby-Token', { 'x-emby-token': API_KEY }, ''],
		['X-MediaBrowser-Token', { 'x-mediabrowser-token': API_KEY }, ''],
		['X-Emby-Authorization', { 'x-emby-authorization': `MediaBrowser Token="${API_KEY}"` }, ''],
		['scheme Emby', { authorization: `Emby Token="${API_KEY}"` }, ''],
		['query api_key', {}, `?api_key=${API_KEY}`],
	])('refuses legacy authorization (%s) with 401', async (_name, headers, query) => {
		const response = await send(fake, 'GET', `/System/Info${query}`, { headers });
		expect(response.status).toBe(401);
		expect(response.headers.get('x-fake-reason')).toMatch(/legacy authorization/);
	});

	it('lists libraries for administrators only', async () => {
		const folders = await send(fake, 'GET', '/Library/VirtualFolders', { headers: asKey });
		expect(folders.status).toBe(200);
		const body = folders.json<Array<Record<string, unknown>>>();
		expect(
			body.map(({ Name, ItemId, CollectionType, Locations }) => ({
				Name,
				ItemId,
				CollectionType,
				Locations,
			})),
		).toEqual([
			{ Name: 'Movies', ItemId: MOVIES_ID, CollectionType: 'movies', Locations: ['/media/movies'] },
			{
				Name: 'Shows',
				ItemId: '9d7ad6afe9afa2dab1a2f6e00ad28fa6',
				CollectionType: 'tvshows',
				Locations: ['/media/tv', '/media/tv2'],
			},
		]);
		await expectValidResponse('jellyfin-12.0', 'GetVirtualFolders', 200, body);
	});

	it('refreshes everything or one library (admin), 404 for an unknown id, 400 for a non-GUID', async () => {
		expect((await send(fake, 'POST', '/Library/Refresh', { headers: asKey })).status).toBe(204);
		const query = '?metadataRefreshMode=Default&imageRefreshMode=Default&replaceAllMetadata=false';
		expect(
			(await send(fake, 'POST', `/Items/${MOVIES_ID}/Refresh${query}`, { headers: asKey })).status,
		).toBe(204);
		const dashed = 'f137a2dd-21bb-c1b9-9aa5-c0f6bf02a805';
		expect((await send(fake, 'POST', `/Items/${dashed}/Refresh`, { headers: asKey })).status).toBe(
			204,
		);
		expect(fake.refreshes).toEqual([
			{ itemId: null, query: {} },
			{
				itemId: MOVIES_ID,
				query: {
					metadataRefreshMode: 'Default',
					imageRefreshMode: 'Default',
					replaceAllMetadata: 'false',
				},
			},
			{ itemId: MOVIES_ID, query: {} },
		]);
		const unknown = '00000000000000000000000000000001';
		expect((await send(fake, 'POST', `/Items/${unknown}/Refresh`, { headers: asKey })).status).toBe(
			404,
		);
		expect((await send(fake, 'POST', '/Items/12345/Refresh', { headers: asKey })).status).toBe(400);
	});

	it('rejects what the spec rejects: bad enum, wrong case, wrong type, wrong method, unknown path', async () => {
		const bogus = await send(
			fake,
			'POST',
			`/Items/${MOVIES_ID}/Refresh?metadataRefreshMode=Bogus`,
			{
				headers: asKey,
			},
		);
		expect(bogus.status).toBe(400);
		expect(bogus.json()).toEqual(
			expect.objectContaining({
				operationId: 'RefreshItem',
				errors: [expect.objectContaining({ instancePath: '/query/metadataRefreshMode' })],
			}),
		);
		const pascal = await send(
			fake,
			'POST',
			`/Items/${MOVIES_ID}/Refresh?MetadataRefreshMode=Default`,
			{
				headers: asKey,
			},
		);
		expect(pascal.status).toBe(400);
		const notBool = await send(fake, 'POST', `/Items/${MOVIES_ID}/Refresh?replaceAllImages=yes`, {
			headers: asKey,
		});
		expect(notBool.status).toBe(400);
		expect((await send(fake, 'GET', '/Library/Refresh', { headers: asKey })).status).toBe(405);
		expect((await send(fake, 'GET', '/Library/Nothing', { headers: asKey })).status).toBe(404);
		// The legacy played-items route is routed by Jellyfin but hidden from the spec.
		const legacy = await send(fake, 'POST', `/Users/${ADMIN.id}/PlayedItems/${MOVIES_ID}`, {
			headers: asKey,
		});
		expect(legacy.status).toBe(404);
		expect(fake.requests.every((request) => request.status >= 400)).toBe(true);
	});

	it('answers 501 for an operation of the spec that the fake does not implement', async () => {
		const users = await send(fake, 'GET', '/Users', { headers: asKey });
		expect(users.status).toBe(501);
		expect(users.json()).toEqual({ error: 'not implemented in the fake: GetUsers' });
	});

	it('records POST /Library/Media/Updated and enforces a non-empty Updates with string Paths', async () => {
		const updates = [
			{ Path: '/media/tv/Show (2020)', UpdateType: 'Created' },
			{ Path: '/media/movies/Film (1999)/Film.mkv' },
		];
		const ok = await send(fake, 'POST', '/Library/Media/Updated', {
			headers: asKey,
			body: { Updates: updates },
		});
		expect(ok.status).toBe(204);
		expect(fake.mediaUpdates).toEqual([updates]);
		expect(fake.requests[0].body).toEqual({ Updates: updates });

		const refused = async (body: unknown, headers: Record<string, string> = {}) =>
			(
				await send(fake, 'POST', '/Library/Media/Updated', {
					headers: { ...asKey, ...headers },
					body,
				})
			).status;
		expect(await refused(undefined)).toBe(400); // no body: the spec requires one
		expect(await refused({})).toBe(400); // the spec accepts {}; the fake's rule does not
		expect(await refused({ Updates: [] })).toBe(400);
		expect(await refused({ Updates: [{ Path: null, UpdateType: 'Created' }] })).toBe(400);
		expect(await refused({ Updates: [{ UpdateType: 'Created' }] })).toBe(400);
		expect(await refused({ Updates: [{ path: '/media/tv' }] })).toBe(400); // additionalProperties: false
		expect(await refused({ Updates: [{ Path: '/media/tv', UpdateType: 3 }] })).toBe(400);
		expect(await refused('{"Updates": [', { 'content-type': 'application/json' })).toBe(400);
		expect(
			await refused(JSON.stringify({ Updates: updates }), { 'content-type': 'text/plain' }),
		).toBe(415);
		expect(fake.mediaUpdates).toHaveLength(1);
	});

	describe('POST /Users/AuthenticateByName', () => {
		const login = (name: string, password: string, client: Record<string, string> = CLIENT) =>
			send(fake, 'POST', '/Users/AuthenticateByName', {
				headers: mediaBrowser(client),
				body: { Username: name, Pw: password },
			});

		it('needs Client, Device, DeviceId and Version in the Authorization header', async () => {
			const { Client, Device, DeviceId } = CLIENT;
			expect((await login('admin', 'secret', { Client, Device, DeviceId })).status).toBe(400);
			const bare = await send(fake, 'POST', '/Users/AuthenticateByName', {
				body: { Username: 'admin', Pw: 'secret' },
			});
			expect(bare.status).toBe(400);
			expect(bare.text).toMatch(/Client, Device, DeviceId, Version/);
			const extra = await send(fake, 'POST', '/Users/AuthenticateByName', {
				headers: mediaBrowser(CLIENT),
				body: { Username: 'admin', Password: 'secret' },
			});
			expect(extra.status).toBe(400); // the spec's body has Username and Pw only
		});

		it('answers 401 for a wrong name or password', async () => {
			expect((await login('admin', 'wrong')).status).toBe(401);
			expect((await login('nobody', '')).status).toBe(401);
		});

		it('gives a session token that acts as the user, and signs out the same device on re-login', async () => {
			const logins = fake.logins;
			const first = await login('ADMIN', 'secret');
			expect(first.status).toBe(200);
			const result = first.json<{ AccessToken: string; ServerId: string; User: { Id: string } }>();
			expect(result.AccessToken).toMatch(/^[0-9a-f]{32}$/);
			expect(result.User.Id).toBe(ADMIN.id);
			expect(result.ServerId).toBe(fake.serverId);
			await expectValidResponse('jellyfin-12.0', 'AuthenticateUserByName', 200, result);
			const asFirst = mediaBrowser({ Token: result.AccessToken, ...CLIENT });
			expect((await send(fake, 'GET', '/System/Info', { headers: asFirst })).status).toBe(200);

			const otherDevice = await login('admin', 'secret', { ...CLIENT, DeviceId: 'n8n-device-2' });
			const otherToken = otherDevice.json<{ AccessToken: string }>().AccessToken;
			const second = (await login('admin', 'secret')).json<{ AccessToken: string }>().AccessToken;
			expect(second).not.toBe(result.AccessToken);
			expect((await send(fake, 'GET', '/System/Info', { headers: asFirst })).status).toBe(401);
			for (const token of [second, otherToken]) {
				const headers = mediaBrowser({ Token: token, ...CLIENT });
				expect((await send(fake, 'GET', '/System/Info', { headers })).status).toBe(200);
			}
			expect(fake.logins).toBe(logins + 3);

			fake.revokeAllSessions();
			const headers = mediaBrowser({ Token: second, ...CLIENT });
			expect((await send(fake, 'GET', '/System/Info', { headers })).status).toBe(401);
		});

		it('lets a non-admin user report media updates but not refresh libraries (403)', async () => {
			const token = (await login('viewer', '')).json<{ AccessToken: string }>().AccessToken;
			const headers = mediaBrowser({ Token: token, ...CLIENT });
			expect((await send(fake, 'POST', '/Library/Refresh', { headers })).status).toBe(403);
			expect((await send(fake, 'GET', '/Library/VirtualFolders', { headers })).status).toBe(403);
			expect((await send(fake, 'POST', `/Items/${MOVIES_ID}/Refresh`, { headers })).status).toBe(
				403,
			);
			const body = { Updates: [{ Path: '/media/tv/Show' }] };
			expect((await send(fake, 'POST', '/Library/Media/Updated', { headers, body })).status).toBe(
				204,
			);
		});
	});
});

describe('FakeJellyfin 10.11', () => {
	const fake = new FakeJellyfin({
		version: '10.11',
		apiKeys: [API_KEY],
		users: [ADMIN],
		libraries: JELLYFIN_LIBRARIES,
	});
	beforeAll(() => fake.start());
	afterAll(() => fake.stop());
	beforeEach(() => fake.clear());

	it.each([
		['X-Emby-Token', { 'x-emby-token': API_KEY }, ''],
		['X-MediaBrowser-Token', { 'x-mediabrowser-token': API_KEY }, ''],
		['X-Emby-Authorization', { 'x-emby-authorization': `Emby Token="${API_KEY}"` }, ''],
		['scheme Emby', { authorization: `Emby Token="${API_KEY}"` }, ''],
		['query api_key', {}, `?api_key=${API_KEY}`],
		['Authorization: MediaBrowser', asKey, ''],
	])('accepts %s (EnableLegacyAuthorization defaults to true)', async (_name, headers, query) => {
		const response = await send(fake, 'GET', `/System/Info${query}`, { headers });
		expect(response.status).toBe(200);
		expect(response.json()).toEqual(expect.objectContaining({ Version: '10.11.11' }));
	});

	it('refuses legacy authorization when the admin switched it off', async () => {
		const strict = new FakeJellyfin({
			version: '10.11',
			apiKeys: [API_KEY],
			legacyAuthorization: false,
		});
		await strict.start();
		try {
			expect(
				(await send(strict, 'GET', '/System/Info', { headers: { 'x-emby-token': API_KEY } }))
					.status,
			).toBe(401);
			expect((await send(strict, 'GET', '/System/Info', { headers: asKey })).status).toBe(200);
		} finally {
			await strict.stop();
		}
	});

	it('validates its bodies against the 10.11 spec', async () => {
		const info = await send(fake, 'GET', '/System/Info', { headers: asKey });
		await expectValidResponse('jellyfin-10.11', 'GetSystemInfo', 200, info.json());
		const folders = await send(fake, 'GET', '/Library/VirtualFolders', { headers: asKey });
		await expectValidResponse('jellyfin-10.11', 'GetVirtualFolders', 200, folders.json());
		const login = await send(fake, 'POST', '/Users/AuthenticateByName', {
			headers: mediaBrowser(CLIENT),
			body: { Username: 'admin', Pw: 'secret' },
		});
		await expectValidResponse('jellyfin-10.11', 'AuthenticateUserByName', 200, login.json());
	});

	describe('fault injection and waiting', () => {
		it('failNext answers the next spec-valid requests with the fault, then recovers', async () => {
			fake.failNext({
				status: 503,
				body: { error: 'starting up' },
				headers: { 'retry-after': '1' },
				times: 2,
			});
			// An invalid request is still refused by the spec check and does not use up the fault.
			expect((await send(fake, 'GET', '/Library/Refresh', { headers: asKey })).status).toBe(405);
			const first = await send(fake, 'GET', '/System/Info', { headers: asKey });
			expect([first.status, first.headers.get('retry-after'), first.json()]).toEqual([
				503,
				'1',
				{ error: 'starting up' },
			]);
			expect((await send(fake, 'GET', '/System/Info', { headers: asKey })).status).toBe(503);
			expect((await send(fake, 'GET', '/System/Info', { headers: asKey })).status).toBe(200);
			expect(fake.requests.map((r) => r.status)).toEqual([405, 503, 503, 200]);
		});

		it('delayNext holds the next answer back', async () => {
			fake.delayNext(200);
			const started = Date.now();
			expect((await send(fake, 'GET', '/System/Info/Public')).status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(190);
			const again = Date.now();
			await send(fake, 'GET', '/System/Info/Public');
			expect(Date.now() - again).toBeLessThan(190);
		});

		it('setDown(true) refuses connections; setDown(false) listens again on the same port', async () => {
			const port = fake.port;
			expect((await send(fake, 'GET', '/System/Info/Public')).status).toBe(200);
			await fake.setDown(true);
			const attempt = () =>
				fetch(`${fake.url}/System/Info/Public`).then(
					() => 'answered',
					(error: Error) => (error.cause as { code?: string }).code,
				);
			// A connection kept alive from before is dropped (socket error); new connections are refused.
			expect(['ECONNREFUSED', 'UND_ERR_SOCKET', 'ECONNRESET']).toContain(await attempt());
			expect(await attempt()).toBe('ECONNREFUSED');
			await fake.setDown(false);
			expect(fake.port).toBe(port);
			expect((await send(fake, 'GET', '/System/Info/Public')).status).toBe(200);
		});

		it('waitForRequests resolves when enough matching requests arrived, and times out otherwise', async () => {
			const isUpdate = (r: { path: string }) => r.path === '/Library/Media/Updated';
			const waiting = fake.waitForRequests(isUpdate, 2, 5000);
			const body = { Updates: [{ Path: '/media/tv/A' }] };
			await send(fake, 'POST', '/Library/Media/Updated', { headers: asKey, body });
			await send(fake, 'GET', '/System/Info/Public');
			await send(fake, 'POST', '/Library/Media/Updated', { headers: asKey, body });
			const found = await waiting;
			expect(found.map((r) => [r.method, r.status])).toEqual([
				['POST', 204],
				['POST', 204],
			]);
			expect(found[0].at).toBeLessThanOrEqual(found[1].at);
			await expect(fake.waitForRequests(isUpdate, 3, 50)).rejects.toThrow(
				/2 of 3 matching request\(s\) within 50 ms/,
			);
		});
	});
});

describe('FakeEmby', () => {
	const fake = new FakeEmby({
		apiKeys: [API_KEY],
		libraries: [
			{ itemId: '3', name: 'Movies', collectionType: 'movies', locations: ['/mnt/movies'] },
			{ itemId: '7', name: 'TV', collectionType: 'tvshows', locations: ['/mnt/tv'] },
		],
	});
	const token = { 'x-emby-token': API_KEY };
	beforeAll(() => fake.start());
	afterAll(() => fake.stop());
	beforeEach(() => fake.clear());

	it('serves the root paths and /emby/…', async () => {
		const root = await send(fake, 'GET', '/System/Info', { headers: token });
		expect(root.status).toBe(200);
		expect(root.json()).toEqual(
			expect.objectContaining({ Version: '4.8.11.0', Id: fake.serverId }),
		);
		await expectValidResponse('emby', 'getSystemInfo', 200, root.json());
		expect((await send(fake, 'GET', '/emby/System/Info', { headers: token })).status).toBe(200);
		expect(fake.requests.map((r) => r.path)).toEqual(['/System/Info', '/System/Info']);
		expect(fake.requests[1].url).toBe('/emby/System/Info');
	});

	it.each([
		['X-Emby-Token', token, ''],
		['query api_key', {}, `?api_key=${API_KEY}`],
		['Authorization: MediaBrowser', { authorization: `MediaBrowser Token="${API_KEY}"` }, ''],
		[
			'Authorization: Emby',
			{ authorization: `Emby UserId="x", Client="n8n", Token="${API_KEY}"` },
			'',
		],
	])('accepts the key as %s', async (_name, headers, query) => {
		expect((await send(fake, 'GET', `/System/Info${query}`, { headers })).status).toBe(200);
	});

	it('answers 401 without a key or with a wrong one; /System/Info/Public is anonymous', async () => {
		expect((await send(fake, 'GET', '/System/Info')).status).toBe(401);
		expect(
			(await send(fake, 'GET', '/System/Info', { headers: { 'x-emby-token': 'nope' } })).status,
		).toBe(401);
		const publicInfo = await send(fake, 'GET', '/System/Info/Public');
		expect(publicInfo.status).toBe(200);
		await expectValidResponse('emby', 'getSystemInfoPublic', 200, publicInfo.json());
	});

	it('lists libraries with GET /Library/VirtualFolders/Query; the plain GET is not in 4.8', async () => {
		const query = await send(fake, 'GET', '/Library/VirtualFolders/Query', { headers: token });
		expect(query.status).toBe(200);
		const body = query.json<{ Items: Array<Record<string, unknown>>; TotalRecordCount: number }>();
		expect(body.TotalRecordCount).toBe(2);
		expect(body.Items[0]).toEqual(
			expect.objectContaining({
				Name: 'Movies',
				ItemId: '3',
				Id: '3',
				CollectionType: 'movies',
				Locations: ['/mnt/movies'],
				Guid: expect.stringMatching(
					/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
				),
			}),
		);
		await expectValidResponse('emby', 'getLibraryVirtualfoldersQuery', 200, body);
		const paged = await send(fake, 'GET', '/Library/VirtualFolders/Query?StartIndex=1&Limit=1', {
			headers: token,
		});
		expect(paged.json<{ Items: Array<{ Name: string }> }>().Items.map((i) => i.Name)).toEqual([
			'TV',
		]);
		expect((await send(fake, 'GET', '/Library/VirtualFolders', { headers: token })).status).toBe(
			405,
		);
	});

	it('refreshes all or one library with PascalCase scalar query params (explode: false fixed)', async () => {
		expect((await send(fake, 'POST', '/Library/Refresh', { headers: token })).status).toBe(204);
		const query =
			'?Recursive=true&MetadataRefreshMode=Default&ImageRefreshMode=Default&ReplaceAllMetadata=false&ReplaceAllImages=false';
		expect((await send(fake, 'POST', `/Items/3/Refresh${query}`, { headers: token })).status).toBe(
			204,
		);
		expect(fake.refreshes.map((r) => r.itemId)).toEqual([null, '3']);
		expect((await send(fake, 'POST', '/Items/99/Refresh', { headers: token })).status).toBe(404);
		// Emby's MetadataRefreshMode has no None; Jellyfin's camelCase names are not Emby's.
		expect(
			(await send(fake, 'POST', '/Items/3/Refresh?MetadataRefreshMode=None', { headers: token }))
				.status,
		).toBe(400);
		expect(
			(await send(fake, 'POST', '/Items/3/Refresh?recursive=true', { headers: token })).status,
		).toBe(400);
		expect(
			(await send(fake, 'POST', '/Items/3/Refresh?Recursive=yes', { headers: token })).status,
		).toBe(400);
		expect((await send(fake, 'GET', '/Library/Refresh', { headers: token })).status).toBe(405);
		expect((await send(fake, 'GET', '/Library/Nothing', { headers: token })).status).toBe(404);
	});

	it('records POST /Library/Media/Updated with the same non-empty Updates rule', async () => {
		const updates = [{ Path: '/mnt/tv/Show', UpdateType: 'Created' }];
		const ok = await send(fake, 'POST', '/emby/Library/Media/Updated', {
			headers: token,
			body: { Updates: updates },
		});
		expect(ok.status).toBe(204);
		expect(fake.mediaUpdates).toEqual([updates]);
		const refused = async (body: unknown) =>
			(await send(fake, 'POST', '/Library/Media/Updated', { headers: token, body })).status;
		expect(await refused(undefined)).toBe(400);
		expect(await refused({})).toBe(400);
		expect(await refused({ Updates: [] })).toBe(400);
		expect(await refused({ Updates: [{ Path: null }] })).toBe(400);
		expect(fake.mediaUpdates).toHaveLength(1);
	});
});

describe('FakePlex', () => {
	const fake = new FakePlex({
		tokens: ['plex-owner-token'],
		machineIdentifier: 'feedfacefeedfacefeedfacefeedface',
		sections: [
			{ key: 1, type: 'movie', title: 'Movies', locations: [{ id: 1, path: '/data/movies' }] },
			{
				key: '2',
				type: 'show',
				title: 'TV Shows',
				locations: [
					{ id: 2, path: '/data/tv' },
					{ id: 3, path: '/data/anime' },
				],
			},
		],
	});
	const client = { 'x-plex-client-identifier': 'n8n-test', accept: 'application/json' };
	const owner = { ...client, 'x-plex-token': 'plex-owner-token' };
	beforeAll(() => fake.start());
	afterAll(() => fake.stop());
	beforeEach(() => fake.clear());

	it('answers GET /identity without a token, like the documented example', async () => {
		const identity = await send(fake, 'GET', '/identity', {
			headers: { accept: 'application/json' },
		});
		expect(identity.status).toBe(200);
		const example = fixtureJson<{ MediaContainer: Record<string, unknown> }>(
			'api/plex',
			'identity.json',
		);
		expect(identity.json()).toEqual({
			MediaContainer: {
				...example.MediaContainer,
				machineIdentifier: 'feedfacefeedfacefeedfacefeedface',
			},
		});
		await expectValidResponse('plex', 'getIdentity', 200, identity.json());
	});

	it('lists sections in the shape of a real capture, as JSON only when asked', async () => {
		const sections = await send(fake, 'GET', '/library/sections/all', { headers: owner });
		expect(sections.status).toBe(200);
		const body = sections.json<{
			MediaContainer: { size: number; Directory: Array<Record<string, unknown>> };
		}>();
		expect(body.MediaContainer.size).toBe(2);
		expect(
			body.MediaContainer.Directory.map(({ key, type, title, Location }) => ({
				key,
				type,
				title,
				Location,
			})),
		).toEqual([
			{ key: '1', type: 'movie', title: 'Movies', Location: [{ id: 1, path: '/data/movies' }] },
			{
				key: '2',
				type: 'show',
				title: 'TV Shows',
				Location: [
					{ id: 2, path: '/data/tv' },
					{ id: 3, path: '/data/anime' },
				],
			},
		]);
		const capture = fixtureJson<{ MediaContainer: { Directory: Array<Record<string, unknown>> } }>(
			'api/plex',
			'library-sections-capture.json',
		);
		expect(Object.keys(body.MediaContainer.Directory[0]).sort()).toEqual(
			Object.keys(capture.MediaContainer.Directory[0]).sort(),
		);
		// The one disagreement with the spec: real servers send `hidden: 0` (the capture); the spec says boolean.
		expect(await validateResponse('plex', 'getSections', 200, body)).toEqual([
			expect.objectContaining({
				instancePath: '/MediaContainer/Directory/0/hidden',
				message: 'must be boolean',
			}),
		]);
		const asSpecified = {
			MediaContainer: {
				...body.MediaContainer,
				Directory: body.MediaContainer.Directory.map((directory) => ({
					...directory,
					hidden: false,
				})),
			},
		};
		await expectValidResponse('plex', 'getSections', 200, asSpecified);

		const xml = await send(fake, 'GET', '/library/sections/all', {
			headers: { 'x-plex-client-identifier': 'n8n-test', 'x-plex-token': 'plex-owner-token' },
		});
		expect(xml.status).toBe(200);
		expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
		expect(xml.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<MediaContainer size="2"/);
		expect(xml.text).toContain('<Directory allowSync="1"');
		expect(xml.text).toContain('<Location id="3" path="/data/anime" />');
	});

	it('answers 401 with Plex HTML without a known token; takes the token from the query too', async () => {
		for (const headers of [client, { ...client, 'x-plex-token': 'wrong' }]) {
			const refused = await send(fake, 'GET', '/library/sections/all', { headers });
			expect(refused.status).toBe(401);
			expect(refused.headers.get('content-type')).toBe('text/html');
			expect(refused.text).toBe(
				'<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>',
			);
		}
		const query = await send(fake, 'GET', '/library/sections/all?X-Plex-Token=plex-owner-token', {
			headers: client,
		});
		expect(query.status).toBe(200);
	});

	it('requires X-Plex-Client-Identifier (header or query) with 400', async () => {
		const token = { 'x-plex-token': 'plex-owner-token', accept: 'application/json' };
		expect((await send(fake, 'GET', '/library/sections/all', { headers: token })).status).toBe(400);
		const refresh = await send(fake, 'POST', '/library/sections/1/refresh', { headers: token });
		expect(refresh.status).toBe(400); // here the spec itself requires the header
		const inQuery = await send(
			fake,
			'POST',
			'/library/sections/1/refresh?X-Plex-Client-Identifier=n8n',
			{
				headers: token,
			},
		);
		expect(inQuery.status).toBe(200);
	});

	it('refreshes a known section with POST (force, path), 404 for an unknown one, never with GET', async () => {
		const path = encodeURIComponent('/data/tv/Show (2020)');
		expect(
			(
				await send(fake, 'POST', `/library/sections/2/refresh?force=1&path=${path}`, {
					headers: owner,
				})
			).status,
		).toBe(200);
		expect((await send(fake, 'POST', '/library/sections/1/refresh', { headers: owner })).text).toBe(
			'',
		);
		expect((await send(fake, 'POST', '/library/sections/refresh', { headers: owner })).status).toBe(
			200,
		);
		expect(fake.refreshes).toEqual([
			{ sectionId: '2', path: '/data/tv/Show (2020)', force: true },
			{ sectionId: '1', path: undefined, force: false },
			{ sectionId: 'all', force: false },
		]);
		expect(
			(await send(fake, 'POST', '/library/sections/9/refresh', { headers: owner })).status,
		).toBe(404);
		expect(
			(await send(fake, 'GET', '/library/sections/1/refresh', { headers: owner })).status,
		).toBe(405);
		expect(
			(await send(fake, 'POST', '/library/sections/abc/refresh', { headers: owner })).status,
		).toBe(400);
		expect(
			(await send(fake, 'POST', '/library/sections/1/refresh?force=2', { headers: owner })).status,
		).toBe(400);
		expect((await send(fake, 'GET', '/library/sections', { headers: owner })).status).toBe(404);
		expect(fake.refreshes).toHaveLength(3);
	});

	it('needs the body the spec requires (POST /log takes text/plain lines)', async () => {
		expect((await send(fake, 'POST', '/log', { headers: owner })).status).toBe(400);
		const lines = { ...owner, 'content-type': 'text/plain' };
		expect((await send(fake, 'POST', '/log', { headers: lines, body: 'one\ntwo' })).status).toBe(
			501,
		);
		const json = await send(fake, 'POST', '/log', { headers: owner, body: { line: 'one' } });
		expect(json.status).toBe(415);
	});

	it('accepts the array path param and media-query filters after the fixes (501: no handler)', async () => {
		expect((await send(fake, 'GET', '/library/metadata/12,13', { headers: owner })).status).toBe(
			501,
		);
		const list =
			'/library/sections/1/all?type=1&includeGuids=1&year>>=2000&X-Plex-Container-Start=0&X-Plex-Container-Size=50';
		expect((await send(fake, 'GET', list, { headers: owner })).status).toBe(501);
		expect(
			(await send(fake, 'GET', '/library/sections/1/all?includeguids=1', { headers: owner }))
				.status,
		).toBe(400);
		expect(
			(await send(fake, 'GET', '/library/sections/1/all?type=movie', { headers: owner })).status,
		).toBe(400);
	});
});

describe('TLS', () => {
	const fake = new FakePlex({ tls: true, basePath: '/plex', tokens: ['t'] });
	beforeAll(() => fake.start());
	afterAll(() => fake.stop());

	it('serves HTTPS with a self-signed certificate for 127.0.0.1', async () => {
		expect(fake.url).toBe(`https://127.0.0.1:${fake.port}/plex`);
		expect(fake.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
		const { status, body } = await new Promise<{ status: number; body: string }>(
			(resolve, reject) => {
				const request = httpsRequest(
					`${fake.url}/identity`,
					{ ca: fake.certificate, headers: { accept: 'application/json' } },
					(response) => {
						let text = '';
						response.on('data', (chunk: Buffer) => (text += chunk.toString()));
						response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
					},
				);
				request.on('error', reject);
				request.end();
			},
		);
		expect(status).toBe(200);
		expect(JSON.parse(body)).toEqual(
			expect.objectContaining({
				MediaContainer: expect.objectContaining({ machineIdentifier: fake.machineIdentifier }),
			}),
		);
		// Without trusting the certificate, fetch refuses it.
		await expect(fetch(`${fake.url}/identity`)).rejects.toThrow();
	});
});
