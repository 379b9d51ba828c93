import { ServarrTrigger } from '../../nodes/Servarr/ServarrTrigger.node';
import { fixtureJson, fixtureText } from '../fixtures/load';
import { webhookContext, type WebhookCall } from './webhook-context';

const trigger = new ServarrTrigger();

async function call(request: WebhookCall) {
	const { context, response } = webhookContext(trigger.description, request);
	const result = await trigger.webhook.call(context);
	return { result, response, json: result.workflowData?.[0][0].json };
}

const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`, 'latin1').toString('base64')}`;
const BASIC = {
	parameters: { authentication: 'basicAuth' },
	credentials: { httpBasicAuth: { user: 'sonarr', password: 'pä55:word' } },
} as unknown as WebhookCall;

describe('Sonarr/Radarr Trigger', () => {
	const download = fixtureJson('servarr', 'sonarr-download-v4.0-2024-02.json');

	test('an import becomes one item with the library path to scan', async () => {
		const { json, response, result } = await call({
			body: download,
			headers: { 'user-agent': 'Sonarr/4.0.2.1183 (ubuntu 22.04)' },
		});
		// The answer goes to n8n, which sends it once the execution is stored; nothing is written before that.
		expect(response).toEqual({});
		expect(result.webhookResponse).toEqual({ message: 'Workflow was started', event: 'import' });
		expect(json).toMatchObject({ source: 'sonarr', event: 'import', rawEvent: 'Download' });
		expect((json as { files: unknown[] }).files).toHaveLength(1);
	});

	test('JSON sent as text is read too', async () => {
		const { json } = await call({ body: fixtureText('servarr', 'radarr-grab-v5-2024.json') });
		expect(json).toMatchObject({ source: 'radarr', event: 'grab', files: [] });
	});

	test('Basic auth: missing is 401, wrong is 403, right passes; neither failure starts anything', async () => {
		const missing = await call({ ...BASIC, body: download });
		expect(missing.response).toEqual({
			statusCode: 401,
			body: {
				message: 'Authorization required: send the user name and password as HTTP Basic auth',
			},
		});
		expect(missing.result.workflowData).toBeUndefined();

		for (const header of [basic('sonarr', 'wrong'), basic('radarr', 'pä55:word'), 'Bearer x']) {
			const rejected = await call({ ...BASIC, body: download, headers: { authorization: header } });
			expect(rejected.response.statusCode).toBe(header.startsWith('Bearer') ? 401 : 403);
			expect(rejected.result.workflowData).toBeUndefined();
		}

		const accepted = await call({
			...BASIC,
			body: download,
			headers: { authorization: basic('sonarr', 'pä55:word') },
		});
		expect(accepted.json).toMatchObject({ event: 'import' });
	});

	test('the Test button passes by default, without its placeholder paths and ids', async () => {
		const { json } = await call({
			body: fixtureJson('servarr', 'sonarr-test-constructed-v4.0.19.json'),
		});
		expect(json).toMatchObject({ event: 'test', folder: null, files: [] });
		expect((json as { media: { series: { ids: object } } }).media.series.ids).toEqual({});
	});

	test('events not selected are answered 200 and start nothing', async () => {
		const { result, response } = await call({
			body: fixtureJson('servarr', 'radarr-health-v5-2024.json'),
			parameters: { events: ['import', 'upgrade'] },
		});
		expect(result.workflowData).toBeUndefined();
		expect(response).toEqual({
			statusCode: 200,
			body: {
				message: 'Event ignored',
				reason: 'event "health" (Health) is not selected in Events',
			},
		});
	});

	test('application updates are "other", not selected by default', async () => {
		const { response } = await call({
			body: { eventType: 'ApplicationUpdate', message: 'Radarr updated', instanceName: 'Radarr' },
		});
		expect(response.body).toEqual({
			message: 'Event ignored',
			reason: 'event "other" (ApplicationUpdate) is not selected in Events',
		});
	});

	test('a body that is not a Sonarr/Radarr webhook is answered 400', async () => {
		const { response, result } = await call({ body: { hello: 'world' } });
		expect(response.statusCode).toBe(400);
		expect(response.body).toEqual({
			message: expect.stringContaining('Not a Sonarr/Radarr webhook'),
		});
		expect(result.workflowData).toBeUndefined();
	});

	test('accepts POST and PUT, the two methods the Webhook connection offers', () => {
		expect(trigger.description.webhooks?.map((webhook) => webhook.httpMethod)).toEqual([
			'POST',
			'PUT',
		]);
	});
});
