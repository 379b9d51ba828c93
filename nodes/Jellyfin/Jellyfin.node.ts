import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { mediaBrowserProperties, router } from '../shared/mediaBrowser/actions/router';
import { mediaBrowserListSearch } from '../shared/mediaBrowser/methods/listSearch';
import { JELLYFIN } from '../shared/mediaBrowser/servers';

export class Jellyfin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Jellyfin',
		name: 'jellyfin',
		icon: { light: 'file:jellyfin.svg', dark: 'file:jellyfin.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Scan and refresh Jellyfin libraries',
		defaults: { name: 'Jellyfin' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'jellyfinApi', required: true }],
		properties: mediaBrowserProperties(JELLYFIN),
	};

	methods = { listSearch: mediaBrowserListSearch(JELLYFIN) };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, JELLYFIN);
	}
}
