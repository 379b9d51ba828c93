import type {
	INodeCredentialDescription,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import type { MediaEventType } from '../../core/event';

/** Inbound authentication, the same on every trigger. The credential types are n8n's own. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Basic Auth',
			value: 'basicAuth',
			description:
				'The server sends a user name and password as HTTP Basic auth, as Sonarr and Radarr do (a Basic Auth credential holds them)',
		},
		{
			name: 'Header Auth',
			value: 'headerAuth',
			description:
				'The server sends a secret header (a Header Auth credential holds its name and value)',
		},
		{
			name: 'None',
			value: 'none',
			description: 'The unguessable webhook URL is the only secret',
		},
		{
			name: 'Query Auth',
			value: 'queryAuth',
			description:
				'The secret is a query parameter in the URL, for servers that cannot send headers (a Query Auth credential holds its name and value)',
		},
	],
	default: 'none',
	description:
		'How to check that a request comes from your server. A missing secret is answered 401 and a wrong one 403, and neither starts an execution.',
};

export const authenticationCredentials: INodeCredentialDescription[] = [
	{
		name: 'httpBasicAuth',
		required: true,
		displayOptions: { show: { authentication: ['basicAuth'] } },
	},
	{
		name: 'httpHeaderAuth',
		required: true,
		displayOptions: { show: { authentication: ['headerAuth'] } },
	},
	{
		name: 'httpQueryAuth',
		required: true,
		displayOptions: { show: { authentication: ['queryAuth'] } },
	},
];

const EVENT_OPTIONS: Record<MediaEventType, INodePropertyOptions> = {
	added: { name: 'Added', value: 'added', description: 'New item in a library' },
	other: {
		name: 'Other',
		value: 'other',
		description: 'Every other server event, e.g. system, plugin or user events',
	},
	pause: { name: 'Pause', value: 'pause', description: 'Playback paused' },
	play: { name: 'Play', value: 'play', description: 'Playback started' },
	progress: {
		name: 'Progress',
		value: 'progress',
		description: 'Periodic playback position heartbeats (frequent)',
	},
	rated: {
		name: 'Rated',
		value: 'rated',
		description: 'A rating, favourite or like changed',
	},
	resume: { name: 'Resume', value: 'resume', description: 'Playback resumed after a pause' },
	stop: { name: 'Stop', value: 'stop', description: 'Playback stopped' },
	test: { name: 'Test', value: 'test', description: "The server's test notification" },
	unwatched: { name: 'Unwatched', value: 'unwatched', description: 'An item was marked unplayed' },
	watched: {
		name: 'Watched',
		value: 'watched',
		description: 'An item became played: marked played or watched to the end',
	},
};

/** The events worth a workflow by default: everything but progress heartbeats and unrelated server chatter. */
const DEFAULT_EVENTS: MediaEventType[] = [
	'added',
	'pause',
	'play',
	'rated',
	'resume',
	'stop',
	'test',
	'unwatched',
	'watched',
];

/** The Events parameter, offering only the events this server can produce. */
export function eventsProperty(supported: readonly MediaEventType[]): INodeProperties {
	const options = [...supported].sort().map((event) => EVENT_OPTIONS[event]);
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options,
		default: [...DEFAULT_EVENTS.filter((event) => supported.includes(event))],
		description:
			'Normalized events that start the workflow. Others are answered 200 and start nothing. Leave empty for all.',
	};
}

interface OptionHints {
	/** Where the user finds the server id, one sentence without a final period (shown in the description). */
	serverIdHint: string;
	extraOptions?: INodeProperties[];
}

/** The Options collection: filters and output switches shared by every trigger. */
export function triggerOptionsProperty({
	serverIdHint,
	extraOptions = [],
}: OptionHints): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Drop Events Without User',
			name: 'dropEventsWithoutUser',
			type: 'boolean',
			default: false,
			description:
				'Whether to drop events that name no user, such as new library items and test events. By default they pass whatever Match Users says.',
		},
		{
			displayName: 'Include Raw Payload',
			name: 'includeRaw',
			type: 'boolean',
			default: false,
			description: 'Whether to add the payload exactly as the server sent it, under "raw"',
		},
		{
			displayName: 'Match Server IDs',
			name: 'serverIds',
			type: 'string',
			default: '',
			placeholder: 'e.g. 16588a9f062a40c4966586b1d220bffc',
			description: `Comma-separated server IDs; events from other servers are dropped. ${serverIdHint}.`,
		},
		{
			displayName: 'Match Users',
			name: 'users',
			type: 'string',
			default: '',
			placeholder: 'e.g. alice, 02700c8344d542619b39319296c0d4c7',
			description:
				'Comma-separated user names or IDs (any case); events of other users are dropped. Events that name no user still pass unless Drop Events Without User is on.',
		},
		{
			displayName: 'Media Types',
			name: 'mediaTypes',
			type: 'multiOptions',
			options: [
				{ name: 'Album', value: 'album' },
				{ name: 'Episode', value: 'episode' },
				{ name: 'Movie', value: 'movie' },
				{ name: 'Other', value: 'other' },
				{ name: 'Season', value: 'season' },
				{ name: 'Series', value: 'series' },
				{ name: 'Track', value: 'track' },
			],
			default: [],
			description:
				'Only events about these media types pass; events without an item (tests, system events) are not affected. Leave empty for all.',
		},
		...extraOptions,
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
