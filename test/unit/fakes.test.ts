/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test of the fake media servers */
import { createServer, type IncomingHttpHeaders } from 'http';
import { request as httpsRequest } from 'https';
import type { AddressInfo } from 'net';
import { parseEmby } from '../../nodes/core/parsers/emby';
import { parseJellyfin } from '../../nodes/core/parsers/jellyfin';
import type { JsonObject } from '../../nodes/core/values';
import { fixtureJson } from '../fixtures/load';
import {
	generateCatalog,
	SAMPLE_CATALOG,
	type CatalogItem,
	type SentWebhook,
} from '../fakes/catalog';
import { embyId, FakeEmby } from '../fakes/emby';
import { FakeJellyfin, jellyfinId } from '../fakes/jellyfin';
import { FakePlex, plexRatingKey, plexSectionId } from '../fakes/plex';
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
		['jellyfin-12.0', { nullableWithoutType: 81, commaDelimitedArrays: 185, legacyDatePlayed: 1 }],
		['jellyfin-10.11', { nullableWithoutType: 82, commaDelimitedArrays: 192, legacyDatePlayed: 1 }],
		['emby', { scalarExplodeFalse: 3711 }],
		['plex', { arrayPathParams: 5, explodedObjectParams: 24 }],
	])('%s loads once, with its in-memory fixes, and validates', async (name, fixes) => {
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
		const sessions = await send(fake, 'GET', '/Sessions', { headers: asKey });
		expect(sessions.status).toBe(501);
		expect(sessions.json()).toEqual({ error: 'not implemented in the fake: GetSessions' });
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

	it('accepts the array path param and media-query filters after the fixes', async () => {
		// Past the spec check: no item has these ratingKeys (this fake has no catalog), and section 1 is empty.
		expect((await send(fake, 'GET', '/library/metadata/12,13', { headers: owner })).status).toBe(
			404,
		);
		const list =
			'/library/sections/1/all?type=1&includeGuids=1&year>>=2000&X-Plex-Container-Start=0&X-Plex-Container-Size=50';
		const empty = await send(fake, 'GET', list, { headers: owner });
		expect(empty.status).toBe(200);
		expect(empty.json()).toEqual({
			MediaContainer: expect.objectContaining({ size: 0, totalSize: 0, offset: 0, Metadata: [] }),
		});
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

// ---------------------------------------------------------------------------------------------------------------
// The media library (test/fakes/catalog.ts): users, items with provider ids, per-user played state, played writes
// and the webhooks the real servers send for them.

interface Received {
	headers: IncomingHttpHeaders;
	text: string;
}

/** A local webhook target that records what it gets. */
async function startReceiver(): Promise<{
	url: string;
	received: Received[];
	close(): Promise<void>;
}> {
	const received: Received[] = [];
	const server = createServer((request, response) => {
		let text = '';
		request.on('data', (chunk: Buffer) => (text += chunk.toString()));
		request.on('end', () => {
			received.push({ headers: request.headers, text });
			response.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const sample = (id: string): CatalogItem => SAMPLE_CATALOG.find((item) => item.id === id)!;
const WATCHED = { played: true, playCount: 2, lastPlayedDate: '2024-05-06T07:08:09.000Z' };
const parsed = (webhook: SentWebhook) => JSON.parse(webhook.rawBody) as JsonObject;
const context = { receivedAt: new Date() };

describe('catalog', () => {
	it('generateCatalog is deterministic, with unique ids and provider ids', () => {
		const options = { movies: 30, series: 3, episodesPerSeries: 12 };
		const catalog = generateCatalog(options);
		expect(catalog).toHaveLength(30 + 3 * 13);
		expect(generateCatalog(options)).toEqual(catalog);
		expect(new Set(catalog.map((item) => item.id)).size).toBe(catalog.length);
		for (const provider of ['Tmdb', 'Imdb', 'Tvdb']) {
			const ids = catalog.flatMap((item) => item.providerIds[provider] ?? []);
			expect(new Set(ids).size).toBe(ids.length);
		}
		expect(catalog.find((item) => item.id === 'gen-episode-2-12')).toEqual(
			expect.objectContaining({ seriesId: 'gen-series-2', seasonNumber: 2, episodeNumber: 2 }),
		);
	});

	it('derives each server id format deterministically', () => {
		expect(jellyfinId('matrix')).toMatch(/^[0-9a-f]{32}$/);
		expect(jellyfinId('matrix')).toBe(jellyfinId('matrix'));
		expect(jellyfinId('F137A2DD-21BB-C1B9-9AA5-C0F6BF02A805')).toBe(MOVIES_ID);
		expect(embyId('matrix')).toMatch(/^[1-9]\d*$/);
		expect(embyId('199')).toBe('199');
		expect(plexRatingKey('matrix')).toMatch(/^[1-9]\d*$/);
		expect(plexSectionId('movies')).toMatch(/^\d{6}$/);
		expect(plexSectionId('3')).toBe('3');
	});
});

describe('FakeJellyfin with a catalog', () => {
	const receiver = { url: '', received: [] as Received[], close: async () => undefined };
	const fake = new FakeJellyfin({
		apiKeys: [API_KEY],
		users: [ADMIN, VIEWER],
		catalog: SAMPLE_CATALOG,
	});
	const viewerId = VIEWER.id.replace(/-/g, '');
	beforeAll(async () => {
		Object.assign(receiver, await startReceiver());
		fake.setWebhookUrl(receiver.url);
		await fake.start();
	});
	afterAll(async () => {
		await fake.stop();
		await receiver.close();
	});
	beforeEach(() => {
		fake.clear();
		fake.resetState();
		receiver.received.length = 0;
	});

	const items = async (query: string, headers = asKey) => {
		const response = await send(fake, 'GET', `/Items?${query}`, { headers });
		expect(response.status).toBe(200);
		return response.json<{
			Items: Array<Record<string, unknown>>;
			TotalRecordCount: number;
			StartIndex: number;
		}>();
	};
	const login = async (name: string, password: string) => {
		const response = await send(fake, 'POST', '/Users/AuthenticateByName', {
			headers: mediaBrowser(CLIENT),
			body: { Username: name, Pw: password },
		});
		const token = response.json<{ AccessToken: string }>().AccessToken;
		return mediaBrowser({ Token: token, ...CLIENT });
	};

	it('lists users (GET /Users, /Users/{userId}; 404 unknown) for any caller', async () => {
		const users = await send(fake, 'GET', '/Users', { headers: asKey });
		expect(users.status).toBe(200);
		const body = users.json<Array<{ Name: string; Id: string; Policy: Record<string, unknown> }>>();
		expect(body.map(({ Name, Id, Policy }) => [Name, Id, Policy.IsAdministrator])).toEqual([
			['admin', ADMIN.id, true],
			['Viewer', viewerId, false],
		]);
		await expectValidResponse('jellyfin-12.0', 'GetUsers', 200, body);
		const viewer = await login('viewer', '');
		expect((await send(fake, 'GET', '/Users', { headers: viewer })).status).toBe(200);
		const one = await send(fake, 'GET', `/Users/${VIEWER.id}`, { headers: viewer });
		expect(one.json()).toEqual(expect.objectContaining({ Name: 'Viewer', Id: viewerId }));
		await expectValidResponse('jellyfin-12.0', 'GetUserById', 200, one.json());
		const unknown = '00000000000000000000000000000009';
		expect((await send(fake, 'GET', `/Users/${unknown}`, { headers: asKey })).status).toBe(404);
		expect((await send(fake, 'GET', '/Users?isHidden=false', { headers: asKey })).json()).toEqual([
			expect.objectContaining({ Name: 'admin' }),
		]);
	});

	it('pages through every item exactly once; arrays as repeated parameters or a comma list', async () => {
		const seen: string[] = [];
		for (let start = 0; ; start += 4) {
			const types =
				start % 8 === 0
					? 'includeItemTypes=Movie,Series,Episode'
					: 'includeItemTypes=Movie&includeItemTypes=Series&includeItemTypes=Episode';
			const page = await items(`recursive=true&${types}&startIndex=${start}&limit=4`);
			expect(page.TotalRecordCount).toBe(SAMPLE_CATALOG.length);
			expect(page.StartIndex).toBe(start);
			if (start === 0) await expectValidResponse('jellyfin-12.0', 'GetItems', 200, page);
			seen.push(...page.Items.map((item) => String(item.Id)));
			if (page.Items.length < 4) break;
		}
		expect(seen.sort()).toEqual(SAMPLE_CATALOG.map((item) => jellyfinId(item.id)).sort());
		const movies = await items('recursive=true&includeItemTypes=Movie');
		expect(movies.TotalRecordCount).toBe(7);
		// Each element is checked against the spec's enum, in either form.
		expect(
			(await send(fake, 'GET', '/Items?includeItemTypes=Movie,Film', { headers: asKey })).status,
		).toBe(400);
		// A library's ItemId as parentId; without recursive and parentId the root folders.
		const shows = await items(`parentId=${jellyfinId('shows')}&recursive=true`);
		expect(shows.TotalRecordCount).toBe(10);
		const root = await items('');
		expect(root.Items.map((item) => [item.Name, item.Type])).toEqual([
			['movies', 'CollectionFolder'],
			['movies-4k', 'CollectionFolder'],
			['shows', 'CollectionFolder'],
		]);
	});

	it('returns ProviderIds and Path only when asked for in fields (as real Jellyfin does)', async () => {
		const id = jellyfinId('alien');
		const bare = (await items(`ids=${id}`)).Items[0];
		expect(bare).toEqual(
			expect.objectContaining({ Name: 'Alien', Id: id, Type: 'Movie', ProductionYear: 1979 }),
		);
		expect(bare).not.toHaveProperty('ProviderIds');
		expect(bare).not.toHaveProperty('Path');
		const full = (await items(`ids=${id}&fields=ProviderIds,Path`)).Items[0];
		expect(full.ProviderIds).toEqual({ IMDB: 'tt0078748', Tmdb: '348' });
		expect(full.Path).toBe(sample('alien').path);
		const episode = (
			await items(`ids=${jellyfinId('severance-s2e1')}&fields=ProviderIds&enableImages=false`)
		).Items[0];
		expect(episode).toEqual(
			expect.objectContaining({
				Type: 'Episode',
				SeriesName: 'Severance',
				SeriesId: jellyfinId('severance'),
				ParentIndexNumber: 2,
				IndexNumber: 1,
				ProviderIds: { Tvdb: '9100201' },
			}),
		);
		expect(episode).not.toHaveProperty('ImageTags');
	});

	it('has no provider-id filter: AnyProviderIdEquals is not in the spec (400)', async () => {
		const response = await send(
			fake,
			'GET',
			'/Items?recursive=true&AnyProviderIdEquals=imdb.tt0133093',
			{
				headers: asKey,
			},
		);
		expect(response.status).toBe(400);
		expect(response.text).toContain('AnyProviderIdEquals');
	});

	it('keeps played state per user; isPlayed and sortBy=DatePlayed follow it', async () => {
		fake.setState(ADMIN.id, 'matrix', WATCHED);
		fake.setState(ADMIN.id, 'inception', {
			...WATCHED,
			lastPlayedDate: '2024-06-01T00:00:00.000Z',
		});
		const ids = `ids=${jellyfinId('matrix')}`;
		const forAdmin = (await items(`${ids}&userId=${ADMIN.id}`)).Items[0];
		expect(forAdmin.UserData).toEqual({
			PlaybackPositionTicks: 0,
			PlayCount: 2,
			IsFavorite: false,
			Played: true,
			LastPlayedDate: '2024-05-06T07:08:09.0000000Z',
			Key: jellyfinId('matrix'),
			ItemId: jellyfinId('matrix'),
		});
		const forViewer = (await items(`${ids}&userId=${VIEWER.id}`)).Items[0];
		expect(forViewer.UserData).toEqual(expect.objectContaining({ Played: false, PlayCount: 0 }));
		expect(forViewer.UserData).not.toHaveProperty('LastPlayedDate');
		// An API key without userId: no user, no UserData; a user token without userId: that user.
		expect((await items(ids)).Items[0]).not.toHaveProperty('UserData');
		const viewer = await login('viewer', '');
		expect((await items(ids, viewer)).Items[0].UserData).toEqual(
			expect.objectContaining({ Played: false }),
		);
		const played = await items(
			`userId=${ADMIN.id}&recursive=true&isPlayed=true&sortBy=DatePlayed&sortOrder=Descending`,
		);
		expect(played.Items.map((item) => item.Name)).toEqual(['Inception', 'The Matrix']);
		expect(
			(await send(fake, 'GET', '/Items?recursive=true&isPlayed=true', { headers: asKey })).status,
		).toBe(400);
		const unknownUser = '00000000000000000000000000000009';
		expect(
			(await send(fake, 'GET', `/Items?userId=${unknownUser}`, { headers: asKey })).status,
		).toBe(404);
		expect(
			(await send(fake, 'GET', `/Items?userId=${ADMIN.id}&recursive=true`, { headers: viewer }))
				.status,
		).toBe(403);
	});

	it('marks played / unplayed, logs the write and sends one UserDataSaved webhook the trigger parses', async () => {
		const id = jellyfinId('matrix');
		const marked = await send(
			fake,
			'POST',
			`/UserPlayedItems/${id}?userId=${VIEWER.id}&datePlayed=20240102030405`,
			{ headers: asKey },
		);
		expect(marked.status).toBe(200);
		expect(marked.json()).toEqual(
			expect.objectContaining({
				Played: true,
				PlayCount: 1,
				LastPlayedDate: '2024-01-02T03:04:05.0000000Z',
				ItemId: id,
			}),
		);
		await expectValidResponse('jellyfin-12.0', 'MarkPlayedItem', 200, marked.json());
		expect(fake.stateOf(VIEWER.id, 'matrix')).toEqual({
			played: true,
			playCount: 1,
			lastPlayedDate: '2024-01-02T03:04:05.000Z',
		});
		expect(fake.stateOf(ADMIN.id, 'matrix').played).toBe(false);
		expect(fake.playedWrites).toEqual([
			expect.objectContaining({
				userId: viewerId,
				itemId: 'matrix',
				requestedId: id,
				played: true,
				datePlayed: '20240102030405',
			}),
		]);
		const [webhook] = await fake.waitForWebhooks(1, 5000);
		expect(webhook.contentType).toBe('text/plain; charset=utf-8');
		expect(webhook.status).toBe(200);
		expect(receiver.received[0].headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(receiver.received[0].text).toBe(webhook.rawBody);
		const fixture = fixtureJson('jellyfin', 'userdatasaved-toggleplayed-episode-10.10.3.json');
		// LastPlayedDate: the plugin writes it only when set, and the captured item had never been played.
		expect(Object.keys(fixture)).toEqual(
			expect.arrayContaining(
				Object.keys(webhook.body).filter(
					(key) => !key.startsWith('Provider_') && key !== 'LastPlayedDate',
				),
			),
		);
		const watched = parseJellyfin(parsed(webhook), context);
		expect(watched).toEqual(
			expect.objectContaining({
				event: 'watched',
				played: true,
				user: { id: viewerId, name: 'Viewer' },
				server: { id: fake.serverId, name: fake.serverName, version: '12.0.0' },
			}),
		);
		expect(watched.media).toEqual(
			expect.objectContaining({
				type: 'movie',
				id,
				title: 'The Matrix',
				year: 1999,
				ids: { tmdb: '603', imdb: 'tt0133093' },
			}),
		);

		const unmarked = await send(fake, 'DELETE', `/UserPlayedItems/${id}?userId=${VIEWER.id}`, {
			headers: asKey,
		});
		expect(unmarked.json()).toEqual(expect.objectContaining({ Played: false, PlayCount: 0 }));
		expect(unmarked.json()).not.toHaveProperty('LastPlayedDate');
		const second = (await fake.waitForWebhooks(2))[1];
		expect(parseJellyfin(parsed(second), context)).toEqual(
			expect.objectContaining({ event: 'unwatched', played: false }),
		);
		expect(fake.webhooksSent).toHaveLength(2);
		expect(fake.playedWrites.map((write) => write.played)).toEqual([true, false]);
	});

	it('sends episode webhooks with the series, numbers and the episode ids; a series marks each episode', async () => {
		const episode = jellyfinId('severance-s1e2');
		const query = `userId=${ADMIN.id}&datePlayed=2024-03-04T05:06:07Z`;
		expect(
			(await send(fake, 'POST', `/UserPlayedItems/${episode}?${query}`, { headers: asKey })).status,
		).toBe(200);
		const [webhook] = await fake.waitForWebhooks(1);
		expect(webhook.body).toEqual(
			expect.objectContaining({
				ItemType: 'Episode',
				SeriesName: 'Severance',
				SeasonNumber: 1,
				EpisodeNumber: 2,
				SeasonNumber00: '01',
				Provider_tvdb: '9100102',
				SaveReason: 'TogglePlayed',
			}),
		);
		const event = parseJellyfin(parsed(webhook), context);
		expect(event.media).toEqual(
			expect.objectContaining({
				type: 'episode',
				series: { id: jellyfinId('severance'), title: 'Severance', ids: {} },
				seasonNumber: 1,
				episodeNumber: 2,
				ids: { tvdb: '9100102' },
			}),
		);
		fake.clear();
		const series = jellyfinId('dinner-club');
		const whole = await send(fake, 'POST', `/UserPlayedItems/${series}?userId=${ADMIN.id}`, {
			headers: asKey,
		});
		expect(whole.json()).toEqual(expect.objectContaining({ Played: true, UnplayedItemCount: 0 }));
		const sent = await fake.waitForWebhooks(2);
		expect(sent.map((hook) => hook.body.Name)).toEqual(['Dinner Club S1E1', 'Dinner Club S1E2']);
		expect(fake.playedWrites).toEqual([expect.objectContaining({ itemId: 'dinner-club' })]);
		expect(fake.stateOf(ADMIN.id, 'dinner-club-s1e2').played).toBe(true);
		expect(fake.stateOf(ADMIN.id, 'dinner-club').played).toBe(true);
	});

	it('refuses writes as the real server does', async () => {
		const id = jellyfinId('inception');
		const status = async (method: string, path: string, headers = asKey) =>
			(await send(fake, method, path, { headers })).status;
		// An API key acts for no user: without userId the server finds none.
		expect(await status('POST', `/UserPlayedItems/${id}`)).toBe(404);
		expect(await status('POST', `/UserPlayedItems/${'0'.repeat(31)}1?userId=${ADMIN.id}`)).toBe(
			404,
		);
		expect(await status('POST', `/UserPlayedItems/${id}?userId=${'0'.repeat(31)}9`)).toBe(404);
		expect(await status('POST', `/UserPlayedItems/12345?userId=${ADMIN.id}`)).toBe(400);
		expect(
			await status('POST', `/UserPlayedItems/${id}?userId=${ADMIN.id}&datePlayed=yesterday`),
		).toBe(400);
		expect(
			await status('POST', `/UserPlayedItems/${id}?userId=${ADMIN.id}&datePlayed=20241399000000`),
		).toBe(400);
		// A user token writes its own state; another user's needs an administrator.
		const viewer = await login('viewer', '');
		expect(await status('POST', `/UserPlayedItems/${id}?userId=${ADMIN.id}`, viewer)).toBe(403);
		expect(await status('POST', `/UserPlayedItems/${id}`, viewer)).toBe(200);
		expect(fake.stateOf(VIEWER.id, 'inception').played).toBe(true);
		const admin = await login('admin', 'secret');
		expect(await status('DELETE', `/UserPlayedItems/${id}?userId=${VIEWER.id}`, admin)).toBe(200);
		// The legacy route is hidden from the spec.
		expect(await status('POST', `/Users/${ADMIN.id}/PlayedItems/${id}`)).toBe(404);
		expect(fake.playedWrites.map((write) => [write.userId, write.played])).toEqual([
			[viewerId, true],
			[viewerId, false],
		]);
		await fake.waitForWebhooks(2);
	});

	it('answers the API request when the webhook target fails', async () => {
		// A port nothing listens on: a server's, closed again.
		const closed = await startReceiver();
		await closed.close();
		fake.setWebhookUrl(closed.url);
		try {
			const id = jellyfinId('spirited-away');
			const response = await send(fake, 'POST', `/UserPlayedItems/${id}?userId=${ADMIN.id}`, {
				headers: asKey,
			});
			expect(response.status).toBe(200);
			const [webhook] = await fake.waitForWebhooks(1);
			expect(webhook.status).toBeUndefined();
			expect(webhook.error).toMatch(/ECONNREFUSED/);
		} finally {
			fake.setWebhookUrl(receiver.url);
		}
	});
});

describe('FakeEmby with a catalog', () => {
	const EMBY_ADMIN = { id: 'c0c0c0c0d1d1e2e2f3f3a4a4b5b5c6c6', name: 'emby-admin', isAdmin: true };
	const EMBY_KID = { id: 'd1d1d1d1e2e2f3f3a4a4b5b5c6c6d7d7', name: 'kid', isAdmin: false };
	const receiver = { url: '', received: [] as Received[], close: async () => undefined };
	const fake = new FakeEmby({
		apiKeys: [API_KEY],
		users: [EMBY_ADMIN, EMBY_KID],
		catalog: SAMPLE_CATALOG,
	});
	const token = { 'x-emby-token': API_KEY };
	beforeAll(async () => {
		Object.assign(receiver, await startReceiver());
		fake.setWebhookUrl(receiver.url);
		await fake.start();
	});
	afterAll(async () => {
		await fake.stop();
		await receiver.close();
	});
	beforeEach(() => {
		fake.clear();
		fake.resetState();
		receiver.received.length = 0;
	});

	const items = async (path: string) => {
		const response = await send(fake, 'GET', path, { headers: token });
		expect(response.status).toBe(200);
		return response.json<{ Items: Array<Record<string, unknown>>; TotalRecordCount: number }>();
	};

	it('lists users with GET /Users/Query (there is no plain GET /Users in 4.8) and GET /Users/{Id}', async () => {
		const query = await send(fake, 'GET', '/Users/Query', { headers: token });
		expect(query.status).toBe(200);
		const body = query.json<{
			Items: Array<{ Name: string; Id: string }>;
			TotalRecordCount: number;
		}>();
		expect(body.Items.map(({ Name, Id }) => [Name, Id])).toEqual([
			['emby-admin', EMBY_ADMIN.id],
			['kid', EMBY_KID.id],
		]);
		expect(body.TotalRecordCount).toBe(2);
		await expectValidResponse('emby', 'getUsersQuery', 200, body);
		expect((await send(fake, 'GET', '/Users', { headers: token })).status).toBe(404);
		const one = await send(fake, 'GET', `/emby/Users/${EMBY_KID.id}`, { headers: token });
		await expectValidResponse('emby', 'getUsersById', 200, one.json());
		expect(one.json()).toEqual(
			expect.objectContaining({
				Name: 'kid',
				Policy: expect.objectContaining({ IsAdministrator: false }),
			}),
		);
		expect((await send(fake, 'GET', `/Users/${'0'.repeat(32)}`, { headers: token })).status).toBe(
			404,
		);
	});

	it('pages through every item exactly once (GET /Users/{UserId}/Items and GET /Items)', async () => {
		const seen: string[] = [];
		for (let start = 0; ; start += 5) {
			const page = await items(
				`/Users/${EMBY_ADMIN.id}/Items?Recursive=true&IncludeItemTypes=Movie,Series,Episode&StartIndex=${start}&Limit=5`,
			);
			expect(page.TotalRecordCount).toBe(SAMPLE_CATALOG.length);
			if (start === 0) await expectValidResponse('emby', 'getUsersByUseridItems', 200, page);
			seen.push(...page.Items.map((item) => String(item.Id)));
			if (page.Items.length < 5) break;
		}
		expect(seen.sort()).toEqual(SAMPLE_CATALOG.map((item) => embyId(item.id)).sort());
		const episodes = await items(
			`/Items?Recursive=true&IncludeItemTypes=Episode&ParentId=${embyId('severance')}`,
		);
		expect(episodes.TotalRecordCount).toBe(3);
		// Jellyfin's camelCase names are not Emby's.
		expect((await send(fake, 'GET', '/Items?recursive=true', { headers: token })).status).toBe(400);
	});

	it('returns ProviderIds and Path only when asked for in Fields', async () => {
		const ids = `Ids=${embyId('alien')}`;
		const bare = (await items(`/Items?${ids}`)).Items[0];
		expect(bare).toEqual(expect.objectContaining({ Name: 'Alien', Type: 'Movie' }));
		expect(bare).not.toHaveProperty('ProviderIds');
		expect(bare).not.toHaveProperty('Path');
		const full = (await items(`/Items?${ids}&Fields=ProviderIds,Path`)).Items[0];
		expect(full).toEqual(
			expect.objectContaining({
				ProviderIds: { IMDB: 'tt0078748', Tmdb: '348' },
				Path: sample('alien').path,
			}),
		);
	});

	it('filters AnyProviderIdEquals: OR-ed prov.id pairs, provider in any case, both copies of a movie', async () => {
		const find = async (value: string) =>
			(await items(`/Items?Recursive=true&AnyProviderIdEquals=${value}`)).Items.map(
				(item) => item.Name,
			);
		expect(await find('imdb.tt0078748')).toEqual(['Alien']); // stored as IMDB
		expect(await find('IMDB.tt0133093')).toEqual(['The Matrix', 'The Matrix']);
		expect(await find('tmdb.27205,imdb.tt0245429')).toEqual(['Inception', 'Spirited Away']);
		expect(await find('tvdb.81189')).toEqual(['Breaking Bad']);
		expect(await find('tmdb.0603')).toEqual([]); // compared as a string
		expect(
			(await send(fake, 'GET', '/Items?AnyProviderIdEquals=tt0078748', { headers: token })).status,
		).toBe(400);
	});

	it('keeps played state per user', async () => {
		fake.setState(EMBY_KID.id, 'inception', WATCHED);
		const query = `Ids=${embyId('inception')}`;
		const kid = (await items(`/Users/${EMBY_KID.id}/Items?${query}`)).Items[0];
		expect(kid.UserData).toEqual(
			expect.objectContaining({
				Played: true,
				PlayCount: 2,
				LastPlayedDate: '2024-05-06T07:08:09.0000000Z',
			}),
		);
		const admin = (await items(`/Items?UserId=${EMBY_ADMIN.id}&${query}`)).Items[0];
		expect(admin.UserData).toEqual(expect.objectContaining({ Played: false, PlayCount: 0 }));
		expect((await items(`/Items?${query}`)).Items[0]).not.toHaveProperty('UserData');
		const played = await items(`/Users/${EMBY_KID.id}/Items?Recursive=true&IsPlayed=true`);
		expect(played.Items.map((item) => item.Name)).toEqual(['Inception']);
		expect(
			(await send(fake, 'GET', `/Users/${'0'.repeat(32)}/Items?Recursive=true`, { headers: token }))
				.status,
		).toBe(404);
	});

	it('marks played with DatePlayed=yyyyMMddHHmmss, logs it and sends item.markplayed the trigger parses', async () => {
		const id = embyId('alien');
		const marked = await send(
			fake,
			'POST',
			`/Users/${EMBY_KID.id}/PlayedItems/${id}?DatePlayed=20240102030405`,
			{
				headers: token,
			},
		);
		expect(marked.status).toBe(200);
		expect(marked.json()).toEqual(
			expect.objectContaining({
				Played: true,
				PlayCount: 1,
				LastPlayedDate: '2024-01-02T03:04:05.0000000Z',
			}),
		);
		await expectValidResponse('emby', 'postUsersByUseridPlayeditemsById', 200, marked.json());
		expect(fake.playedWrites).toEqual([
			expect.objectContaining({
				userId: EMBY_KID.id,
				itemId: 'alien',
				played: true,
				datePlayed: '20240102030405',
			}),
		]);
		const [webhook] = await fake.waitForWebhooks(1);
		expect(webhook.contentType).toBe('application/json');
		expect(receiver.received[0].headers['content-type']).toBe('application/json');
		const fixture = fixtureJson<{ Item: Record<string, unknown> }>(
			'emby',
			'item-markplayed-episode-4.7.14.json',
		);
		expect(Object.keys(webhook.body)).toEqual(Object.keys(fixture));
		expect(Object.keys(fixture.Item)).toEqual(
			expect.arrayContaining(Object.keys(webhook.body.Item as object)),
		);
		const event = parseEmby(parsed(webhook), context);
		expect(event).toEqual(
			expect.objectContaining({
				event: 'watched',
				played: true,
				user: { id: EMBY_KID.id, name: 'kid' },
				server: { id: fake.serverId, name: fake.serverName, version: '4.8.11.0' },
			}),
		);
		expect(event.media).toEqual(
			expect.objectContaining({
				type: 'movie',
				id,
				ids: { imdb: 'tt0078748', tmdb: '348' },
				path: sample('alien').path,
			}),
		);

		const unmarked = await send(fake, 'DELETE', `/emby/Users/${EMBY_KID.id}/PlayedItems/${id}`, {
			headers: token,
		});
		expect(unmarked.json()).toEqual(expect.objectContaining({ Played: false, PlayCount: 0 }));
		const second = (await fake.waitForWebhooks(2))[1];
		expect(second.body.Event).toBe('item.markunplayed');
		expect(parseEmby(parsed(second), context)).toEqual(
			expect.objectContaining({ event: 'unwatched', played: false }),
		);
		expect(fake.stateOf(EMBY_KID.id, 'alien')).toEqual({
			played: false,
			playCount: 0,
			lastPlayedDate: null,
		});
	});

	it('refuses an ISO DatePlayed (the spec says yyyyMMddHHmmss) and unknown users or items', async () => {
		const id = embyId('alien');
		const iso = await send(
			fake,
			'POST',
			`/Users/${EMBY_KID.id}/PlayedItems/${id}?DatePlayed=2024-01-02T03:04:05Z`,
			{ headers: token },
		);
		expect(iso.status).toBe(400);
		expect(iso.text).toMatch(/yyyyMMddHHmmss/);
		const status = async (method: string, path: string) =>
			(await send(fake, method, path, { headers: token })).status;
		expect(
			await status('POST', `/Users/${EMBY_KID.id}/PlayedItems/${id}?DatePlayed=20241332000000`),
		).toBe(400);
		expect(await status('POST', `/Users/${'0'.repeat(32)}/PlayedItems/${id}`)).toBe(404);
		expect(await status('POST', `/Users/${EMBY_KID.id}/PlayedItems/1`)).toBe(404);
		expect(await status('POST', `/UserPlayedItems/${id}`)).toBe(404); // Jellyfin's route
		expect(fake.playedWrites).toEqual([]);
		// Without a date the count still becomes 1.
		expect(await status('POST', `/Users/${EMBY_KID.id}/PlayedItems/${id}`)).toBe(200);
		expect(fake.stateOf(EMBY_KID.id, id)).toEqual(
			expect.objectContaining({ played: true, playCount: 1 }),
		);
		await fake.waitForWebhooks(1);
	});
});

describe('FakePlex with a catalog', () => {
	const fake = new FakePlex({ tokens: ['plex-owner-token'], catalog: SAMPLE_CATALOG });
	const owner = {
		'x-plex-client-identifier': 'n8n-test',
		accept: 'application/json',
		'x-plex-token': 'plex-owner-token',
	};
	type Metadata = Record<string, unknown> & { ratingKey: string; title: string };
	type Container = {
		MediaContainer: { size: number; totalSize: number; offset: number; Metadata: Metadata[] };
	};
	beforeAll(() => fake.start());
	afterAll(() => fake.stop());
	beforeEach(() => {
		fake.clear();
		fake.resetState();
	});

	const list = async (section: string, query: string, headers: Record<string, string> = {}) => {
		const response = await send(
			fake,
			'GET',
			`/library/sections/${plexSectionId(section)}/all?${query}`,
			{
				headers: { ...owner, ...headers },
			},
		);
		expect(response.status).toBe(200);
		return { body: response.json<Container>(), headers: response.headers };
	};
	const put = async (path: string) => (await send(fake, 'PUT', path, { headers: owner })).status;

	it('adds the catalog libraries to the sections', async () => {
		const sections = await send(fake, 'GET', '/library/sections/all', { headers: owner });
		const directories = sections.json<{
			MediaContainer: { Directory: Array<Record<string, unknown>> };
		}>().MediaContainer.Directory;
		expect(directories.map(({ key, type, title }) => [key, type, title])).toEqual([
			[plexSectionId('movies'), 'movie', 'movies'],
			[plexSectionId('movies-4k'), 'movie', 'movies-4k'],
			[plexSectionId('shows'), 'show', 'shows'],
		]);
	});

	it('pages a section exactly once (query or header paging), with totalSize and X-Plex-Container-Total-Size', async () => {
		const seen: string[] = [];
		for (let start = 0; ; start += 2) {
			const paging: { query: string; headers: Record<string, string> } =
				start % 4 === 0
					? { query: `&X-Plex-Container-Start=${start}&X-Plex-Container-Size=2`, headers: {} }
					: {
							query: '',
							headers: { 'x-plex-container-start': String(start), 'x-plex-container-size': '2' },
						};
			const { body, headers } = await list(
				'shows',
				`type=4&includeGuids=1${paging.query}`,
				paging.headers,
			);
			expect(body.MediaContainer).toEqual(expect.objectContaining({ totalSize: 7, offset: start }));
			expect(headers.get('x-plex-container-total-size')).toBe('7');
			seen.push(...body.MediaContainer.Metadata.map((entry) => entry.ratingKey));
			if (body.MediaContainer.Metadata.length < 2) break;
		}
		const episodes = SAMPLE_CATALOG.filter((item) => item.type === 'episode');
		expect(seen.sort()).toEqual(episodes.map((item) => plexRatingKey(item.id)).sort());
		const shows = await list('shows', 'type=2');
		expect(
			shows.body.MediaContainer.Metadata.map((entry) => [entry.title, entry.leafCount]),
		).toEqual([
			['Severance', 3],
			['Dinner Club', 2],
			['Breaking Bad', 2],
		]);
		// The section's own kind without type.
		expect((await list('movies', '')).body.MediaContainer.totalSize).toBe(6);
		const unknown = await send(fake, 'GET', '/library/sections/999/all', { headers: owner });
		expect(unknown.status).toBe(404);
	});

	it('gives Guid[] only with includeGuids=1 and only for modern-agent items', async () => {
		const byTitle = (body: Container) =>
			Object.fromEntries(body.MediaContainer.Metadata.map((entry) => [entry.title, entry]));
		const plain = (await list('movies', 'type=1')).body;
		await expectValidResponse('plex', 'listContent', 200, plain);
		const bare = byTitle(plain);
		expect(bare['Inception']).not.toHaveProperty('Guid');
		const movies = byTitle((await list('movies', 'type=1&includeGuids=1')).body);
		expect(movies['Inception']).toEqual(
			expect.objectContaining({
				type: 'movie',
				year: 2010,
				guid: expect.stringMatching(/^plex:\/\/movie\/[0-9a-f]{24}$/),
				Guid: [{ id: 'imdb://tt1375666' }, { id: 'tmdb://27205' }],
				librarySectionID: Number(plexSectionId('movies')),
			}),
		);
		expect(movies['Alien'].Guid).toEqual([{ id: 'imdb://tt0078748' }, { id: 'tmdb://348' }]);
		expect(movies["Bram Stoker's Dracula"].guid).toBe(
			'com.plexapp.agents.imdb://tt0103639?lang=en',
		);
		expect(movies["Bram Stoker's Dracula"]).not.toHaveProperty('Guid');
		expect(movies['Summer Holiday 2019'].guid).toMatch(/^local:\/\//);
		expect(movies['Summer Holiday 2019']).not.toHaveProperty('Guid');
		const episodes = byTitle((await list('shows', 'type=4&includeGuids=1')).body);
		expect(episodes['Breaking Bad S1E2']).toEqual(
			expect.objectContaining({
				guid: 'com.plexapp.agents.thetvdb://81189/1/2?lang=en',
				grandparentGuid: 'com.plexapp.agents.thetvdb://81189?lang=en',
				grandparentTitle: 'Breaking Bad',
				grandparentRatingKey: plexRatingKey('breaking-bad'),
				parentIndex: 1,
				index: 2,
			}),
		);
		expect(episodes['Breaking Bad S1E2']).not.toHaveProperty('Guid');
		expect(episodes['Severance S2E1'].Guid).toEqual([{ id: 'tvdb://9100201' }]);
		expect(episodes['Dinner Club S1E1']).not.toHaveProperty('Guid');
	});

	it('looks items up by ratingKey (comma list, Guid[] included), 404 when none exists', async () => {
		const keys = [plexRatingKey('matrix'), '1', plexRatingKey('matrix-4k')].join(',');
		const found = await send(fake, 'GET', `/library/metadata/${keys}`, { headers: owner });
		expect(found.status).toBe(200);
		await expectValidResponse('plex', 'getMetadataItem', 200, found.json());
		const metadata = found.json<Container>().MediaContainer.Metadata;
		expect(metadata.map((entry) => [entry.title, entry.librarySectionID, entry.Guid])).toEqual([
			[
				'The Matrix',
				Number(plexSectionId('movies')),
				[{ id: 'imdb://tt0133093' }, { id: 'tmdb://603' }],
			],
			[
				'The Matrix',
				Number(plexSectionId('movies-4k')),
				[{ id: 'imdb://tt0133093' }, { id: 'tmdb://603' }],
			],
		]);
		expect((await send(fake, 'GET', '/library/metadata/1,2', { headers: owner })).status).toBe(404);
	});

	it('scrobbles and unscrobbles the account state (viewCount / lastViewedAt only when played)', async () => {
		const key = plexRatingKey('spirited-away');
		const scrobble = `/:/scrobble?identifier=com.plexapp.plugins.library&key=${key}`;
		const before = Math.floor(Date.now() / 1000);
		expect(await put(scrobble)).toBe(200);
		expect(await put(scrobble)).toBe(200);
		const lookup = async () =>
			(await send(fake, 'GET', `/library/metadata/${key}`, { headers: owner })).json<Container>()
				.MediaContainer.Metadata[0];
		const played = await lookup();
		expect(played.viewCount).toBe(2);
		expect(played.lastViewedAt).toBeGreaterThanOrEqual(before);
		expect(fake.stateOf('spirited-away')).toEqual(
			expect.objectContaining({ played: true, playCount: 2 }),
		);
		expect(await put(`/:/unscrobble?identifier=com.plexapp.plugins.library&key=${key}`)).toBe(200);
		const unplayed = await lookup();
		expect(unplayed).not.toHaveProperty('viewCount');
		expect(unplayed).not.toHaveProperty('lastViewedAt');
		expect(
			fake.playedWrites.map(({ userId, itemId, played: state }) => [userId, itemId, state]),
		).toEqual([
			['1', 'spirited-away', true],
			['1', 'spirited-away', true],
			['1', 'spirited-away', false],
		]);
		// A show marks its episodes.
		expect(
			await put(
				`/:/scrobble?identifier=com.plexapp.plugins.library&key=${plexRatingKey('severance')}`,
			),
		).toBe(200);
		const show = (await list('shows', 'type=2')).body.MediaContainer.Metadata[0];
		expect([show.title, show.leafCount, show.viewedLeafCount]).toEqual(['Severance', 3, 3]);
	});

	it('refuses a wrong identifier (400), an unknown key (404), no key (400) and GET (405)', async () => {
		const key = plexRatingKey('matrix');
		expect(await put(`/:/scrobble?identifier=com.plexapp.plugins.other&key=${key}`)).toBe(400);
		expect(await put('/:/scrobble?identifier=com.plexapp.plugins.library&key=1')).toBe(404);
		expect(await put('/:/unscrobble?identifier=com.plexapp.plugins.library')).toBe(400);
		expect(await put(`/:/scrobble?key=${key}`)).toBe(400); // identifier is required by the spec
		const get = await send(
			fake,
			'GET',
			`/:/scrobble?identifier=com.plexapp.plugins.library&key=${key}`,
			{
				headers: owner,
			},
		);
		expect(get.status).toBe(405);
		expect(fake.playedWrites).toEqual([]);
		expect(fake.stateOf('matrix').played).toBe(false);
	});
});

describe('a generated library of 20,000 items', () => {
	// 10,000 movies + 200 series × (1 + 49 episodes).
	const catalog = generateCatalog({ movies: 10000, series: 200, episodesPerSeries: 49 });
	const jellyfin = new FakeJellyfin({ apiKeys: [API_KEY], users: [ADMIN], catalog });
	const emby = new FakeEmby({
		apiKeys: [API_KEY],
		users: [{ id: ADMIN.id, name: 'admin', isAdmin: true }],
		catalog,
	});
	const plex = new FakePlex({ tokens: ['t'], catalog });
	beforeAll(() => Promise.all([jellyfin.start(), emby.start(), plex.start()]));
	afterAll(() => Promise.all([jellyfin.stop(), emby.stop(), plex.stop()]));

	it('pages through each fake by 1,000 (time printed, not asserted)', async () => {
		expect(catalog).toHaveLength(20000);
		const times: string[] = [];
		const timed = async (name: string, run: () => Promise<number>) => {
			const started = Date.now();
			expect(await run()).toBe(20000);
			times.push(`${name}: ${Date.now() - started} ms`);
		};
		await timed('Jellyfin', async () => {
			const ids = new Set<string>();
			for (let start = 0; ; start += 1000) {
				const query = `userId=${ADMIN.id}&recursive=true&includeItemTypes=Movie,Series,Episode&fields=ProviderIds,Path&enableImages=false&startIndex=${start}&limit=1000`;
				const page = (await send(jellyfin, 'GET', `/Items?${query}`, { headers: asKey })).json<{
					Items: Array<{ Id: string }>;
				}>();
				page.Items.forEach((item) => ids.add(item.Id));
				if (page.Items.length < 1000) return ids.size;
			}
		});
		await timed('Emby', async () => {
			const ids = new Set<string>();
			for (let start = 0; ; start += 1000) {
				const query = `Recursive=true&IncludeItemTypes=Movie,Series,Episode&Fields=ProviderIds,Path&EnableImages=false&StartIndex=${start}&Limit=1000`;
				const page = (
					await send(emby, 'GET', `/Users/${ADMIN.id}/Items?${query}`, {
						headers: { 'x-emby-token': API_KEY },
					})
				).json<{ Items: Array<{ Id: string }> }>();
				page.Items.forEach((item) => ids.add(item.Id));
				if (page.Items.length < 1000) return ids.size;
			}
		});
		await timed('Plex', async () => {
			const keys = new Set<string>();
			const headers = {
				'x-plex-client-identifier': 'n8n',
				'x-plex-token': 't',
				accept: 'application/json',
			};
			for (const [section, type] of [
				['movies', 1],
				['shows', 2],
				['shows', 4],
			] as const) {
				for (let start = 0; ; start += 1000) {
					const path = `/library/sections/${plexSectionId(section)}/all?type=${type}&includeGuids=1&X-Plex-Container-Start=${start}&X-Plex-Container-Size=1000`;
					const page = (await send(plex, 'GET', path, { headers })).json<{
						MediaContainer: { Metadata: Array<{ ratingKey: string }> };
					}>();
					page.MediaContainer.Metadata.forEach((entry) => keys.add(entry.ratingKey));
					if (page.MediaContainer.Metadata.length < 1000) break;
				}
			}
			return keys.size;
		});
		// eslint-disable-next-line no-console -- the benchmark's result, printed rather than asserted
		console.log(`Paging 20,000 items by 1,000: ${times.join(', ')}`);
	}, 60000);
});
