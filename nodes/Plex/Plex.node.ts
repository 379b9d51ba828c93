import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { plexProperties, router } from './actions/router';
import { listSearch } from './methods/listSearch';

export class Plex implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plex',
		name: 'plex',
		icon: { light: 'file:plex.svg', dark: 'file:plex.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Scan and refresh Plex Media Server libraries',
		defaults: { name: 'Plex' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plexApi', required: true }],
		properties: plexProperties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
