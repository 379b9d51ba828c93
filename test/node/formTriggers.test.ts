import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { EmbyTrigger } from '../../nodes/Emby/EmbyTrigger.node';
import { JellyfinTrigger } from '../../nodes/Jellyfin/JellyfinTrigger.node';
import { PlexTrigger } from '../../nodes/Plex/PlexTrigger.node';
import { ServarrTrigger } from '../../nodes/Servarr/ServarrTrigger.node';
import { TAUTULLI_EMPTY_BODY, TAUTULLI_FORM_BODY } from '../../nodes/core/parsers/tautulli';
import { TautulliTrigger } from '../../nodes/Tautulli/TautulliTrigger.node';
import { fixtureText } from '../fixtures/load';
import { renderTautulli, TAUTULLI_MOVIE } from '../unit/fixtures';
import { webhookContext, type WebhookCall } from './webhook-context';

type WebhookTrigger = INodeType & {
	webhook(this: IWebhookFunctions): Promise<IWebhookResponseData>;
};

async function call(trigger: WebhookTrigger, request: WebhookCall) {
	const { context, response, copied } = webhookContext(trigger.description, request);
	const result = await trigger.webhook.call(context);
	return { result, response, copied, json: result.workflowData?.[0][0].json };
}

describe('Plex Trigger bodies', () => {
	const plex = new PlexTrigger();
	const scrobble = fixtureText('plex', 'media-scrobble-movie.json');
	const expected = {
		source: 'plex',
		event: 'watched',
		media: { title: 'Big Trouble in Little China' },
	};

	test('payload part with its own Content-Type: n8n stores it as a file, the trigger reads it back', async () => {
		const { json, copied } = await call(plex, {
			multipart: { files: { payload: { content: scrobble, mimetype: 'application/json' } } },
		});
		expect(json).toMatchObject(expected);
		expect(copied.map((binary) => binary.fileName)).toEqual(['payload.json']);
	});

	test('payload as a plain multipart field', async () => {
		const { json, copied } = await call(plex, { multipart: { fields: { payload: scrobble } } });
		expect(json).toMatchObject(expected);
		expect(copied).toEqual([]);
	});

	test('payload= as urlencoded (how test tools imitate Plex)', async () => {
		expect((await call(plex, { body: { payload: scrobble } })).json).toMatchObject(expected);
	});

	test('the thumb part becomes binary "thumb" only when Include Thumbnail is on', async () => {
		const multipart = {
			fields: { payload: fixtureText('plex', 'media-play-track-official-docs-example.json') },
			files: {
				thumb: {
					content: Buffer.from([0xff, 0xd8, 0xff]),
					mimetype: 'image/jpeg',
					originalFilename: 'poster.jpg',
				},
			},
		};
		const off = await call(plex, { multipart });
		expect(off.result.workflowData?.[0][0].binary).toBeUndefined();
		expect(off.copied).toEqual([]);
		const on = await call(plex, { multipart, parameters: { options: { includeThumbnail: true } } });
		expect(on.result.workflowData?.[0][0].binary).toEqual({
			thumb: expect.objectContaining({ fileName: 'poster.jpg', mimeType: 'image/jpeg' }),
		});
	});

	test('Include Thumbnail without a thumb part still emits the event, without binary', async () => {
		const { result } = await call(plex, {
			multipart: { fields: { payload: scrobble } },
			parameters: { options: { includeThumbnail: true } },
		});
		expect(result.workflowData?.[0][0].binary).toBeUndefined();
	});

	test.each([
		[
			'multipart without a payload part',
			{ multipart: { fields: { other: 'x' } } },
			'The multipart body has no "payload" field, which holds the JSON',
		],
		[
			'broken JSON in the payload',
			{ multipart: { fields: { payload: '{"event":' } } },
			/^Form field "payload" is not valid JSON: /,
		],
		[
			'an empty payload',
			{ multipart: { fields: { payload: '' } } },
			'Form field "payload" is empty',
		],
	])('%s is answered 400 and starts nothing', async (_, request, message) => {
		const { result, response } = await call(plex, request as WebhookCall);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(400);
		expect((response.body as { message: string }).message).toEqual(
			typeof message === 'string' ? message : expect.stringMatching(message),
		);
	});

	test('Plex version comes from the User-Agent', async () => {
		const { json } = await call(plex, {
			body: { payload: scrobble },
			headers: { 'User-Agent': 'PlexMediaServer/1.40.1.8227-c0dd5a73e' },
		});
		expect(json?.server).toEqual({
			id: '27a04b118b1bf1f25f8e99306785453623e18b67',
			name: 'Plex',
			version: '1.40.1.8227-c0dd5a73e',
		});
	});
});

