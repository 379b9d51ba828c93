import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { EmbyTrigger } from '../../nodes/Emby/EmbyTrigger.node';
import { JellyfinTrigger } from '../../nodes/Jellyfin/JellyfinTrigger.node';
import { PlexTrigger } from '../../nodes/Plex/PlexTrigger.node';
import { ServarrTrigger } from '../../nodes/Servarr/ServarrTrigger.node';
import { TautulliTrigger } from '../../nodes/Tautulli/TautulliTrigger.node';
import { fixtureText } from '../fixtures/load';
import { webhookContext, type WebhookCall } from './webhook-context';

/**
 * Every option of every webhook trigger, through webhook() with real fixtures posted the way their servers post
 * them: each option keeps a matching event and drops (answers 200, starts nothing) one that does not match. What
 * each event says (server id, user, media type) is read off the fixture by hand, not from the parser.
 */

type WebhookTrigger = INodeType & {
	webhook(this: IWebhookFunctions): Promise<IWebhookResponseData>;
};

/** A fixture as its server posts it, and the payload the trigger reads from it (Include Raw Payload). */
interface Sample {
	request: WebhookCall;
	payload: unknown;
	/** The normalized event name it becomes under the default Events. */
	event: string;
}

interface MediaSample extends Sample {
	serverId: string | null;
	user: { id: string; name: string } | null;
	/** The media type, or null for an event without an item. */
	mediaType: string | null;
}

interface MediaTriggerSamples {
	name: string;
	trigger: WebhookTrigger;
	withUser: MediaSample;
	withoutUser: MediaSample;
	withoutItem?: MediaSample;
	/** Whether server ids are GUIDs, which APIs and dashboards also write with dashes (8-4-4-4-12). */
	guidServerIds: boolean;
}

type Options = Record<string, unknown>;
/** Kept: one item for the event. Dropped: the reason the 200 answer gives. */
type Expected = 'kept' | { droppedBecause: string };
type OptionCase = [title: string, sample: Sample, options: Options, expected: Expected];

/** The JSON text of a fixture, and its body as n8n hands it to webhook() for application/json. */
function jsonBody(server: string, file: string): Pick<Sample, 'request' | 'payload'> {
	const payload: unknown = JSON.parse(fixtureText(server, file));
	return { request: { body: payload }, payload };
}

/** A fixture posted as the text of a multipart form field, as Plex and older Emby send it. */
function formField(
	server: string,
	file: string,
	field: string,
): Pick<Sample, 'request' | 'payload'> {
	const text = fixtureText(server, file);
	return { request: { multipart: { fields: { [field]: text } } }, payload: JSON.parse(text) };
}

const dashed = (guid: string) =>
	guid.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5').toUpperCase();

const JELLYFIN: MediaTriggerSamples = {
	name: 'Jellyfin',
	trigger: new JellyfinTrigger(),
	guidServerIds: true,
	withUser: {
		// text/plain, the plugin's default: n8n leaves the body as text.
		request: { body: fixtureText('jellyfin', 'playback-stop-episode-10.10.3.json') },
		payload: JSON.parse(fixtureText('jellyfin', 'playback-stop-episode-10.10.3.json')),
		event: 'stop',
		serverId: '16588a9f062a40c4966586b1d220bffc',
		user: { id: '02700c8344d542619b39319296c0d4c7', name: 'Rain' },
		mediaType: 'episode',
	},
	withoutUser: {
		...jsonBody('jellyfin', 'item-added-movie-10.10.7.json'),
		event: 'added',
		serverId: '35b84455fff6406296cced109801e4b8',
		user: null,
		mediaType: 'movie',
	},
};

const EMBY: MediaTriggerSamples = {
	name: 'Emby',
	trigger: new EmbyTrigger(),
	guidServerIds: true,
	withUser: {
		...jsonBody('emby', 'playback-pause-movie-4.8.11.json'),
		event: 'pause',
		serverId: '15596ac9bbc24127b9f01db6f33630c7',
		user: { id: 'aac3a78d9f184ea480fb1629e76aad57', name: 'luizfelipe' },
		mediaType: 'movie',
	},
	withoutUser: {
		...formField('emby', 'library-new-episode-4.7.14.json', 'data'),
		event: 'added',
		serverId: '2240cf897563470792b631152eb15508',
		user: null,
		mediaType: 'episode',
	},
	withoutItem: {
		...formField('emby', 'system-webhooktest-4.7.14.json', 'data'),
		event: 'test',
		serverId: 'df8fe115a7f942a0a5c20aab321f43ab',
		user: null,
		mediaType: null,
	},
};

