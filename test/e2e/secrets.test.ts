import { FakeEmby } from '../fakes/emby';
import { FakeJellyfin } from '../fakes/jellyfin';
import { FakePlex } from '../fakes/plex';
import { fixtureText } from '../fixtures/load';
import {
	pipelineWorkflow,
	Sink,
	sinkWorkflow,
	startN8nWith,
	type PipelineNode,
	type RunningN8n,
	type SinkDelivery,
} from './harness';

/**
 * Secrets on the paths where they could leak: keys the server rejects, server errors that echo the key or token
 * back, a Jellyfin sign-in and its session token, and webhook secrets sent wrong or right. Each test checks what
 * the caller sees; the last one stops n8n, and the harness then scans its log, files and database for every
 * secret (test/e2e/secretScan.ts). The fakes' error bodies are constructed.
 */

const JELLYFIN_KEY = 'dummy-jellyfin-key-secrets-00001';
const EMBY_KEY = 'dummy-emby-key-secrets-000000001';
const PLEX_TOKEN = 'dummy-plex-token-secrets-01';
const WRONG_KEY = 'dummy-wrong-key-secrets-0000001';
const ADMIN = {
	id: 'a1a1a1a1b2b2c3c3d4d4e5e5e5e5e5e5',
	name: 'admin',
	password: 'dummy-admin-secret-pw',
	isAdmin: true,
};
const HEADER_SECRET = 'dummy-header-secret-0001';
const QUERY_SECRET = 'dummy-query-secret-0001';
const BASIC = { user: 'sonarr', password: 'dummy-basic-secret-0001' };
/** Sent by callers that do not know the secret; n8n must not write these down either. */
const GUESSES = ['dummy-guessed-secret-0001', 'dummy-guessed-secret-0002'];

const jellyfin = new FakeJellyfin({ apiKeys: [JELLYFIN_KEY], users: [ADMIN] });
const emby = new FakeEmby({ apiKeys: [EMBY_KEY] });
const plex = new FakePlex({ tokens: [PLEX_TOKEN] });
const sink = new Sink();
let n8n: RunningN8n;
let stopped = false;

/** The credentials, server URLs left out until the fakes listen. */
const CREDENTIALS: Array<{ id: string; name: string; type: string; data: Record<string, string> }> =
	[
		{
			id: 'jellyfinKey',
			name: 'Jellyfin key',
			type: 'jellyfinApi',
			data: { authMethod: 'apiKey', apiKey: JELLYFIN_KEY },
		},
		{
			id: 'jellyfinWrong',
			name: 'Jellyfin wrong key',
			type: 'jellyfinApi',
			data: { authMethod: 'apiKey', apiKey: WRONG_KEY },
		},
		...['jellyfinLogin', 'jellyfinLoginFault'].map((id) => ({
			id,
			name: id,
			type: 'jellyfinApi',
			data: { authMethod: 'password', username: ADMIN.name, password: ADMIN.password },
		})),
		{ id: 'embyKey', name: 'Emby', type: 'embyApi', data: { apiKey: EMBY_KEY } },
		{ id: 'embyWrong', name: 'Emby wrong key', type: 'embyApi', data: { apiKey: WRONG_KEY } },
		{ id: 'plexToken', name: 'Plex', type: 'plexApi', data: { token: PLEX_TOKEN } },
		{ id: 'plexWrong', name: 'Plex wrong token', type: 'plexApi', data: { token: WRONG_KEY } },
		{
			id: 'header',
			name: 'Header',
			type: 'httpHeaderAuth',
			data: { name: 'X-Media-Secret', value: HEADER_SECRET },
		},
		{
			id: 'query',
			name: 'Query',
			type: 'httpQueryAuth',
			data: { name: 'token', value: QUERY_SECRET },
		},
		{ id: 'basic', name: 'Basic', type: 'httpBasicAuth', data: BASIC },
	];

const credential = (id: string) => {
	const { type, name } = CREDENTIALS.find((each) => each.id === id)!;
	return { [type]: { id, name } };
};

/** n8n's Webhook node → a Refresh All on the server with this credential (failures as items) → the sink. */
function refreshAll(id: string, server: 'jellyfin' | 'emby' | 'plex', credentialId: string) {
	const nodes: PipelineNode[] = [
		{
			name: `${id} hook`,
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: id,
			parameters: { httpMethod: 'POST', path: `${id}/webhook`, responseMode: 'onReceived' },
		},
		{
			name: id,
			type: `n8n-nodes-media-server.${server}`,
			parameters: { resource: 'library', operation: 'refreshAll', options: { quietPeriod: 0 } },
			credentials: credential(credentialId),
			onError: 'continueRegularOutput',
		},
	];
	return pipelineWorkflow(id, sink.url, nodes);
}

