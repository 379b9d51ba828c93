import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { parseEmby } from '../core/parsers/emby';
import {
	authenticationCredentials,
	authenticationProperty,
	eventsProperty,
	triggerOptionsProperty,
} from '../shared/trigger/description';
import { wrappedJson } from '../shared/trigger/form';
import { handleMediaWebhook, manualWebhookMethods, mediaWebhook } from '../shared/trigger/webhook';

export class EmbyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Emby Trigger',
		name: 'embyTrigger',
		icon: { light: 'file:emby.svg', dark: 'file:emby.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"].join(", ") || "all")}}',
		description:
			"Starts the workflow when Emby's webhooks report playback, watched state, ratings or new items",
		defaults: { name: 'Emby Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: authenticationCredentials,
		webhooks: [mediaWebhook],
		properties: [
			{
				displayName:
					'In Emby, open <b>Settings → Notifications → Add Notification → Webhooks</b>, paste this URL, pick <b>application/json</b> as request content type where offered (older versions send a form, which works too) and tick Playback, Mark Played, Mark Unplayed, Rating and New Media Added.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			eventsProperty([
				'play',
				'pause',
				'resume',
				'stop',
				'watched',
				'unwatched',
				'added',
				'rated',
				'test',
				'other',
			]),
			triggerOptionsProperty({
				serverIdHint:
					'Emby sends it as Server.Id in every webhook; it is also shown at /System/Info',
			}),
		],
	};

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleMediaWebhook(this, {
			// Older Emby posts the JSON in the form field "data"; newer (4.8.11 seen) sends it as the body.
			readPayload: (context) => wrappedJson(context, 'data'),
			parse: parseEmby,
		});
	}
}
