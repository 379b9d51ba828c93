import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { forEachItem } from '../items';
import { returnAllProperties } from '../properties';
import type { ServerUser, WatchServer } from '../watchServer';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getMany'] } },
	returnAllProperties,
);

export function userOutput(server: WatchServer, user: ServerUser): IDataObject {
	return { server: server.id, ...user };
}

export async function execute(
	this: IExecuteFunctions,
	server: WatchServer,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const users = (await server.users?.list(this)) ?? [];
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll
			? users.length
			: (this.getNodeParameter('limit', itemIndex, 50) as number);
		return users.slice(0, limit).map((user) => userOutput(server, user));
	});
}
