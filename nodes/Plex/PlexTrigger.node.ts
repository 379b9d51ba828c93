import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { parsePlex } from '../core/parsers/plex';
import {
	authenticationCredentials,
	authenticationProperty,
	eventsProperty,
	triggerOptionsProperty,
} from '../shared/trigger/description';
import { uploadedBinary, wrappedJson } from '../shared/trigger/form';
import { handleMediaWebhook, manualWebhookMethods, mediaWebhook } from '../shared/trigger/webhook';

export class PlexTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plex Trigger',
		name: 'plexTrigger',
		icon: { light: 'file:plex.svg', dark: 'file:plex.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"].join(", ") || "all")}}',
		description:
			'Starts the workflow when Plex Media Server webhooks report playback, scrobbles, ratings or new items',
		defaults: { name: 'Plex Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: authenticationCredentials,
		webhooks: [mediaWebhook],
		properties: [
			{
				displayName:
					'In Plex Web, open <b>Settings → Webhooks</b> (account settings, Plex Pass) and add this URL. Plex webhooks belong to the account: they fire for every server it uses and for shared users on its own servers, so set <b>Match Server IDs</b> (Machine Identifier of the server) and <b>Match Users</b> (account title or plex.tv account ID) below. Plex cannot send headers: for a secret use Query Auth and add <code>?name=value</code> to the URL.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			eventsProperty(['play', 'pause', 'resume', 'stop', 'watched', 'added', 'rated', 'other']),
			triggerOptionsProperty({
				serverIdHint:
					"For Plex this is the server's Machine Identifier (Server.uuid in the webhook, machineIdentifier at /identity)",
				extraOptions: [
					{
						displayName: 'Include Thumbnail',
						name: 'includeThumbnail',
						type: 'boolean',
						default: false,
						description:
							'Whether to add the poster JPEG Plex attaches to play, rate and new-item events as binary data "thumb"',
					},
				],
			}),
		],
	};

	webhookMethods = manualWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleMediaWebhook(this, {
			// Plex posts multipart/form-data: the JSON in the part "payload", a poster in the part "thumb".
			readPayload: (context) => wrappedJson(context, 'payload'),
			parse: parsePlex,
			async binary(context) {
				const { includeThumbnail } = context.getNodeParameter('options', {}) as {
					includeThumbnail?: boolean;
				};
				if (!includeThumbnail) return undefined;
				const thumb = await uploadedBinary(context, 'thumb', 'thumb.jpg', 'image/jpeg');
				return thumb ? { thumb } : undefined;
			},
		});
	}
}
