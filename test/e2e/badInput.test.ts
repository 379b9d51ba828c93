import { TAUTULLI_EMPTY_BODY, TAUTULLI_FORM_BODY } from '../../nodes/core/parsers/tautulli';
import { fixtureText } from '../fixtures/load';
import {
	multipartBody,
	ownerEnv,
	restSession,
	Sink,
	sinkWorkflow,
	startN8nWith,
	type MultipartPart,
	type RunningN8n,
} from './harness';

/**
 * Bad input through a real n8n 2.41, per webhook trigger: every request gets the documented status and a body that
 * says what is wrong, and only accepted requests start an execution. One n8n for the whole file, with n8n's default
 * body limits (N8N_PAYLOAD_SIZE_MAX 16 MiB); the size limits themselves are tested in servers.test.ts.
 */

interface Secret {
	headers?: Record<string, string>;
	query?: string;
}

interface Trigger {
	/** The node's name, as the sink reports it. */
	name: string;
	type: string;
	webhookId: string;
	authentication: 'headerAuth' | 'queryAuth' | 'basicAuth';
	secret: Secret;
	wrongSecret: Secret;
	/** What the 401 and 403 answers say. */
	missingSecretMessage: string;
	wrongSecretMessage: string;
	/** A real body of the server, and how the server sends it. */
	body: string;
	send(json: string): { body: string | Buffer; contentType: string };
	eventKey: string;
	event: string;
	/** The form field that holds the JSON (Plex, Emby); the other servers post the JSON itself. */
	jsonField?: string;
	/** The answer to a JSON object without eventKey. */
	notThisServer: RegExp;
	emptyBodyMessage: string;
}

const HEADER_SECRET = { name: 'X-Media-Secret', value: 'header-s3cret' };
const QUERY_SECRET = { name: 'token', value: 'query-s3cret' };
const BASIC = { user: 'sonarr', password: 'basic-s3cret' };
const basic = (user: string, password: string) => ({
	headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
});
const inHeader = {
	authentication: 'headerAuth',
	secret: { headers: { [HEADER_SECRET.name]: HEADER_SECRET.value } },
	wrongSecret: { headers: { [HEADER_SECRET.name]: 'wrong' } },
	missingSecretMessage: 'Authorization required: send the secret in header "X-Media-Secret"',
	wrongSecretMessage: 'Authorization failed: wrong secret in header "X-Media-Secret"',
} as const;
const inQuery = {
	authentication: 'queryAuth',
	secret: { query: `?${QUERY_SECRET.name}=${QUERY_SECRET.value}` },
	wrongSecret: { query: `?${QUERY_SECRET.name}=wrong` },
	missingSecretMessage: 'Authorization required: send the secret in query parameter "token"',
	wrongSecretMessage: 'Authorization failed: wrong secret in query parameter "token"',
} as const;
const asJson = (json: string) => ({ body: json, contentType: 'application/json' });

