/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: a scratch folder */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { JellyfinApi } from '../../credentials/JellyfinApi.credentials';
import { KodiApi } from '../../credentials/KodiApi.credentials';
import { filesUnder, findLeaks, leakReport, passwordFields, secretsOf } from '../e2e/secretScan';

// The e2e harness runs this scanner on every n8n it stops (test/e2e/harness.ts); these tests show it can fail.

const KEY = 'dummy-jellyfin-key-unit-0000001';
const fields: Record<string, string[]> = {
	jellyfinApi: passwordFields(new JellyfinApi()),
	kodiApi: passwordFields(new KodiApi()),
	httpQueryAuth: ['value'],
};

test('the secret fields are the ones the credential class marks as passwords', () => {
	expect(fields.jellyfinApi).toEqual(['apiKey', 'password', 'accessToken']);
	expect(fields.kodiApi).toEqual(['password']);
});

test('each secret is looked for as is, URL-encoded and as Basic auth; short ones are named, not looked for', () => {
	const { secrets, tooShort } = secretsOf(
		[
			{ name: 'Jellyfin', type: 'jellyfinApi', data: { url: 'http://jf', apiKey: KEY } },
			{ name: 'Kodi', type: 'kodiApi', data: { username: 'kodi', password: 'p@ss word!' } },
			{ name: 'Query', type: 'httpQueryAuth', data: { name: 'token', value: 'qs' } },
		],
		(type) => fields[type],
	);
	expect(secrets).toEqual([
		{ label: 'credential "Jellyfin" (jellyfinApi.apiKey)', value: KEY },
		{ label: 'credential "Kodi" (kodiApi.password)', value: 'p@ss word!' },
		{ label: 'credential "Kodi" (kodiApi.password), URL-encoded', value: 'p%40ss%20word!' },
		{
			label: 'credential "Kodi" (kodiApi.password), as Basic auth',
			value: Buffer.from('kodi:p@ss word!').toString('base64'),
		},
	]);
	expect(tooShort).toEqual(['credential "Query" (httpQueryAuth.value)']);
});

test('a key in a log line is found, with where and the context around it, the key masked', () => {
	// Constructed: an n8n log line as a leaking node would write it.
	const log = `2026-11-25T00:00:00.000Z | warn | Jellyfin request GET /Items?api_key=${KEY}&Recursive=true failed\n`;
	const leaks = findLeaks(
		[
			{ where: 'clean.log', bytes: Buffer.from('nothing here\n') },
			{ where: 'n8n log', bytes: Buffer.from(log) },
		],
		[{ label: 'the key', value: KEY }],
	);
	expect(leaks).toEqual([
		{
			secret: 'the key',
			where: 'n8n log',
			offset: log.indexOf(KEY),
			context: 'in request GET /Items?api_key=***&Recursive=true failed.',
		},
	]);
	const report = leakReport(leaks);
	expect(report).toContain('the key in n8n log at byte 70');
	expect(report).not.toContain(KEY);
});

test('every occurrence in binary bytes is found, and other secrets in the context are masked, even cut off', () => {
	// Constructed: database-like bytes, the key twice, a token next to it that the context's edge cuts.
	const bytes = Buffer.concat([
		Buffer.from([0, 1, 2]),
		Buffer.from(`{"apiKey":"${KEY}","tokens":["dummy-plex-token-01"]}`),
		Buffer.alloc(100),
		Buffer.from(KEY),
	]);
	const leaks = findLeaks(
		[{ where: 'database.sqlite', bytes }],
		[
			{ label: 'the key', value: KEY },
			{ label: 'the token', value: 'dummy-plex-token-01' },
		],
	);
	expect(leaks.map((leak) => [leak.secret, leak.offset])).toEqual([
		['the key', 14],
		['the key', bytes.length - KEY.length],
		['the token', bytes.indexOf('dummy-plex-token-01')],
	]);
	expect(leaks[0].context).toBe('...{"apiKey":"***","tokens":["***');
	expect(leaks.every((leak) => !leak.context.includes('dummy'))).toBe(true);
});

test('a value shared by several credentials is reported once, naming them all', () => {
	const leaks = findLeaks(
		[{ where: 'n8n log', bytes: Buffer.from(`key ${KEY}`) }],
		[
			{ label: 'credential "Jellyfin wrong key"', value: KEY },
			{ label: 'credential "Emby wrong key"', value: KEY },
		],
	);
	expect(leaks.map((leak) => leak.secret)).toEqual([
		'credential "Jellyfin wrong key" = credential "Emby wrong key"',
	]);
});

test('every file under the folder is read, but not the skipped directories', () => {
	const folder = mkdtempSync(join(tmpdir(), 'secret-scan-'));
	try {
		mkdirSync(join(folder, '.n8n', 'nodes', 'node_modules'), { recursive: true });
		mkdirSync(join(folder, '.n8n', 'binaryData'), { recursive: true });
		writeFileSync(join(folder, '.n8n', 'database.sqlite-wal'), KEY);
		writeFileSync(join(folder, '.n8n', 'binaryData', 'file'), 'x');
		writeFileSync(join(folder, '.n8n', 'nodes', 'node_modules', 'index.js'), KEY);
		const places = filesUnder(folder, [join('.n8n', 'nodes')]);
		expect(places.map((place) => place.where).sort()).toEqual([
			join(folder, '.n8n', 'binaryData', 'file'),
			join(folder, '.n8n', 'database.sqlite-wal'),
		]);
		expect(findLeaks(places, [{ label: 'the key', value: KEY }])).toHaveLength(1);
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
});
