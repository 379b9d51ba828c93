import { expectedEvent } from '../fixtures/expected/events';
import { jellyfinWireText, playbackProgress } from '../fixtures/jellyfinPlugin';
import { fixtureFiles, fixtureJson, fixtureText } from '../fixtures/load';
import { exampleWithSink, Sink, sinkWorkflow, startN8nWith, type RunningN8n } from './harness';

/**
 * The Jellyfin Trigger inside a real n8n 2.41, installed from the packed tarball as a community package.
 * Every request goes over HTTP exactly as the Jellyfin webhook plugin sends it; outputs come back through the
 * workflow's HTTP Request node into a local sink.
 */

// Some tests wait for several executions; on a loaded machine (2 shared cores) that can pass jest's 5 s default.
// Each wait is for a signal (an answer, a sink delivery), which has its own limit.
jest.setTimeout(30_000);

const TYPE = 'n8n-nodes-media-server.jellyfinTrigger';
const ITEM_ADDED = 'item-added-movie-10.10.7.json';
const sink = new Sink();
let n8n: RunningN8n;
let accepted = 0;

const credentials = [
	{
		id: 'hdrAuth1',
		name: 'Jellyfin header',
		type: 'httpHeaderAuth',
		data: { name: 'X-Media-Secret', value: 's3cret-header' },
	},
	{
		id: 'qryAuth1',
		name: 'Jellyfin query',
		type: 'httpQueryAuth',
		data: { name: 'token', value: 's3cret-query' },
	},
];

beforeAll(async () => {
	await sink.start();
	const workflow = sinkWorkflow('jellyfinE2e', sink.url, [
		{ name: 'Jellyfin Open', type: TYPE, webhookId: 'jf-open' },
		{
			name: 'Jellyfin Header',
			type: TYPE,
			webhookId: 'jf-header',
			parameters: { authentication: 'headerAuth' },
			credentials: { httpHeaderAuth: { id: 'hdrAuth1', name: 'Jellyfin header' } },
		},
		{
			name: 'Jellyfin Query',
			type: TYPE,
			webhookId: 'jf-query',
			parameters: { authentication: 'queryAuth' },
			credentials: { httpQueryAuth: { id: 'qryAuth1', name: 'Jellyfin query' } },
		},
		{
			name: 'Jellyfin Other Server',
			type: TYPE,
			webhookId: 'jf-other-server',
			parameters: { options: { serverIds: 'ffffffffffffffffffffffffffffffff' } },
		},
	]);
	const example = exampleWithSink('media-events-summary.json', sink.url, 'Summary');
	n8n = await startN8nWith({ workflows: [workflow, example], credentials });
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await sink.stop();
});

function post(
	webhookId: string,
	body: string,
	contentType: string,
	headers: Record<string, string> = {},
	query = '',
) {
	return fetch(`${n8n.webhookUrl(webhookId)}${query}`, {
		method: 'POST',
		headers: { 'content-type': contentType, 'user-agent': 'Jellyfin-Server/10.10.3', ...headers },
		body,
	});
}

/** Posts a request that must start one execution, and returns what the workflow delivered. */
async function postAccepted(
	webhookId: string,
	body: string,
	contentType: string,
	headers = {},
	query = '',
) {
	const response = await post(webhookId, body, contentType, headers, query);
	const answer = await response.json();
	expect({ status: response.status, message: answer.message }).toEqual({
		status: 200,
		message: 'Workflow was started',
	});
	const delivery = await sink.delivery(accepted++);
	expect(answer.event).toBe(delivery.event.event);
	return delivery;
}

/** The fixture's hand-checked event (test/fixtures/expected/jellyfin.ts); n8n's clock sets receivedAt. */
const expected = (file: string) =>
	expectedEvent('jellyfin', file, { receivedAt: expect.any(String) });