const TRIGGERS: Trigger[] = [
	{
		name: 'Jellyfin',
		type: 'n8n-nodes-media-server.jellyfinTrigger',
		webhookId: 'bad-jellyfin',
		...inHeader,
		body: fixtureText('jellyfin', 'playback-stop-movie-10.8.8.json'),
		// The webhook plugin's default when no Content-Type request header is set.
		send: (json) => ({ body: json, contentType: 'text/plain; charset=utf-8' }),
		eventKey: 'NotificationType',
		event: 'stop',
		notThisServer: /^Not a Jellyfin webhook: "NotificationType" is missing\. In the webhook plugin/,
		emptyBodyMessage: 'Body is empty',
	},
	{
		name: 'Emby',
		type: 'n8n-nodes-media-server.embyTrigger',
		webhookId: 'bad-emby',
		...inQuery,
		body: fixtureText('emby', 'playback-stop-movie-4.7.11.json'),
		send: asJson,
		eventKey: 'Event',
		event: 'stop',
		jsonField: 'data',
		notThisServer: /^Not an Emby webhook: "Event" is missing\. Emby sends a JSON body/,
		emptyBodyMessage: 'Body is empty',
	},
	{
		name: 'Plex',
		type: 'n8n-nodes-media-server.plexTrigger',
		webhookId: 'bad-plex',
		...inQuery,
		body: fixtureText('plex', 'media-scrobble-movie.json'),
		send: (json) =>
			multipartBody([
				{ name: 'payload', headers: { 'Content-Type': 'application/json' }, content: json },
			]),
		eventKey: 'event',
		event: 'watched',
		jsonField: 'payload',
		notThisServer: /^Not a Plex webhook: "event" is missing\. Plex sends the JSON in the multipart/,
		emptyBodyMessage: 'Body is empty',
	},
	{
		name: 'Tautulli',
		type: 'n8n-nodes-media-server.tautulliTrigger',
		webhookId: 'bad-tautulli',
		...inHeader,
		body: fixtureText('tautulli', 'real-v2.17.2/play-movie.json'),
		send: asJson,
		eventKey: 'event',
		event: 'play',
		notThisServer: /^Not a Tautulli webhook: "event" is missing\. Use a JSON data template/,
		emptyBodyMessage: TAUTULLI_EMPTY_BODY,
	},
	{
		name: 'Sonarr/Radarr',
		type: 'n8n-nodes-media-server.servarrTrigger',
		webhookId: 'bad-servarr',
		authentication: 'basicAuth',
		secret: basic(BASIC.user, BASIC.password),
		wrongSecret: basic(BASIC.user, 'wrong'),
		missingSecretMessage:
			'Authorization required: send the user name and password as HTTP Basic auth',
		wrongSecretMessage: 'Authorization failed: wrong user name or password',
		body: fixtureText('servarr', 'sonarr-download-v4.0-2024-02.json'),
		send: asJson,
		eventKey: 'eventType',
		event: 'import',
		notThisServer: /^Not a Sonarr\/Radarr webhook: "eventType" is missing$/,
		emptyBodyMessage: 'Body is empty',
	},
];

interface BadRequest {
	method?: string;
	body?: string | Buffer;
	contentType?: string;
	secret?: 'right' | 'wrong' | 'none';
}

interface Expected {
	status: number;
	/** The answer's message: ours, or n8n's when n8n answers before the trigger runs. */
	message: string | RegExp;
	/** For 200: the event that started the workflow, or the reason it was ignored. */
	event?: string;
	reason?: RegExp;
}

interface Case {
	name: string;
	request: (trigger: Trigger) => BadRequest;
	expected: (trigger: Trigger) => Expected;
}

const MULTIPART_NOT_READ =
	'The body is multipart/form-data, which this trigger does not read: send the JSON itself as the body';
const started = (trigger: Trigger): Expected => ({
	status: 200,
	message: 'Workflow was started',
	event: trigger.event,
});
/** Plex and Emby read their JSON field from a multipart body; the other triggers refuse multipart. */
const jsonFieldRead = (trigger: Trigger): Expected =>
	trigger.jsonField ? started(trigger) : { status: 400, message: MULTIPART_NOT_READ };
const jsonFieldOf = (trigger: Trigger) => trigger.jsonField ?? 'data';
const multipart = (parts: MultipartPart[]): BadRequest => {
	const { body, contentType } = multipartBody(parts);
	return { body, contentType };
};
/** The real body with a padding key that makes it `bytes` long. */
function padded(json: string, bytes: number): string {
	const withEmptyPadding = JSON.stringify({ ...JSON.parse(json), padding: '' });
	return JSON.stringify({
		...JSON.parse(json),
		padding: 'x'.repeat(bytes - Buffer.byteLength(withEmptyPadding)),
	});
}
// Constructed: 512 bytes that are neither UTF-8 text nor JSON.
const GARBAGE = Buffer.from(Array.from({ length: 512 }, (_, index) => (index * 73 + 11) % 256));
// Constructed: a 3-byte JPEG start, standing in for the poster Plex attaches.
const THUMB = Buffer.from([0xff, 0xd8, 0xff]);