/** Constructed: every real Plex sample names its account; this is the real library.new without `Account`. */
function plexWithoutAccount(): Pick<Sample, 'request' | 'payload'> {
	const payload = JSON.parse(fixtureText('plex', 'library-new-album-2023.json')) as Options;
	delete payload.Account;
	return { request: { multipart: { fields: { payload: JSON.stringify(payload) } } }, payload };
}

const PLEX: MediaTriggerSamples = {
	name: 'Plex',
	trigger: new PlexTrigger(),
	guidServerIds: false,
	withUser: {
		...formField('plex', 'media-resume-episode-legacy-agent-2020.json', 'payload'),
		event: 'resume',
		serverId: '544b62f0b4f85d5d8f2c91696763d13578f5264a',
		user: { id: '1', name: 'icco' },
		mediaType: 'episode',
	},
	withoutUser: {
		...plexWithoutAccount(),
		event: 'added',
		serverId: '544b62f0b4f85d5d8f2c91696763d13578f5264a',
		user: null,
		mediaType: 'album',
	},
};

const TAUTULLI_BODIES = 'tautulli/real-v2.17.2';
const TAUTULLI: MediaTriggerSamples = {
	name: 'Tautulli',
	trigger: new TautulliTrigger(),
	guidServerIds: false,
	withUser: {
		...jsonBody(TAUTULLI_BODIES, 'play-movie.json'),
		event: 'play',
		serverId: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
		user: { id: '111', name: 'alice' },
		mediaType: 'movie',
	},
	withoutUser: {
		...jsonBody(TAUTULLI_BODIES, 'created-movie.json'),
		event: 'added',
		serverId: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
		user: null,
		mediaType: 'movie',
	},
	// The README template's test notification: {server_machine_id} is empty for it.
	withoutItem: {
		...jsonBody(TAUTULLI_BODIES, 'test-readme-template.json'),
		event: 'test',
		serverId: null,
		user: null,
		mediaType: null,
	},
};

/** Match Server IDs, Match Users, Drop Events Without User, Media Types and Include Raw Payload, both ways. */
function mediaOptionCases(samples: MediaTriggerSamples): OptionCase[] {
	const { withUser, withoutUser, withoutItem, guidServerIds } = samples;
	const serverId = withUser.serverId!;
	const user = withUser.user!;
	const mediaType = withUser.mediaType!;
	const otherType = mediaType === 'movie' ? 'episode' : 'movie';
	const otherServer = 'f00dfeedf00dfeedf00dfeedf00dfeed';
	const cases: OptionCase[] = [
		['Match Server IDs: its id', withUser, { serverIds: serverId }, 'kept'],
		[
			'Match Server IDs: upper case, second in the list',
			withUser,
			{ serverIds: `${otherServer}, ${serverId.toUpperCase()}` },
			'kept',
		],
		[
			"Match Server IDs: another server's",
			withUser,
			{ serverIds: otherServer },
			{ droppedBecause: `server "${serverId}" is not in Match Server IDs` },
		],
		['Match Users: the name in another case', withUser, { users: user.name.toUpperCase() }, 'kept'],
		['Match Users: the id, second in the list', withUser, { users: `bob, ${user.id}` }, 'kept'],
		[
			'Match Users: another user',
			withUser,
			{ users: 'bob' },
			{ droppedBecause: `user "${user.name}" is not in Match Users` },
		],
		['Match Users: an event without a user passes', withoutUser, { users: 'bob' }, 'kept'],
		[
			'Drop Events Without User: on, an event without a user',
			withoutUser,
			{ dropEventsWithoutUser: true },
			{ droppedBecause: 'the event names no user and Drop Events Without User is on' },
		],
		[
			'Drop Events Without User: on, an event with a user',
			withUser,
			{ dropEventsWithoutUser: true },
			'kept',
		],
		[
			'Drop Events Without User: off, an event without a user',
			withoutUser,
			{ dropEventsWithoutUser: false },
			'kept',
		],
		['Media Types: its type', withUser, { mediaTypes: [otherType, mediaType] }, 'kept'],
		[
			'Media Types: another type',
			withUser,
			{ mediaTypes: [otherType] },
			{ droppedBecause: `media type "${mediaType}" is not selected in Media Types` },
		],
		[
			'Media Types: another type, the user-less event',
			withoutUser,
			{ mediaTypes: [withoutUser.mediaType === 'movie' ? 'episode' : 'movie'] },
			{
				droppedBecause: `media type "${withoutUser.mediaType}" is not selected in Media Types`,
			},
		],
		['Include Raw Payload: on', withUser, { includeRaw: true }, 'kept'],
		['Include Raw Payload: off', withUser, { includeRaw: false }, 'kept'],
	];
	if (guidServerIds) {
		cases.push(
			['Match Server IDs: its id with dashes', withUser, { serverIds: dashed(serverId) }, 'kept'],
			[
				"Match Server IDs: another server's id with dashes",
				withUser,
				{ serverIds: dashed(otherServer) },
				{ droppedBecause: `server "${serverId}" is not in Match Server IDs` },
			],
		);
	}
	if (withoutItem) {
		cases.push([
			'Media Types: an event without an item passes',
			withoutItem,
			{ mediaTypes: ['movie'] },
			'kept',
		]);
		if (withoutItem.serverId === null) {
			cases.push([
				'Match Server IDs: an event without a server id',
				withoutItem,
				{ serverIds: serverId },
				{ droppedBecause: 'the event carries no server id and Match Server IDs is set' },
			]);
		}
	}
	return cases;
}

