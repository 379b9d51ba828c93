import type { INodeProperties } from 'n8n-workflow';
import { optionsProperty } from '../properties';
import { userLocatorProperty } from '../users';
import type { WatchServer } from '../watchServer';

export interface ItemOptions {
	eventTime?: string;
	onlyIfNewer?: boolean;
	matches?: 'all' | 'first';
	errorIfNotFound?: boolean;
	indexMaxAge?: number;
}

export const DEFAULT_INDEX_MAX_AGE_MINUTES = 10;

export const indexMaxAgeOption: INodeProperties = {
	displayName: 'Index Max Age (Minutes)',
	name: 'indexMaxAge',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_INDEX_MAX_AGE_MINUTES,
	description:
		"How long the library's list of IDs is reused by later items and executions before it is read again. An ID it lacks makes it read again, at most every 30 seconds.",
};

export const matchesOption: INodeProperties = {
	displayName: 'Matches',
	name: 'matches',
	type: 'options',
	options: [
		{ name: 'All', value: 'all', description: 'Every copy, in every library' },
		{ name: 'First', value: 'first', description: 'Only the first copy found' },
	],
	default: 'all',
};

export const errorIfNotFoundOption: INodeProperties = {
	displayName: 'Error If Not Found',
	name: 'errorIfNotFound',
	type: 'boolean',
	default: false,
	description:
		'Whether to fail the item when the server has no match. By default the item is output with status "notFound".',
};

const eventTimeOption: INodeProperties = {
	displayName: 'Event Time',
	name: 'eventTime',
	type: 'dateTime',
	default: '',
	description:
		"When the play happened: the played date written (Jellyfin, Emby) and the time Only If Newer compares. Default: the input's occurredAt, else now.",
};

const onlyIfNewerOption: INodeProperties = {
	displayName: 'Only If Newer',
	name: 'onlyIfNewer',
	type: 'boolean',
	default: true,
	description:
		'Whether to leave an item alone when the server has a play later than the event time, so that an old event never overwrites newer state',
};

/** The user picker, or on Plex a note that the token is the user. */
export function userProperties(server: WatchServer): INodeProperties[] {
	if (server.users !== null) return [userLocatorProperty];
	return [
		{
			displayName:
				"Plex changes and reads the played state of the account whose token the credential holds. For another account, use a credential with that account's token.",
			name: 'plexUserNotice',
			type: 'notice',
			default: '',
		},
	];
}

export const markOptions = optionsProperty([
	eventTimeOption,
	onlyIfNewerOption,
	matchesOption,
	errorIfNotFoundOption,
	indexMaxAgeOption,
]);
