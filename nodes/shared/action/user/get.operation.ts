import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { forEachItem } from '../items';
import { resolveUser, userLocatorProperty } from '../users';
import type { ServerUser, WatchServer } from '../watchServer';
import { userOutput } from './getMany.operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['get'] } },
	[
		{
			...userLocatorProperty,
			description:
				'The user to get. Leave empty for the signed-in user of a user-name-and-password credential.',
		},
	],
);

export async function execute(
	this: IExecuteFunctions,
	server: WatchServer,
): Promise<INodeExecutionData[]> {
	const known = new Map<string, Promise<ServerUser[]>>();
	return await forEachItem(this, async (itemIndex) => {
		const user = await resolveUser(this, server, itemIndex, known);
		return user ? userOutput(server, user) : {};
	});
}
