import type { INodeProperties } from 'n8n-workflow';
import { resource, type Operation } from '../router';
import type { WatchServer } from '../watchServer';
import * as findByProviderId from './findByProviderId.operation';
import * as getManyPlayed from './getManyPlayed.operation';
import * as markUnwatched from './markUnwatched.operation';
import * as markWatched from './markWatched.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['item'] } },
	options: [
		{
			name: 'Find by Provider ID',
			value: 'findByProviderId',
			description: "The server's copies of a movie or episode, with the user's played state",
			action: 'Find items by provider ID',
		},
		{
			name: 'Get Many Played',
			value: 'getManyPlayed',
			description: "A user's played movies and episodes, as media events",
			action: 'Get many played items',
		},
		{
			name: 'Mark Unwatched',
			value: 'markUnwatched',
			description: 'Mark every copy of a movie or episode unplayed, unless it already is',
			action: 'Mark an item as unwatched',
		},
		{
			name: 'Mark Watched',
			value: 'markWatched',
			description: 'Mark every copy of a movie or episode played, unless it already is',
			action: 'Mark an item as watched',
		},
	],
	default: 'markWatched',
};

/** The Item resource for one server: the user picker differs between servers with users and Plex. */
export function itemResource<Server extends WatchServer>(server: Server) {
	const modules = { findByProviderId, getManyPlayed, markUnwatched, markWatched };
	const operations: Record<string, Operation<Server>> = Object.fromEntries(
		Object.entries(modules).map(([name, module]) => [
			name,
			{ description: module.describe(server), execute: module.execute },
		]),
	);
	return resource<Server>(operationProperty, operations);
}