/** The chains side by side in one workflow: each workflow costs n8n two CLI runs at import. */
function actionsWorkflow() {
	const chains = [
		refreshAll('jellyfinOk', 'jellyfin', 'jellyfinKey'),
		refreshAll('jellyfinWrong', 'jellyfin', 'jellyfinWrong'),
		refreshAll('jellyfinLogin', 'jellyfin', 'jellyfinLogin'),
		refreshAll('jellyfinLoginFault', 'jellyfin', 'jellyfinLoginFault'),
		refreshAll('embyOk', 'emby', 'embyKey'),
		refreshAll('embyWrong', 'emby', 'embyWrong'),
		refreshAll('plexOk', 'plex', 'plexToken'),
		refreshAll('plexWrong', 'plex', 'plexWrong'),
	];
	return {
		...chains[0],
		id: 'secretActions',
		name: 'e2e secretActions',
		nodes: chains.flatMap((chain) => chain.nodes),
		connections: Object.assign({}, ...chains.map((chain) => chain.connections)) as object,
	};
}

const trigger = (name: string, type: string, authentication: string, credentialId: string) => ({
	name,
	type: `n8n-nodes-media-server.${type}`,
	webhookId: name,
	parameters: { authentication, options: { includeRaw: true } },
	credentials: credential(credentialId),
});

beforeAll(async () => {
	await Promise.all([sink.start(), jellyfin.start(), emby.start(), plex.start()]);
	const urls: Record<string, string> = {
		jellyfinApi: jellyfin.url,
		embyApi: emby.url,
		plexApi: plex.url,
	};
	const credentials = CREDENTIALS.map((each) =>
		urls[each.type] ? { ...each, data: { ...each.data, url: urls[each.type] } } : each,
	);
	const triggers = sinkWorkflow('secretTriggers', sink.url, [
		trigger('jellyfinHeader', 'jellyfinTrigger', 'headerAuth', 'header'),
		trigger('embyQuery', 'embyTrigger', 'queryAuth', 'query'),
		trigger('sonarrBasic', 'servarrTrigger', 'basicAuth', 'basic'),
	]);
	n8n = await startN8nWith({ workflows: [actionsWorkflow(), triggers], credentials });
	for (const [index, guess] of GUESSES.entries())
		n8n.treatAsSecret(`guessed secret #${index + 1}`, guess);
}, 600_000);

afterAll(async () => {
	if (!stopped) await n8n?.stop();
	await Promise.all([sink.stop(), jellyfin.stop(), emby.stop(), plex.stop()]);
});

/** Starts the chain `id` and returns what its server node put out. */
async function run(id: string): Promise<SinkDelivery> {
	const before = sink.deliveries.length;
	const response = await fetch(n8n.webhookUrl(id), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	});
	expect(response.status).toBe(200);
	const [delivery] = await sink.matching(
		(each) => each.trigger === id && sink.deliveries.indexOf(each) >= before,
		1,
	);
	return delivery;
}

const SECRETS = [JELLYFIN_KEY, EMBY_KEY, PLEX_TOKEN, WRONG_KEY, ADMIN.password];

function expectNoSecret(text: string) {
	for (const secret of [...SECRETS, HEADER_SECRET, QUERY_SECRET, BASIC.password, ...GUESSES]) {
		expect(text).not.toContain(secret);
	}
}

describe('server nodes', () => {
	test('a rejected key or token fails the item naming the server and the status, never the key', async () => {
		for (const [id, message] of [
			['jellyfinWrong', 'Jellyfin rejected the credentials (401)'],
			['embyWrong', 'Emby rejected the credentials (401)'],
			['plexWrong', 'Plex rejected the credentials (401)'],
		]) {
			const delivery = await run(id);
			expect(delivery.event.error).toBe(message);
			expectNoSecret(JSON.stringify(delivery));
		}
	}, 60_000);

	test.each([
		['jellyfinOk', jellyfin, JELLYFIN_KEY],
		['embyOk', emby, EMBY_KEY],
		['plexOk', plex, PLEX_TOKEN],
	] as const)(
		'%s: a 500 that echoes the key shows *** in its place',
		async (id, server, secret) => {
			server.failNext({
				status: 500,
				body: { message: `Error processing request for key ${secret}` },
			});
			const delivery = await run(id);
			expect(delivery.event).toEqual({
				error: expect.stringMatching(/internal error \(HTTP 500\)/),
				description: expect.stringContaining('Error processing request for key ***'),
			});
			expectNoSecret(JSON.stringify(delivery));
		},
		60_000,
	);
});

