import {
	NodeConnectionTypes,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { jsonObjectFrom } from '../core/body';
import { listParameter, whyServarrIgnored } from '../core/filter';
import { parseServarr } from '../core/parsers/servarr';
import type { ServarrEventType } from '../core/servarrEvent';
import { authenticationCredentials, authenticationProperty } from '../shared/trigger/description';
import {
	handleWebhook,
	manualWebhookMethods,
	mediaWebhook,
	requestBody,
} from '../shared/trigger/webhook';

const eventsProperty: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	options: [
		{
			name: 'Added',
			value: 'added',
			description: 'A series or movie was added (SeriesAdd, MovieAdded)',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: 'A series or movie was deleted, with or without its files',
		},
		{
			name: 'File Delete',
			value: 'fileDelete',
			description: 'An episode or movie file was deleted',
		},
		{ name: 'Grab', value: 'grab', description: 'A release was sent to the download client' },
		{ name: 'Health', value: 'health', description: 'A health check failed' },
		{
			name: 'Health Restored',
			value: 'healthRestored',
			description: 'A failed health check passes again',
		},
		{
			name: 'Import',
			value: 'import',
			description: 'A file was imported into the library (On File Import, On Import Complete)',
		},
		{
			name: 'Other',
			value: 'other',
			description:
				'Application Update, Manual Interaction Required and events this trigger does not know yet',
		},
		{ name: 'Rename', value: 'rename', description: 'Files were renamed' },
		{
			name: 'Test',
			value: 'test',
			description: 'The Test button; its paths and IDs are placeholders and are left out',
		},
		{
			name: 'Upgrade',
			value: 'upgrade',
			description: 'A better file replaced an existing one (On File Upgrade)',
		},
	],
	default: [
		'added',
		'delete',
		'fileDelete',
		'grab',
		'health',
		'healthRestored',
		'import',
		'rename',
		'test',
		'upgrade',
	],
	description:
		'Events that start the workflow. Others are answered 200 and start nothing. Leave empty for all.',
};

const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Include Raw Payload',
			name: 'includeRaw',
			type: 'boolean',
			default: false,
			description: 'Whether to add the body exactly as Sonarr or Radarr sent it, under "raw"',
		},
		{
			displayName: 'Match Instance Names',
			name: 'instanceNames',
			type: 'string',
			default: '',
			placeholder: 'e.g. Sonarr, Sonarr 4K',
			description:
				'Comma-separated instance names (Settings → General → Instance Name, any case); events of other instances are dropped',
		},
	],
};

export class ServarrTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sonarr/Radarr Trigger',
		name: 'servarrTrigger',
		icon: { light: 'file:servarr.svg', dark: 'file:servarr.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"].join(", ") || "all")}}',
		description:
			"Starts the workflow when Sonarr's or Radarr's Webhook connection reports grabs, imports, upgrades, renames, deletions or health",
		defaults: { name: 'Sonarr/Radarr Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: authenticationCredentials,
		webhooks: [mediaWebhook, { ...mediaWebhook, httpMethod: 'PUT' }],
		properties: [
			{
				displayName:
					'In Sonarr or Radarr, open <b>Settings → Connect → + → Webhook</b>, paste this URL (method POST or PUT) and tick the events you want. To check who sends, fill in its Username and Password and choose <b>Basic Auth</b> below.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			eventsProperty,
			optionsProperty,
		],
	};

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleWebhook(this, {
			readPayload: async (context) => jsonObjectFrom(await requestBody(context)),
			parse: parseServarr,
			whyIgnored: (context, event) => {
				const options = context.getNodeParameter('options', {}) as { instanceNames?: string };
				return whyServarrIgnored(event, {
					events: context.getNodeParameter('events', []) as ServarrEventType[],
					instanceNames: listParameter(options.instanceNames),
				});
			},
		});
	}
}
