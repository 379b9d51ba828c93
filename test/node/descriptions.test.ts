import type { INodeType } from 'n8n-workflow';
import { EmbyTrigger } from '../../nodes/Emby/EmbyTrigger.node';
import { JellyfinTrigger } from '../../nodes/Jellyfin/JellyfinTrigger.node';
import { PlexTrigger } from '../../nodes/Plex/PlexTrigger.node';
import { TautulliTrigger } from '../../nodes/Tautulli/TautulliTrigger.node';

const triggers: Array<[string, INodeType & { webhookMethods?: unknown }]> = [
	['jellyfinTrigger', new JellyfinTrigger()],
	['embyTrigger', new EmbyTrigger()],
	['plexTrigger', new PlexTrigger()],
	['tautulliTrigger', new TautulliTrigger()],
];

const optionNames = (trigger: INodeType) =>
	(
		trigger.description.properties.find((property) => property.name === 'options')?.options ?? []
	).map((option) => ('name' in option ? option.name : ''));

describe.each(triggers)('%s description', (name, trigger) => {
	const { description } = trigger;

	test('is a webhook trigger with the fixed type name', () => {
		expect(description).toMatchObject({ name, group: ['trigger'], inputs: [], version: 1 });
		expect(description.webhooks?.[0]).toEqual({
			name: 'default',
			httpMethod: 'POST',
			responseMode: 'onReceived',
			responseData: '',
			path: 'webhook',
		});
		expect(description.credentials?.map((credential) => credential.name)).toEqual([
			'httpBasicAuth',
			'httpHeaderAuth',
			'httpQueryAuth',
		]);
		expect(description).not.toHaveProperty('usableAsTool');
	});

	test('offers the same authentication, events and filter options as every trigger', () => {
		const names = description.properties.map((property) => property.name);
		expect(names).toEqual(['setupNotice', 'authentication', 'events', 'options']);
		expect(optionNames(trigger)).toEqual(
			expect.arrayContaining([
				'dropEventsWithoutUser',
				'includeRaw',
				'mediaTypes',
				'serverIds',
				'users',
			]),
		);
		const events = description.properties.find((property) => property.name === 'events');
		expect(events?.default).not.toContain('progress');
		expect(events?.default).not.toContain('other');
	});
});

test('Tautulli also accepts PUT, the method its guides use', () => {
	expect(new TautulliTrigger().description.webhooks?.map((webhook) => webhook.httpMethod)).toEqual([
		'POST',
		'PUT',
	]);
});

test('only Plex offers the thumbnail', () => {
	expect(optionNames(new PlexTrigger())).toContain('includeThumbnail');
	expect(optionNames(new EmbyTrigger())).not.toContain('includeThumbnail');
});
