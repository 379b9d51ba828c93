import {
	NodeOperationError,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
	type INodeProperties,
} from 'n8n-workflow';
import type { ServerUser, WatchServer } from './watchServer';

/** User: picked from the server's list, or by ID or name. */
export const userLocatorProperty: INodeProperties = {
	displayName: 'User',
	name: 'user',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'Whose played state to read and change. Leave empty to act as the signed-in user of a user-name-and-password credential; an API key acts for nobody and needs a user here.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 02700c8344d542619b39319296c0d4c7',
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. alice, or {{ $json.user.name }} to act for the user of the event',
		},
	],
};

/** The list search behind User's From List mode. */
export function userSearch(
	server: WatchServer,
): (this: ILoadOptionsFunctions, filter?: string) => Promise<INodeListSearchResult> {
	return async function searchUsers(this: ILoadOptionsFunctions, filter?: string) {
		const wanted = (filter ?? '').trim().toLowerCase();
		const users = (await server.users?.list(this)) ?? [];
		return {
			results: users
				.filter((user) => wanted === '' || user.name.toLowerCase().includes(wanted))
				.sort((a, b) => a.name.localeCompare(b.name))
				.map((user) => ({ name: user.name, value: user.id })),
		};
	};
}

const sameId = (a: string, b: string) =>
	a.replace(/-/g, '').toLowerCase() === b.replace(/-/g, '').toLowerCase();

/**
 * The user the item's operation acts for: the one chosen (by id from the list or typed, or by name, any case),
 * else the credential's own signed-in user. Null on Plex, whose token is the user. Users are read once per
 * execution (`known`).
 */
export async function resolveUser(
	context: IExecuteFunctions,
	server: WatchServer,
	itemIndex: number,
	known: Map<string, Promise<ServerUser[]>>,
): Promise<ServerUser | null> {
	if (server.users === null) return null;
	const users = server.users;
	const locator = context.getNodeParameter('user', itemIndex, { mode: 'list', value: '' }) as {
		mode?: string;
		value?: string;
	};
	const wanted = String(locator.value ?? '').trim();
	if (wanted === '') {
		const self = await users.self(context);
		if (self) return self;
		throw new NodeOperationError(context.getNode(), 'Choose a user', {
			itemIndex,
			description: `An API key acts for no ${server.name} user: pick the user whose played state to change.`,
		});
	}
	if (!known.has('all')) known.set('all', users.list(context));
	const all = await (known.get('all') as Promise<ServerUser[]>);
	const user =
		locator.mode === 'name'
			? all.find((candidate) => candidate.name.toLowerCase() === wanted.toLowerCase())
			: all.find((candidate) => sameId(candidate.id, wanted));
	if (!user) {
		throw new NodeOperationError(
			context.getNode(),
			`${server.name} has no user ${locator.mode === 'name' ? 'named' : 'with the ID'} "${wanted}"`,
			{ itemIndex, description: `Users: ${all.map((candidate) => candidate.name).join(', ')}` },
		);
	}
	return user;
}
