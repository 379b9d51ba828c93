import type { IBinaryData, IWebhookFunctions } from 'n8n-workflow';
import { jsonObjectFrom } from '../../core/body';
import { PayloadError } from '../../core/event';
import { isObject, type JsonObject } from '../../core/values';
import { isMultipart, requestBody } from './webhook';

/** A file part as n8n's multipart parser (formidable) leaves it; n8n deletes it once webhook() returns. */
interface UploadedFile {
	filepath: string;
	originalFilename?: string | null;
	mimetype?: string | null;
}

interface MultipartBody {
	data?: Record<string, string | string[]>;
	files?: Record<string, UploadedFile | UploadedFile[]>;
}

function first<T>(value: T | T[] | undefined): T | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function uploadedFile(context: IWebhookFunctions, field: string): UploadedFile | undefined {
	return first((context.getBodyData() as MultipartBody).files?.[field]);
}

/** Copies an uploaded part into n8n's binary data store, the only cloud-safe way to read a temp file. */
export async function uploadedBinary(
	context: IWebhookFunctions,
	field: string,
	fallbackName: string,
	fallbackMimeType: string,
): Promise<IBinaryData | undefined> {
	const file = uploadedFile(context, field);
	if (!file) return undefined;
	return await context.nodeHelpers.copyBinaryFile(
		file.filepath,
		file.originalFilename || fallbackName,
		file.mimetype || fallbackMimeType,
	);
}

async function binaryText(context: IWebhookFunctions, binary: IBinaryData): Promise<string> {
	if (binary.id)
		return await context.helpers.binaryToString(await context.helpers.getBinaryStream(binary.id));
	return Buffer.from(binary.data, 'base64').toString('utf8');
}

/**
 * A multipart text field. n8n's parser decides "field or file" by the part's own Content-Type header, so a JSON
 * part sent with `Content-Type: application/json` (as Plex does) arrives as an uploaded file, not a field.
 */
async function multipartField(
	context: IWebhookFunctions,
	field: string,
): Promise<string | undefined> {
	const value = first((context.getBodyData() as MultipartBody).data?.[field]);
	if (typeof value === 'string') return value;
	const binary = await uploadedBinary(context, field, `${field}.json`, 'application/json');
	return binary ? await binaryText(context, binary) : undefined;
}

/**
 * The JSON object of a server that wraps its JSON in a form field (Plex `payload`, older Emby `data`), sent
 * as multipart or urlencoded; a plain JSON body is accepted too.
 */
export async function wrappedJson(context: IWebhookFunctions, field: string): Promise<JsonObject> {
	const label = `Form field "${field}"`;
	if (isMultipart(context)) {
		const value = await multipartField(context, field);
		if (value === undefined) {
			throw new PayloadError(`The multipart body has no "${field}" field, which holds the JSON`);
		}
		return jsonObjectFrom(value, label);
	}
	const body = await requestBody(context);
	if (isObject(body) && typeof body[field] === 'string') return jsonObjectFrom(body[field], label);
	return jsonObjectFrom(body);
}