describe('Jellyfin Trigger in n8n 2.41', () => {
	test.each(fixtureFiles('jellyfin'))(
		'%s, sent as text/plain like the plugin does',
		async (file) => {
			const delivery = await postAccepted(
				'jf-open',
				fixtureText('jellyfin', file),
				'text/plain; charset=utf-8',
			);
			expect(delivery.trigger).toBe('Jellyfin Open');
			expect(delivery.event).toEqual(expected(file));
		},
	);

	test('the same events come out whatever the body encoding (application/json, Generic Form)', async () => {
		const file = 'playback-stop-movie-10.8.8.json';
		const payload = fixtureJson('jellyfin', file);
		const asJson = await postAccepted('jf-open', JSON.stringify(payload), 'application/json');
		// Constructed: the Generic Form destination sends each top-level key as a form field, values as text.
		const form = new URLSearchParams(
			Object.entries(payload).map(([key, value]) => [
				key,
				value === null
					? ''
					: typeof value === 'boolean'
						? value
							? 'True'
							: 'False'
						: String(value),
			]),
		);
		const asForm = await postAccepted(
			'jf-open',
			form.toString(),
			'application/x-www-form-urlencoded',
		);
		expect(asJson.event).toEqual(expected(file));
		expect(asForm.event).toEqual(expected(file));
	});

	test('PlaybackProgress heartbeats become one pause and one resume per session (constructed from a real stop)', async () => {
		// Constructed in the plugin's wire form (fixtures/jellyfinPlugin.ts) for a session of its own.
		const stop = {
			...fixtureJson('jellyfin', 'playback-stop-episode-10.10.3.json'),
			Id: 'e2e-session-1',
		};
		const progress = (paused: boolean) =>
			jellyfinWireText(playbackProgress(stop, { IsPaused: paused }));
		// A PlaybackStart carries the keys of a PlaybackStop but PlayedToCompletion.
		const startBody: Record<string, unknown> = { ...stop, NotificationType: 'PlaybackStart' };
		delete startBody.PlayedToCompletion;
		const start = jellyfinWireText(startBody);
		expect((await postAccepted('jf-open', start, 'text/plain')).event.event).toBe('play');
		const ignored = await post('jf-open', progress(false), 'text/plain');
		expect(await ignored.json()).toEqual({
			message: 'Event ignored',
			reason: 'event "progress" (PlaybackProgress) is not selected in Events',
		});
		expect((await postAccepted('jf-open', progress(true), 'text/plain')).event.event).toBe('pause');
		expect((await post('jf-open', progress(true), 'text/plain')).status).toBe(200);
		expect((await postAccepted('jf-open', progress(false), 'text/plain')).event.event).toBe(
			'resume',
		);
	});

	test('the shipped example workflow summarizes an event in one line', async () => {
		const delivery = await postAccepted(
			'jellyfin-example',
			fixtureText('jellyfin', 'playback-stop-episode-10.10.3.json'),
			'text/plain',
		);
		expect(delivery.trigger).toBe('Summary');
		expect(delivery.event.summary).toBe(
			'Rain · stop · 86 Eighty-Six S1E1 Undertaker (2021) · jellyfin',
		);
	});

	describe('inbound authentication', () => {
		const body = () => fixtureText('jellyfin', ITEM_ADDED);

		test('header auth: missing 401, wrong 403, right starts the workflow', async () => {
			const missing = await post('jf-header', body(), 'text/plain');
			expect([missing.status, await missing.json()]).toEqual([
				401,
				{ message: 'Authorization required: send the secret in header "X-Media-Secret"' },
			]);
			const wrong = await post('jf-header', body(), 'text/plain', { 'X-Media-Secret': 'nope' });
			expect([wrong.status, await wrong.json()]).toEqual([
				403,
				{ message: 'Authorization failed: wrong secret in header "X-Media-Secret"' },
			]);
			const right = await postAccepted('jf-header', body(), 'text/plain', {
				'X-Media-Secret': 's3cret-header',
			});
			expect(right.trigger).toBe('Jellyfin Header');
		});

		test('query auth (secret in the URL): missing 401, wrong 403, right starts the workflow', async () => {
			expect((await post('jf-query', body(), 'text/plain')).status).toBe(401);
			const wrong = await post('jf-query', body(), 'text/plain', {}, '?token=nope');
			expect([wrong.status, await wrong.json()]).toEqual([
				403,
				{ message: 'Authorization failed: wrong secret in query parameter "token"' },
			]);
			const right = await postAccepted('jf-query', body(), 'text/plain', {}, '?token=s3cret-query');
			expect(right.trigger).toBe('Jellyfin Query');
		});
	});

	describe('bad or unwanted requests start nothing', () => {
		test('a body that is not JSON is answered 400 with the reason', async () => {
			const response = await post('jf-open', '{"NotificationType": "PlaybackStart",', 'text/plain');
			expect(response.status).toBe(400);
			expect((await response.json()).message).toMatch(/^Body is not valid JSON: /);
		});

		test('an empty body is answered 400', async () => {
			const response = await post('jf-open', '', 'text/plain');
			expect([response.status, await response.json()]).toEqual([400, { message: 'Body is empty' }]);
		});

		test('JSON that is not a Jellyfin webhook is answered 400 with a hint', async () => {
			const response = await post('jf-open', '{"event":"media.play"}', 'application/json');
			expect(response.status).toBe(400);
			expect((await response.json()).message).toMatch(/"NotificationType" is missing/);
		});

		test('broken JSON declared as application/json is refused by n8n itself (422) before the node runs', async () => {
			const response = await post('jf-open', '{"NotificationType":', 'application/json');
			expect(response.status).toBe(422);
		});

		test('an event from a server that does not match is answered 200 and ignored', async () => {
			const response = await post(
				'jf-other-server',
				fixtureText('jellyfin', ITEM_ADDED),
				'text/plain',
			);
			expect([response.status, await response.json()]).toEqual([
				200,
				{
					message: 'Event ignored',
					reason: 'server "35b84455fff6406296cced109801e4b8" is not in Match Server IDs',
				},
			]);
		});
	});

	test('exactly one execution ran per accepted request, and none for the rest', async () => {
		// 5 fixtures, 2 encodings, 3 pause/resume, 1 example, 2 auth.
		expect(accepted).toBe(fixtureFiles('jellyfin').length + 2 + 3 + 1 + 2);
		// One more accepted request, after every other answer: n8n numbers executions 1, 2, 3… as it starts
		// them, so an execution that a rejected request had started would leave a gap below this one's number,
		// whether or not it has reached the sink yet.
		await postAccepted('jf-open', fixtureText('jellyfin', ITEM_ADDED), 'text/plain');
		expect(sink.deliveries).toHaveLength(accepted);
		const ids = sink.deliveries
			.map((delivery) => Number(delivery.executionId))
			.sort((a, b) => a - b);
		expect(ids).toEqual(Array.from({ length: accepted }, (_, index) => index + 1));
	});
});
