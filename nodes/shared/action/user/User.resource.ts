import type { INodeProperties } from 'n8n-workflow';
import { resource } from '../router';
import type { WatchServer } from '../watchServer';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['user'] } },
	options: [
		{ name: 'Get', value: 'get', description: 'Get a user', action: 'Get a user' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many users', action: 'Get many users' },
	],
	default: 'getMany',
};

export function userResource<Server extends WatchServer>() {
	return resource<Server>(operationProperty, { get, getMany });
}
