import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { forEachItem } from '../items';
import type { ServerUser, WatchServer } from '../watchServer';

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getMany'] } },
	[
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	],
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
