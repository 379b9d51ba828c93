import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { jsonObjectFrom } from '../core/body';
import { MEDIA_EVENT_TYPES } from '../core/event';
import { jellyfinSessionKey, parseJellyfin } from '../core/parsers/jellyfin';
import { PlaybackStateTracker } from '../core/playbackState';
import {
	authenticationCredentials,
	authenticationProperty,
	eventsProperty,
	triggerOptionsProperty,
} from '../shared/trigger/description';
import {
	handleMediaWebhook,
	manualWebhookMethods,
	requestBody,
	type TriggerAdapter,
} from '../shared/trigger/webhook';

/** Pause state per playback session, shared by every Jellyfin Trigger in this n8n process. */
const playbackState = new PlaybackStateTracker(5000);

const jellyfinAdapter: TriggerAdapter = {
	// The plugin's Generic destination sends JSON as text/plain unless a Content-Type header is added, and the
	// Generic Form destination sends urlencoded fields: accept all three.
	readPayload: async (context) => jsonObjectFrom(await requestBody(context)),
	parse: parseJellyfin,
	refine(context, event, payload) {
		const node = context.getNode();
		const key = `${context.getWorkflow().id ?? ''}:${node.id}:${jellyfinSessionKey(payload)}`;
		return {
			...event,
			event: playbackState.observe(key, event.event, event.playback?.paused ?? null),
		};
	},
};

export class JellyfinTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Jellyfin Trigger',
		name: 'jellyfinTrigger',
		icon: { light: 'file:jellyfin.svg', dark: 'file:jellyfin.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"].join(", ") || "all")}}',
		description:
			'Starts the workflow when the Jellyfin webhook plugin reports playback, watched state, ratings or new items',
		defaults: { name: 'Jellyfin Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: authenticationCredentials,
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Empty, so that n8n answers with the webhook's own webhookResponse once it has stored the execution.
				responseData: '',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'In Jellyfin, install the Webhook plugin, add a <b>Generic</b> destination with this URL, tick <b>Send All Properties</b> and the notification types you want (Item Added, Playback Start, Playback Progress, Playback Stop, User Data Saved).',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			// The webhook plugin has no test event.
			eventsProperty(MEDIA_EVENT_TYPES.filter((event) => event !== 'test')),
			triggerOptionsProperty({
				serverIdHint: 'Jellyfin shows it as ServerId in every webhook and at /System/Info/Public',
			}),
		],
	};

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleMediaWebhook(this, jellyfinAdapter);
	}
}
