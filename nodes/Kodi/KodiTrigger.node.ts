import {
	NodeConnectionTypes,
	sleep,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';
import type { MediaEventType, MediaServerInfo, MediaType } from '../core/event';
import { whyIgnored } from '../core/filter';
import {
	kodiItemRef,
	kodiNotification,
	parseKodi,
	type KodiItemDetails,
	type KodiNotification,
} from '../core/parsers/kodi';
import { baseUrl } from '../shared/client';
import { eventsProperty } from '../shared/trigger/description';
import { kodiRpc } from './transport';

/** Node 22+ has WebSocket built in (n8n 2.x runs on Node 24); declared here as far as this trigger uses it. */
interface Socket {
	onopen: (() => void) | null;
	onmessage: ((message: { data: unknown }) => void) | null;
	onclose: (() => void) | null;
	onerror: (() => void) | null;
	close(): void;
}
declare const WebSocket: new (url: string) => Socket;

const MOVIE_FIELDS = ['title', 'year', 'uniqueid', 'playcount', 'file'];
const EPISODE_FIELDS = [
	'title',
	'season',
	'episode',
	'showtitle',
	'tvshowid',
	'uniqueid',
	'playcount',
	'file',
	'firstaired',
];
const MAX_RECONNECT_DELAY_MS = 30_000;

/** The item's title, numbers and ids, which the notification does not carry; null when Kodi cannot say. */
async function lookUp(
	context: ITriggerFunctions,
	notification: KodiNotification,
): Promise<KodiItemDetails | null> {
	const ref = kodiItemRef(notification);
	if (ref === null || ref.id === null || (ref.type !== 'movie' && ref.type !== 'episode'))
		return null;
	const isMovie = ref.type === 'movie';
	const answer = await kodiRpc<Record<string, KodiItemDetails>>(
		context,
		isMovie ? 'VideoLibrary.GetMovieDetails' : 'VideoLibrary.GetEpisodeDetails',
		{
			[isMovie ? 'movieid' : 'episodeid']: ref.id,
			properties: isMovie ? MOVIE_FIELDS : EPISODE_FIELDS,
		},
		{ value: {} },
	);
	const details = answer?.[isMovie ? 'moviedetails' : 'episodedetails'] ?? null;
	if (details === null || isMovie || details.tvshowid === undefined) return details;
	const show = await kodiRpc<{ tvshowdetails?: KodiItemDetails['show'] }>(
		context,
		'VideoLibrary.GetTVShowDetails',
		{ tvshowid: details.tvshowid, properties: ['title', 'uniqueid'] },
		{ value: {} },
	);
	return { ...details, show: show?.tvshowdetails ?? null };
}

async function serverInfo(context: ITriggerFunctions, host: string): Promise<MediaServerInfo> {
	const properties = await kodiRpc<{ name?: string; version?: { major?: number; minor?: number } }>(
		context,
		'Application.GetProperties',
		{ properties: ['name', 'version'] },
	);
	const version = properties?.version;
	return {
		id: null,
		name: properties?.name ? `${properties.name} (${host})` : host,
		version: version?.major === undefined ? null : `${version.major}.${version.minor ?? 0}`,
	};
}

export class KodiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kodi Trigger',
		name: 'kodiTrigger',
		icon: { light: 'file:kodi.svg', dark: 'file:kodi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Events: " + ($parameter["events"].join(", ") || "all")}}',
		description:
			"Starts the workflow on Kodi's notifications: playback, watched and unwatched marks, new library items",
		defaults: { name: 'Kodi Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kodiApi', required: true }],
		properties: [
			{
				displayName:
					"While the workflow is active, n8n stays connected to Kodi's JSON-RPC notifications (port 9090 by default). In Kodi, turn on <b>Settings → Services → Control → Allow remote control from applications on other systems</b> unless n8n runs on the same machine. That port has no password: keep it inside your network.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			eventsProperty(['play', 'pause', 'resume', 'stop', 'watched', 'unwatched', 'added', 'other']),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Raw Notification',
						name: 'includeRaw',
						type: 'boolean',
						default: false,
						description: 'Whether to add the notification as Kodi sent it, under "raw"',
					},
					{
						displayName: 'Media Types',
						name: 'mediaTypes',
						type: 'multiOptions',
						options: [
							{ name: 'Episode', value: 'episode' },
							{ name: 'Movie', value: 'movie' },
							{ name: 'Other', value: 'other' },
						],
						default: [],
						description:
							'Only events about these media types pass; events without an item are not affected',
					},
				],
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const credentials = await this.getCredentials<{ url: string; notificationPort?: number }>(
			'kodiApi',
		);
		const host = new URL(baseUrl(credentials.url)).hostname;
		const address = `ws://${host.includes(':') ? `[${host}]` : host}:${credentials.notificationPort ?? 9090}/jsonrpc`;
		const events = this.getNodeParameter('events', []) as MediaEventType[];
		const options = this.getNodeParameter('options', {}) as {
			includeRaw?: boolean;
			mediaTypes?: MediaType[];
		};
		let closing = false;
		let socket: Socket | null = null;
		let server: MediaServerInfo = { id: null, name: host, version: null };
		// Notifications are handled one after another, so that the items keep Kodi's order.
		let queue: Promise<void> = Promise.resolve();

		const handle = async (raw: unknown) => {
			let message: unknown;
			try {
				message = JSON.parse(String(raw));
			} catch {
				this.logger.warn(`Kodi Trigger: ignored a message from ${address} that is not JSON`);
				return;
			}
			const notification = kodiNotification(message);
			if (notification === null) return;
			let details: KodiItemDetails | null = null;
			try {
				details = await lookUp(this, notification);
			} catch (error) {
				this.logger.warn(
					`Kodi Trigger: could not look up the item of ${notification.method}: ${(error as Error).message}`,
				);
			}
			const event = parseKodi(notification, details, { receivedAt: new Date(), server });
			const ignored = whyIgnored(event, {
				events,
				serverIds: [],
				users: [],
				dropEventsWithoutUser: false,
				mediaTypes: options.mediaTypes ?? [],
			});
			if (ignored !== null) return;
			if (options.includeRaw) event.raw = message;
			this.emit([[{ json: event as unknown as IDataObject }]]);
		};

		/** One connection: resolves when it closes. */
		const connect = async () =>
			await new Promise<boolean>((resolve) => {
				let opened = false;
				const current = new WebSocket(address);
				socket = current;
				current.onopen = () => {
					opened = true;
					this.logger.info(`Kodi Trigger: connected to ${address}`);
					void serverInfo(this, host)
						.then((info) => (server = info))
						.catch((error: Error) => this.logger.warn(`Kodi Trigger: ${error.message}`));
				};
				current.onmessage = (message) => {
					queue = queue.then(async () => await handle(message.data));
				};
				current.onerror = () => undefined;
				current.onclose = () => resolve(opened);
			});

		// Reconnects with backoff (1 s doubling to 30 s) while the workflow is active: Kodi restarts, TVs sleep.
		const keepConnected = async () => {
			let delay = 1000;
			while (!closing) {
				const wasOpen = await connect();
				if (closing) return;
				if (wasOpen) delay = 1000;
				this.logger.warn(
					`Kodi Trigger: ${wasOpen ? 'lost the connection to' : 'could not connect to'} ${address}; trying again in ${delay / 1000} s`,
				);
				await sleep(delay);
				delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
			}
		};
		void keepConnected();

		return {
			closeFunction: async () => {
				closing = true;
				socket?.close();
			},
		};
	}
}