const CASES: Case[] = [
	{
		name: 'malformed JSON labelled application/json',
		request: (t) => ({ body: t.body.trimEnd().slice(0, -1), contentType: 'application/json' }),
		// n8n parses application/json itself and answers before the trigger runs; its hint says where JSON broke.
		expected: () => ({ status: 422, message: 'Failed to parse request body' }),
	},
	{
		name: 'malformed JSON as text/plain',
		request: (t) => ({ body: t.body.trimEnd().slice(0, -1), contentType: 'text/plain' }),
		expected: () => ({ status: 400, message: /^Body is not valid JSON: / }),
	},
	{
		name: 'empty body',
		request: () => ({ body: '', contentType: 'application/json' }),
		expected: (t) => ({ status: 400, message: t.emptyBodyMessage }),
	},
	{
		name: 'JSON with a wrong content type (application/octet-stream)',
		request: (t) => ({ body: t.body, contentType: 'application/octet-stream' }),
		expected: started,
	},
	{
		name: 'JSON labelled application/x-www-form-urlencoded',
		request: (t) => ({ body: t.body, contentType: 'application/x-www-form-urlencoded' }),
		// n8n turns the text into one form field named after the whole JSON, so the server's event key is missing.
		expected: (t) => ({ status: 400, message: t.notThisServer }),
	},
	{
		name: 'multipart without the payload part',
		request: () =>
			multipart([
				{
					name: 'thumb',
					filename: 'thumb.jpg',
					headers: { 'Content-Type': 'image/jpeg' },
					content: THUMB,
				},
			]),
		expected: (t) => ({
			status: 400,
			message: t.jsonField
				? `The multipart body has no "${t.jsonField}" field, which holds the JSON`
				: MULTIPART_NOT_READ,
		}),
	},
	{
		name: 'multipart, payload part as a field',
		request: (t) => multipart([{ name: jsonFieldOf(t), content: t.body }]),
		expected: jsonFieldRead,
	},
	{
		name: 'multipart, payload part as a file',
		request: (t) =>
			multipart([
				{
					name: jsonFieldOf(t),
					filename: `${jsonFieldOf(t)}.json`,
					headers: { 'Content-Type': 'application/json' },
					content: t.body,
				},
			]),
		expected: jsonFieldRead,
	},
	{
		name: 'multipart, payload part empty',
		request: (t) => multipart([{ name: jsonFieldOf(t), content: '' }]),
		expected: (t) => ({
			status: 400,
			message: t.jsonField ? `Form field "${t.jsonField}" is empty` : MULTIPART_NOT_READ,
		}),
	},
	{
		name: 'binary garbage without a content type',
		request: () => ({ body: GARBAGE }),
		expected: () => ({ status: 400, message: /^Body is not valid JSON: / }),
	},
	{
		name: 'binary garbage labelled multipart',
		request: () => ({ body: GARBAGE, contentType: 'multipart/form-data; boundary=xyz' }),
		// n8n's multipart parser answers before the trigger runs.
		expected: () => ({ status: 400, message: 'The submitted form data could not be parsed.' }),
	},
	{
		name: 'a 15 MiB body, as the server sends it',
		request: (t) => t.send(padded(t.body, 15 * 1024 * 1024)),
		expected: started,
	},
	{
		name: 'GET instead of POST',
		request: () => ({ method: 'GET' }),
		// n8n answers: the trigger listens on POST (and PUT for Tautulli and Sonarr/Radarr).
		expected: () => ({
			status: 404,
			message: /^This webhook is not registered for GET requests\./,
		}),
	},
	{
		name: 'missing secret',
		request: (t) => ({ ...t.send(t.body), secret: 'none' }),
		expected: (t) => ({ status: 401, message: t.missingSecretMessage }),
	},
	{
		name: 'wrong secret',
		request: (t) => ({ ...t.send(t.body), secret: 'wrong' }),
		expected: (t) => ({ status: 403, message: t.wrongSecretMessage }),
	},
	{
		name: 'unknown event',
		request: (t) => t.send(JSON.stringify({ ...JSON.parse(t.body), [t.eventKey]: 'SomethingNew' })),
		expected: () => ({
			status: 200,
			message: 'Event ignored',
			reason: /^event "other" \(SomethingNew\) is not selected in Events$/,
		}),
	},
];

const sink = new Sink();
let n8n: RunningN8n;
/** Requests answered "Workflow was started", by trigger name. */
const accepted = new Map<string, number>(TRIGGERS.map((trigger) => [trigger.name, 0]));

beforeAll(async () => {
	await sink.start();
	const credentialOf = {
		headerAuth: { httpHeaderAuth: { id: 'badHeader', name: 'Header secret' } },
		queryAuth: { httpQueryAuth: { id: 'badQuery', name: 'Query secret' } },
		basicAuth: { httpBasicAuth: { id: 'badBasic', name: 'Basic secret' } },
	};
	const workflow = sinkWorkflow(
		'badInput',
		sink.url,
		TRIGGERS.map((trigger) => ({
			name: trigger.name,
			type: trigger.type,
			webhookId: trigger.webhookId,
			parameters: { authentication: trigger.authentication },
			credentials: credentialOf[trigger.authentication],
		})),
	);
	const credentials = [
		{ id: 'badHeader', name: 'Header secret', type: 'httpHeaderAuth', data: HEADER_SECRET },
		{ id: 'badQuery', name: 'Query secret', type: 'httpQueryAuth', data: QUERY_SECRET },
		{ id: 'badBasic', name: 'Basic secret', type: 'httpBasicAuth', data: BASIC },
	];
	n8n = await startN8nWith({ workflows: [workflow], credentials, env: ownerEnv() });
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await sink.stop();
});