describe('Emby Trigger bodies', () => {
	const emby = new EmbyTrigger();
	const stop = fixtureText('emby', 'playback-stop-movie-4.7.11.json');
	const expected = { source: 'emby', event: 'stop', media: { title: '2 Fast 2 Furious' } };

	test.each([
		['a JSON body (newer Emby, application/json)', { body: JSON.parse(stop) }],
		[
			'the form field "data" in multipart (Emby up to 4.8)',
			{ multipart: { fields: { data: stop } } },
		],
		['the form field "data" urlencoded', { body: { data: stop } }],
		[
			'the "data" part uploaded with a Content-Type',
			{ multipart: { files: { data: { content: stop, mimetype: 'application/json' } } } },
		],
	])('%s', async (_, request) => {
		expect((await call(emby, request as WebhookCall)).json).toMatchObject(expected);
	});

	test('the test button is an event of its own', async () => {
		const { json } = await call(emby, {
			body: JSON.parse(fixtureText('emby', 'system-webhooktest-4.7.14.json')),
		});
		expect(json).toMatchObject({
			event: 'test',
			rawEvent: 'system.webhooktest',
			user: null,
			media: null,
		});
	});

	test('a JSON body of another server is answered 400 with a hint', async () => {
		const { result, response } = await call(emby, { body: { event: 'media.play' } });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(400);
		expect((response.body as { message: string }).message).toMatch(
			/^Not an Emby webhook: "Event" is missing/,
		);
	});
});

describe('Tautulli Trigger bodies', () => {
	const tautulli = new TautulliTrigger();

	test('the rendered WatchState template (every value a string) becomes a typed event', async () => {
		// Constructed values, rendered into the real template the way Tautulli fills placeholders.
		const body = renderTautulli(fixtureText('tautulli', 'watchstate-body-template.json'), {
			...TAUTULLI_MOVIE,
			action: 'watched',
		});
		const { json } = await call(tautulli, { body });
		expect(json).toMatchObject({
			source: 'tautulli',
			event: 'watched',
			user: { id: '8273645', name: 'alice' },
			player: { local: true },
			media: { type: 'movie', ids: { imdb: 'tt0090728', tmdb: '6978', tvdb: '1876' } },
			playback: { positionMs: 5049000, durationMs: 5940000 },
			played: true,
		});
	});

	test('a form-encoded body is answered 400 with what to change in JSON Headers', async () => {
		const { response, result } = await call(tautulli, { body: 'event=tautulli.play' });
		expect(response).toEqual({ statusCode: 400, body: { message: TAUTULLI_FORM_BODY } });
		expect(result.workflowData).toBeUndefined();
	});

	test("the Test button's default 0-byte body is answered 400 with where to paste the template", async () => {
		// n8n leaves {} as the body of an empty request; the trigger then reads the raw bytes.
		const { response, result } = await call(tautulli, {
			body: {},
			rawBody: Buffer.from(fixtureText('tautulli/real-v2.17.2', 'test-default.json')),
		});
		expect(response).toEqual({ statusCode: 400, body: { message: TAUTULLI_EMPTY_BODY } });
		expect(result.workflowData).toBeUndefined();
	});
});

describe('Multipart bodies to the triggers whose servers post plain JSON', () => {
	test.each([
		['Jellyfin', new JellyfinTrigger(), fixtureText('jellyfin', 'playback-stop-movie-10.8.8.json')],
		['Tautulli', new TautulliTrigger(), fixtureText('tautulli/real-v2.17.2', 'play-movie.json')],
		['Servarr', new ServarrTrigger(), fixtureText('servarr', 'sonarr-download-v4.0-2024-02.json')],
	])(
		'%s: answered 400 "multipart … not read", not "<key> is missing"',
		async (_name, trigger, json) => {
			const { response, result } = await call(trigger, { multipart: { fields: { data: json } } });
			expect(response).toEqual({
				statusCode: 400,
				body: {
					message:
						'The body is multipart/form-data, which this trigger does not read: send the JSON itself as the body',
				},
			});
			expect(result.workflowData).toBeUndefined();
		},
	);
});