const SERVARR_DOWNLOAD: Sample = {
	...jsonBody('servarr', 'sonarr-download-v4.0-2024-02.json'),
	event: 'import',
};

/** The Sonarr/Radarr Trigger's own options: Match Instance Names and Include Raw Payload. */
const SERVARR_CASES: OptionCase[] = [
	[
		'Match Instance Names: its name in another case',
		SERVARR_DOWNLOAD,
		{ instanceNames: 'sonarr' },
		'kept',
	],
	[
		'Match Instance Names: its name, second in the list',
		SERVARR_DOWNLOAD,
		{ instanceNames: 'Radarr, Sonarr' },
		'kept',
	],
	[
		'Match Instance Names: other instances',
		SERVARR_DOWNLOAD,
		{ instanceNames: 'Sonarr 4K, Radarr' },
		{ droppedBecause: 'instance "Sonarr" is not in Match Instance Names' },
	],
	[
		'Match Instance Names: a Radarr event and Sonarr',
		{ ...jsonBody('servarr', 'radarr-grab-v5-2024.json'), event: 'grab' },
		{ instanceNames: 'Sonarr' },
		{ droppedBecause: 'instance "Radarr" is not in Match Instance Names' },
	],
	['Include Raw Payload: on', SERVARR_DOWNLOAD, { includeRaw: true }, 'kept'],
	['Include Raw Payload: off', SERVARR_DOWNLOAD, { includeRaw: false }, 'kept'],
];

const TABLE: Array<[trigger: string, instance: WebhookTrigger, cases: OptionCase[]]> = [
	...[JELLYFIN, EMBY, PLEX, TAUTULLI].map(
		(samples) =>
			[samples.name, samples.trigger, mediaOptionCases(samples)] as [
				string,
				WebhookTrigger,
				OptionCase[],
			],
	),
	['Sonarr/Radarr', new ServarrTrigger(), SERVARR_CASES],
];

/** What a kept item says: the event, and for media events the fields read off the fixture by hand. */
function itemFields(sample: Sample | MediaSample): Options {
	if (!('mediaType' in sample)) return { event: sample.event };
	return {
		event: sample.event,
		server: { id: sample.serverId },
		user: sample.user,
		media: sample.mediaType === null ? null : { type: sample.mediaType },
	};
}

describe.each(TABLE)('%s Trigger options', (_name, trigger, cases) => {
	test.each(cases)('%s', async (_title, sample, options, expected) => {
		const { context, response } = webhookContext(trigger.description, {
			...sample.request,
			parameters: { options },
		});
		const result = await trigger.webhook.call(context);
		if (expected === 'kept') {
			expect(result.workflowData).toEqual([[expect.objectContaining({ json: expect.anything() })]]);
			const json = result.workflowData![0][0].json;
			expect(json).toMatchObject(itemFields(sample));
			if (options.includeRaw) expect(json.raw).toEqual(sample.payload);
			else expect(json).not.toHaveProperty('raw');
		} else {
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response).toEqual({
				statusCode: 200,
				body: { message: 'Event ignored', reason: expected.droppedBecause },
			});
		}
	});
});
