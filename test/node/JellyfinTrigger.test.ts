import { JellyfinTrigger } from '../../nodes/Jellyfin/JellyfinTrigger.node';
import { fixtureJson, fixtureText } from '../fixtures/load';
import { webhookContext, type WebhookCall } from './webhook-context';

const trigger = new JellyfinTrigger();

async function call(request: WebhookCall) {
	const { context, response, request: rawRequest } = webhookContext(trigger.description, request);
	const result = await trigger.webhook.call(context);
	return { result, response, rawRequest };
}

const stopMovie = () => fixtureText('jellyfin', 'playback-stop-movie-10.8.8.json');

test('Jellyfin webhook methods never touch the server (the URL is pasted by hand)', async () => {
	const methods = trigger.webhookMethods.default;
	await expect(
		Promise.all([methods.checkExists(), methods.create(), methods.delete()]),
	).resolves.toEqual([true, true, true]);
});

test('Jellyfin emits the useful events by default, not progress heartbeats or server chatter', () => {
	const events = trigger.description.properties.find((property) => property.name === 'events');
	expect(events?.default).toEqual([
		'added',
		'pause',
		'play',
		'rated',
		'resume',
		'stop',
		'unwatched',
		'watched',
	]);
});

describe('JellyfinTrigger.webhook()', () => {
	test('a text/plain body (the plugin default) becomes one normalized item and a 200 answer', async () => {
		const { result, response } = await call({ body: stopMovie() });
		// The answer goes to n8n, which sends it once the execution is stored; nothing is written before that.
		expect(response).toEqual({});
		expect(result.webhookResponse).toEqual({ message: 'Workflow was started', event: 'stop' });
		expect(result.noWebhookResponse).toBeUndefined();
		expect(trigger.description.webhooks).toEqual([
			expect.objectContaining({ responseMode: 'onReceived', responseData: '' }),
		]);
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData![0]).toHaveLength(1);
		expect(result.workflowData![0][0].json).toMatchObject({
			source: 'jellyfin',
			event: 'stop',
			rawEvent: 'PlaybackStop',
			media: { title: 'The Menu', ids: { tmdb: '593643', imdb: 'tt9764362' } },
		});
		expect(result.workflowData![0][0].json).not.toHaveProperty('raw');
	});

	test('a body n8n did not parse is read from the raw bytes', async () => {
		const { result, rawRequest } = await call({ body: {}, rawBody: Buffer.from(stopMovie()) });
		expect(rawRequest.readRawBody).not.toHaveBeenCalled();
		expect(result.workflowData![0][0].json).toMatchObject({ event: 'stop' });
	});

	test('Include Raw Payload adds the body as received', async () => {
		const body = fixtureJson('jellyfin', 'item-added-movie-10.10.7.json');
		const { result } = await call({ body, parameters: { options: { includeRaw: true } } });
		expect(result.workflowData![0][0].json.raw).toEqual(body);
	});

	test('broken JSON is answered 400 with the reason and starts nothing', async () => {
		const { result, response } = await call({ body: '{"NotificationType": ' });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(400);
		expect(response.body).toEqual({ message: expect.stringMatching(/^Body is not valid JSON: /) });
	});

	test('an empty request is answered 400', async () => {
		const { result, response } = await call({ body: {}, rawBody: Buffer.alloc(0) });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({ statusCode: 400, body: { message: 'Body is empty' } });
	});

	test('an event outside the selected events is answered 200 and starts nothing', async () => {
		const { result, response } = await call({
			body: stopMovie(),
			parameters: { events: ['watched'] },
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({
			statusCode: 200,
			body: {
				message: 'Event ignored',
				reason: 'event "stop" (PlaybackStop) is not selected in Events',
			},
		});
	});

	test('Match Users keeps the named user, compared without case, and lets user-less events through', async () => {
		const options = { users: 'JELLYFIN' };
		expect(
			(await call({ body: stopMovie(), parameters: { options } })).result.workflowData,
		).toHaveLength(1);
		const other = await call({ body: stopMovie(), parameters: { options: { users: 'alice' } } });
		expect(other.response.body).toEqual({
			message: 'Event ignored',
			reason: 'user "jellyfin" is not in Match Users',
		});
		const added = fixtureText('jellyfin', 'item-added-movie-10.10.7.json');
		expect(
			(await call({ body: added, parameters: { options: { users: 'alice' } } })).result
				.workflowData,
		).toHaveLength(1);
		const dropped = await call({
			body: added,
			parameters: { options: { users: 'alice', dropEventsWithoutUser: true } },
		});
		expect(dropped.result.workflowData).toBeUndefined();
	});

	describe('authentication', () => {
		const headerAuth = {
			parameters: { authentication: 'headerAuth' },
			credentials: { httpHeaderAuth: { name: 'X-Media-Secret', value: 'letmein' } },
		};
		const queryAuth = {
			parameters: { authentication: 'queryAuth' },
			credentials: { httpQueryAuth: { name: 'token', value: 'letmein' } },
		};

		test.each([
			['header missing', { ...headerAuth }, 401],
			['header wrong', { ...headerAuth, headers: { 'X-Media-Secret': 'nope' } }, 403],
			[
				'header of another length',
				{ ...headerAuth, headers: { 'x-media-secret': 'letmein!' } },
				403,
			],
			['query missing', { ...queryAuth }, 401],
			['query wrong', { ...queryAuth, query: { token: 'nope' } }, 403],
		])('%s → %d, no execution', async (_, request, status) => {
			const { result, response } = await call({ ...request, body: stopMovie() });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(status);
		});

		test.each([
			['header', { ...headerAuth, headers: { 'X-Media-Secret': 'letmein' } }],
			['query', { ...queryAuth, query: { token: 'letmein' } }],
		])('the right %s secret passes', async (_, request) => {
			const { result } = await call({ ...request, body: stopMovie() });
			expect(result.workflowData).toHaveLength(1);
		});
	});

	test('pause and resume are derived per session and per trigger node', async () => {
		const base = fixtureJson('jellyfin', 'playback-stop-episode-10.10.3.json');
		const heartbeat = (paused: boolean, nodeId = 'pause-node') => ({
			body: { ...base, NotificationType: 'PlaybackProgress', IsPaused: paused, Id: 'session-7' },
			nodeId,
			parameters: { events: [] },
		});
		const eventOf = async (request: WebhookCall) =>
			(await call(request)).result.workflowData![0][0].json.event;
		expect(await eventOf(heartbeat(false))).toBe('progress');
		expect(await eventOf(heartbeat(true))).toBe('pause');
		expect(await eventOf(heartbeat(true))).toBe('progress');
		// Another trigger node keeps its own state: the same session is new to it.
		expect(await eventOf(heartbeat(true, 'other-node'))).toBe('pause');
		expect(await eventOf(heartbeat(false))).toBe('resume');
		expect(await eventOf(heartbeat(false))).toBe('progress');
	});
});