async function send(trigger: Trigger, request: BadRequest) {
	const secret =
		request.secret === 'none'
			? {}
			: request.secret === 'wrong'
				? trigger.wrongSecret
				: trigger.secret;
	const headers: Record<string, string> = { ...secret.headers };
	if (request.contentType) headers['content-type'] = request.contentType;
	const body = request.body;
	const response = await fetch(`${n8n.webhookUrl(trigger.webhookId)}${secret.query ?? ''}`, {
		method: request.method ?? 'POST',
		headers,
		body: Buffer.isBuffer(body) ? new Uint8Array(body) : body,
	});
	const text = await response.text();
	const answer = JSON.parse(text) as {
		message?: string;
		hint?: string;
		event?: string;
		reason?: string;
	};
	if (response.status === 200 && answer.message === 'Workflow was started') {
		accepted.set(trigger.name, accepted.get(trigger.name)! + 1);
	}
	return { status: response.status, answer };
}

describe.each(TRIGGERS)('$name Trigger', (trigger) => {
	test.each(CASES)(
		'$name',
		async ({ request, expected }) => {
			const want = expected(trigger);
			const { status, answer } = await send(trigger, request(trigger));
			expect({ status, message: answer.message }).toEqual({
				status: want.status,
				message:
					typeof want.message === 'string' ? want.message : expect.stringMatching(want.message),
			});
			if (want.event) expect(answer.event).toBe(want.event);
			if (want.reason) expect(answer.reason).toMatch(want.reason);
			// n8n's 422 names where the JSON broke.
			if (status === 422) expect(answer.hint).toMatch(/JSON/);
		},
		30_000,
	);
});

test("Tautulli's form encoding (a Content-Type line in JSON Headers) is answered with what to change", async () => {
	const tautulli = TRIGGERS.find((trigger) => trigger.name === 'Tautulli')!;
	// Constructed the way Tautulli's requests library form-encodes the JSON: a nested object becomes its key names.
	const form = new URLSearchParams();
	for (const [key, value] of Object.entries(JSON.parse(tautulli.body) as Record<string, unknown>)) {
		if (typeof value === 'object' && value !== null) {
			for (const name of Object.keys(value)) form.append(key, name);
		} else form.append(key, String(value));
	}
	const { status, answer } = await send(tautulli, {
		body: form.toString(),
		contentType: 'application/x-www-form-urlencoded',
	});
	expect({ status, message: answer.message }).toEqual({ status: 400, message: TAUTULLI_FORM_BODY });
});

describe('after all the bad input', () => {
	test.each(TRIGGERS)(
		'$name: n8n still accepts the real body, sent as the server sends it',
		async (trigger) => {
			const { status, answer } = await send(trigger, trigger.send(trigger.body));
			expect({ status, answer }).toEqual({
				status: 200,
				answer: { message: 'Workflow was started', event: trigger.event },
			});
		},
	);

	test('exactly one execution per accepted request, none for the rejected ones', async () => {
		const total = [...accepted.values()].reduce((sum, count) => sum + count, 0);
		// Accepted per trigger: octet-stream, 15 MiB and the final good request; Plex and Emby also both multipart forms.
		expect(Object.fromEntries(accepted)).toEqual({
			Jellyfin: 3,
			Emby: 5,
			Plex: 5,
			Tautulli: 3,
			'Sonarr/Radarr': 3,
		});
		// Every execution posts to the sink: once all accepted requests have arrived there, count n8n's executions.
		await sink.matching(() => true, total);
		const executions = (await (await restSession(n8n.baseUrl)).get('/executions')) as {
			count: number;
		};
		expect(executions.count).toBe(total);
		const perTrigger = Object.fromEntries(TRIGGERS.map((trigger) => [trigger.name, 0]));
		for (const delivery of sink.deliveries) perTrigger[delivery.trigger] += 1;
		expect(perTrigger).toEqual(Object.fromEntries(accepted));
	});
});
