import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { parseTautulli, tautulliPayload } from '../core/parsers/tautulli';
import {
	authenticationCredentials,
	authenticationProperty,
	eventsProperty,
	triggerOptionsProperty,
} from '../shared/trigger/description';
import {
	handleMediaWebhook,
	manualWebhookMethods,
	mediaWebhook,
	requestBody,
} from '../shared/trigger/webhook';

export class TautulliTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tautulli Trigger',
		name: 'tautulliTrigger',
		icon: { light: 'file:tautulli.svg', dark: 'file:tautulli.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"].join(", ") || "all")}}',
		description:
			"Starts the workflow when Tautulli's Webhook notification agent reports Plex activity",
		defaults: { name: 'Tautulli Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: authenticationCredentials,
		// Tautulli sends with the method picked in its agent; WatchState's guide says PUT.
		webhooks: [mediaWebhook, { ...mediaWebhook, httpMethod: 'PUT' }],
		properties: [
			{
				displayName:
					"In Tautulli, add a <b>Webhook</b> notification agent with this URL (method POST or PUT) and paste the JSON data template from this package's README into each trigger you tick (Playback Start/Stop/Pause/Resume, Watched, Recently Added).",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			eventsProperty(['play', 'pause', 'resume', 'stop', 'watched', 'added', 'test', 'other']),
			triggerOptionsProperty({
				serverIdHint: "Tautulli's {server_machine_id}: the Plex server's Machine Identifier",
			}),
		],
	};

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleMediaWebhook(this, {
			readPayload: async (context) => tautulliPayload(await requestBody(context)),
			parse: parseTautulli,
		});
	}
}
