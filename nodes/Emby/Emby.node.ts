import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { mediaBrowserProperties, router } from '../shared/mediaBrowser/actions/router';
import { mediaBrowserListSearch } from '../shared/mediaBrowser/methods/listSearch';
import { EMBY } from '../shared/mediaBrowser/servers';

export class Emby implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Emby',
		name: 'emby',
		icon: { light: 'file:emby.svg', dark: 'file:emby.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Scan and refresh Emby libraries',
		defaults: { name: 'Emby' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'embyApi', required: true }],
		properties: mediaBrowserProperties(EMBY),
	};

	methods = { listSearch: mediaBrowserListSearch(EMBY) };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, EMBY);
	}
}
