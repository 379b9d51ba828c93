import {
	NodeOperationError,
	type IBinaryKeyData,
	type IWebhookDescription,
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import {
	PayloadError,
	type MediaEvent,
	type MediaEventType,
	type MediaType,
	type ParseContext,
} from '../../core/event';
import { listParameter, whyIgnored, type EventFilter } from '../../core/filter';
import type { JsonObject } from '../../core/values';
import { checkInboundAuth } from './auth';

/** What differs between the triggers: how to read the body, parse it, and which events to let through. */
export interface WebhookAdapter<E extends TriggerEvent> {
	/** Returns the server's JSON object from the request; throws PayloadError when there is none. */
	readPayload(context: IWebhookFunctions): Promise<JsonObject>;
	parse(payload: JsonObject, parseContext: ParseContext): E;
	/** Adjusts the parsed event with state kept between requests (Jellyfin pause/resume). */
	refine?(context: IWebhookFunctions, event: E, payload: JsonObject): E;
	/** Why the trigger's Events and Options drop this event, or null when it passes. */
	whyIgnored(context: IWebhookFunctions, event: E): string | null;
	/** Binary data to attach to the item (Plex thumbnail). */
	binary?(context: IWebhookFunctions): Promise<IBinaryKeyData | undefined>;
}

/** The part every emitted event shares: its normalized name, and the payload when Include Raw Payload is on. */
interface TriggerEvent {
	event: string;
	raw?: unknown;
}

/** A media-server trigger's adapter: the media event filters are the same for all of them. */
export type TriggerAdapter = Omit<WebhookAdapter<MediaEvent>, 'whyIgnored'>;

interface TriggerOptions {
	dropEventsWithoutUser?: boolean;
	includeRaw?: boolean;
	mediaTypes?: MediaType[];
	serverIds?: string;
	users?: string;
}

type RawRequest = { rawBody?: Buffer; readRawBody?: () => Promise<void> };

export function isMultipart(context: IWebhookFunctions): boolean {
	const contentType = context.getHeaderData()['content-type'];
	return (
		typeof contentType === 'string' && contentType.toLowerCase().startsWith('multipart/form-data')
	);
}

/**
 * The request body as n8n left it: an object (JSON, urlencoded), a string (text/plain), or, for content types
 * n8n does not parse, the raw bytes. Multipart is refused: n8n splits it into fields and files, where the JSON
 * would be found only by a trigger that knows its field (wrappedJson).
 */
export async function requestBody(context: IWebhookFunctions): Promise<unknown> {
	if (isMultipart(context)) {
		throw new PayloadError(
			'The body is multipart/form-data, which this trigger does not read: send the JSON itself as the body',
		);
	}
	const body: unknown = context.getBodyData();
	if (
		typeof body === 'string' ||
		(typeof body === 'object' && body !== null && Object.keys(body).length > 0)
	) {
		return body;
	}
	const request = context.getRequestObject() as unknown as RawRequest;
	if (!request.rawBody && request.readRawBody) await request.readRawBody();
	return request.rawBody;
}

/** Writes the answer ourselves; without workflowData n8n then starts no execution. */
function answer(
	context: IWebhookFunctions,
	status: number,
	body: IDataObject,
): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

function mediaEventFilter(context: IWebhookFunctions): EventFilter {
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	return {
		events: context.getNodeParameter('events', []) as MediaEventType[],
		serverIds: listParameter(options.serverIds),
		users: listParameter(options.users),
		dropEventsWithoutUser: options.dropEventsWithoutUser ?? false,
		mediaTypes: options.mediaTypes ?? [],
	};
}

/**
 * The whole webhook flow every trigger shares: authenticate, read and parse the body, keep or drop the event,
 * emit one item. Rejections are answered here (401/403/400, or 200 for an ignored event) and start no
 * execution.
 */
export async function handleWebhook<E extends TriggerEvent>(
	context: IWebhookFunctions,
	adapter: WebhookAdapter<E>,
): Promise<IWebhookResponseData> {
	const authFailure = await checkInboundAuth(context);
	if (authFailure) return answer(context, authFailure.status, { message: authFailure.message });

	let payload: JsonObject;
	let event: E;
	try {
		payload = await adapter.readPayload(context);
		const userAgent = context.getHeaderData()['user-agent'];
		event = adapter.parse(payload, {
			receivedAt: new Date(),
			userAgent: typeof userAgent === 'string' ? userAgent : undefined,
		});
	} catch (error) {
		if (error instanceof PayloadError) return answer(context, 400, { message: error.message });
		throw new NodeOperationError(context.getNode(), error as Error);
	}
	if (adapter.refine) event = adapter.refine(context, event, payload);

	const ignoredBecause = adapter.whyIgnored(context, event);
	if (ignoredBecause !== null) {
		return answer(context, 200, { message: 'Event ignored', reason: ignoredBecause });
	}
	const { includeRaw } = context.getNodeParameter('options', {}) as { includeRaw?: boolean };
	if (includeRaw) event.raw = payload;

	const binary = adapter.binary ? await adapter.binary(context) : undefined;
	// n8n sends this answer once it has stored the execution, as for its own Webhook node. Answering here
	// instead would acknowledge events that exist only in memory: under load they piled up by the thousand.
	return {
		workflowData: [[{ json: event as unknown as IDataObject, ...(binary ? { binary } : {}) }]],
		webhookResponse: { message: 'Workflow was started', event: event.event },
	};
}

/** The flow for the media-server triggers, with their shared Events and Options filters. */
export async function handleMediaWebhook(
	context: IWebhookFunctions,
	adapter: TriggerAdapter,
): Promise<IWebhookResponseData> {
	return await handleWebhook(context, {
		...adapter,
		whyIgnored: (webhookContext, event) => whyIgnored(event, mediaEventFilter(webhookContext)),
	});
}

/** Every trigger listens on POST <webhook URL>; the user pastes that URL into the media server. */
export const mediaWebhook: IWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	responseMode: 'onReceived',
	// Empty, so that n8n answers with the webhook's own webhookResponse; unset, it sends "firstEntryJson".
	responseData: '',
	path: 'webhook',
};

/** Webhook URLs are pasted into the media server by hand, so there is nothing to register remotely. */
export const manualWebhookMethods = {
	default: {
		async checkExists(): Promise<boolean> {
			return true;
		},
		async create(): Promise<boolean> {
			return true;
		},
		async delete(): Promise<boolean> {
			return true;
		},
	},
};
