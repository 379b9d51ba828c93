import { JellyfinTrigger } from '../../nodes/Jellyfin/JellyfinTrigger.node';
import { jellyfinWireText, playbackProgress } from '../fixtures/jellyfinPlugin';
import { fixtureJson, fixtureText } from '../fixtures/load';
import { webhookContext, type WebhookCall } from './webhook-context';

const trigger = new JellyfinTrigger();

async function call(request: WebhookCall) {
	const { context, response, request: rawRequest } = webhookContext(trigger.description, request);
	const result = await trigger.webhook.call(context);
	return { result, response, rawRequest };
}

const stopMovie = () => fixtureText('jellyfin', 'playback-stop-movie-10.8.8.json');

/** Constructed: a PlaybackProgress heartbeat of the real 10.10.3 playback, as the plugin would send it. */
function heartbeat(paused: boolean, session: string, nodeId: string, parameters = {}): WebhookCall {
	const playback = fixtureJson('jellyfin', 'playback-stop-episode-10.10.3.json');
	return {
		body: jellyfinWireText(playbackProgress(playback, { IsPaused: paused, Id: session })),
		nodeId,
		parameters,
	};
}

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
			['header missing', 401, { ...headerAuth }],
			['header wrong', 403, { ...headerAuth, headers: { 'X-Media-Secret': 'nope' } }],
			[
				'header of another length',
				403,
				{ ...headerAuth, headers: { 'x-media-secret': 'letmein!' } },
			],
			['query missing', 401, { ...queryAuth }],
			['query wrong', 403, { ...queryAuth, query: { token: 'nope' } }],
		])('%s → %d, no execution', async (_, status, request) => {
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
		const eventOf = async (paused: boolean, nodeId = 'pause-node') =>
			(await call(heartbeat(paused, 'session-7', nodeId, { events: [] }))).result
				.workflowData![0][0].json.event;
		expect(await eventOf(false)).toBe('progress');
		expect(await eventOf(true)).toBe('pause');
		expect(await eventOf(true)).toBe('progress');
		// Another trigger node keeps its own state: the same session is new to it.
		expect(await eventOf(true, 'other-node')).toBe('pause');
		expect(await eventOf(false)).toBe('resume');
		expect(await eventOf(false)).toBe('progress');
	});

	test('with the default Events, heartbeats still become pause and resume; the rest are dropped', async () => {
		const events = trigger.description.properties.find((property) => property.name === 'events');
		// The point of this test: heartbeats themselves are not selected, pause and resume are.
		expect(events?.default).toEqual(expect.arrayContaining(['pause', 'resume']));
		expect(events?.default).not.toContain('progress');
		const answerTo = async (paused: boolean) => {
			const { result, response } = await call(
				heartbeat(paused, 'session-default-events', 'default-events-node', {
					events: events?.default,
				}),
			);
			return result.workflowData?.[0][0].json.event ?? response.body;
		};
		const heartbeatDropped = {
			message: 'Event ignored',
			reason: 'event "progress" (PlaybackProgress) is not selected in Events',
		};
		expect(await answerTo(false)).toEqual(heartbeatDropped);
		expect(await answerTo(true)).toBe('pause');
		expect(await answerTo(true)).toEqual(heartbeatDropped);
		expect(await answerTo(false)).toBe('resume');
		expect(await answerTo(false)).toEqual(heartbeatDropped);
	});
});