describe('Jellyfin sign-in', () => {
	test('the password and the session token stay out of the output, also when Jellyfin echoes the token', async () => {
		jellyfin.clear();
		expect((await run('jellyfinLogin')).event).toMatchObject({ refreshed: 'all' });
		const tokens = [...jellyfin.sessions.keys()];
		expect(tokens).toHaveLength(1);
		n8n.treatAsSecret('the Jellyfin session token', tokens[0]);

		jellyfin.failNext({ status: 500, body: { message: `Session ${tokens[0]} failed` } });
		const failed = await run('jellyfinLogin');
		expect(failed.event.description).toContain('Session *** failed');
		expectNoSecret(JSON.stringify(failed));
		expect(JSON.stringify(failed)).not.toContain(tokens[0]);
	}, 60_000);

	test('a sign-in answered with a 500 that echoes the password fails without the password', async () => {
		jellyfin.failNext({ status: 500, body: { message: `Bad request: Pw=${ADMIN.password}` } });
		const delivery = await run('jellyfinLoginFault');
		expect(jellyfin.requests.at(-1)).toMatchObject({
			path: '/Users/AuthenticateByName',
			status: 500,
		});
		expect(delivery.event.error).toMatch(/Signing in to Jellyfin .* failed: HTTP 500/);
		expectNoSecret(JSON.stringify(delivery));
	}, 60_000);
});

describe('webhook secrets', () => {
	const basic = (password: string) =>
		`Basic ${Buffer.from(`${BASIC.user}:${password}`).toString('base64')}`;
	/** A real body to each trigger, with `secret` where its authentication reads it. */
	const requests = (secret: (trigger: string) => string) =>
		[
			{
				trigger: 'jellyfinHeader',
				query: '',
				headers: { 'x-media-secret': secret('jellyfinHeader') } as Record<string, string>,
				body: fixtureText('jellyfin', 'playback-stop-movie-10.8.8.json'),
			},
			{
				trigger: 'embyQuery',
				query: `?token=${encodeURIComponent(secret('embyQuery'))}`,
				headers: {},
				body: fixtureText('emby', 'playback-stop-movie-4.7.13.json'),
			},
			{
				trigger: 'sonarrBasic',
				query: '',
				headers: { authorization: basic(secret('sonarrBasic')) },
				body: fixtureText('servarr', 'sonarr-download-v4.0-2024-02.json'),
			},
		].map((request) => ({
			...request,
			headers: { 'content-type': 'application/json', ...request.headers },
		}));
	const RIGHT: Record<string, string> = {
		jellyfinHeader: HEADER_SECRET,
		embyQuery: QUERY_SECRET,
		sonarrBasic: BASIC.password,
	};
	const send = async (request: ReturnType<typeof requests>[number]) => {
		const response = await fetch(`${n8n.webhookUrl(request.trigger)}${request.query}`, {
			method: 'POST',
			headers: request.headers,
			body: request.body,
		});
		return { trigger: request.trigger, status: response.status, text: await response.text() };
	};

	test('a wrong secret is refused with 403, and the answer repeats neither it nor the right one', async () => {
		for (const guess of GUESSES) {
			for (const request of requests(() => guess)) {
				const answer = await send(request);
				expect({ trigger: answer.trigger, status: answer.status }).toEqual({
					trigger: request.trigger,
					status: 403,
				});
				expectNoSecret(answer.text);
			}
		}
	}, 60_000);

	test('the right secret starts the workflow, and the event (raw body included) does not carry it', async () => {
		for (const request of requests((trigger) => RIGHT[trigger])) {
			const before = sink.deliveries.length;
			const answer = await send(request);
			expect({ trigger: answer.trigger, status: answer.status }).toEqual({
				trigger: request.trigger,
				status: 200,
			});
			expectNoSecret(answer.text);
			const [delivery] = await sink.matching(
				(each) => each.trigger === request.trigger && sink.deliveries.indexOf(each) >= before,
				1,
			);
			expect(delivery.event.raw).toBeDefined();
			expectNoSecret(JSON.stringify(delivery));
		}
	}, 60_000);
});

test("n8n's log, files and database hold none of the secrets (the harness scans them at stop)", async () => {
	stopped = true;
	await n8n.stop();
}, 60_000);
