/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test fakes: they read the OpenAPI files beside the tests */
import { readFileSync } from 'fs';
import { join } from 'path';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import OpenAPIBackend, { type Operation, type ValidationResult } from 'openapi-backend';
import { parse as parseYaml } from 'yaml';

/**
 * Request validation against the servers' published OpenAPI documents (test/specs/, unedited copies).
 *
 * Each document is read, fixed in memory (see test/specs/SOURCES.md) and handed to openapi-backend 5.20.0 in
 * `quick` mode once per process (per jest test file); validators are compiled lazily, per operation, on first use.
 */

export type SpecName = 'jellyfin-12.0' | 'jellyfin-10.11' | 'emby' | 'plex';

export const SPEC_FILES: Record<SpecName, string> = {
	'jellyfin-12.0': 'jellyfin-openapi-12.0.0.json',
	'jellyfin-10.11': 'jellyfin-openapi.json',
	emby: 'emby-openapi.json',
	plex: 'plex-openapi.yaml',
};

const SPEC_DIR = join(__dirname, '..', 'specs');

/** JSON media types (ASP.NET also reads `text/json` and `application/*+json`). */
export const JSON_TYPE = /^(application\/json|text\/json|application\/[^;\s]*\+json)\s*(;|$)/i;

/** Auth that the servers read from the query string but the documents do not declare as a parameter. */
const QUERY_AUTH: Record<SpecName, string[]> = {
	'jellyfin-12.0': ['apikey', 'api_key'],
	'jellyfin-10.11': ['apikey', 'api_key'],
	emby: ['api_key'],
	plex: ['x-plex-token'],
};

/** Jellyfin ids are often 32 hex digits without dashes; Emby's `guid` format is the same thing. */
const GUID = /^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$/i;

/** Formats used in the documents that we do not check (response headers, .NET TimeSpan, free text). */
const UNCHECKED_FORMATS = ['text', 'ipv4', 'time', 'url', 'email', 'date', 'uri'];

/** Marks operations whose query takes free-form keys (see fixExplodedObjectParams). */
const FREE_FORM_QUERY = 'x-fake-free-form-query';

/** Query keys of Plex's media-query language: a field name with an optional operator suffix (`year>>`, `title!`). */
const MEDIA_QUERY_FIELD = /^[A-Za-z][A-Za-z0-9.]*[!<>=]*$/;

export interface SpecRequest {
	method: string;
	/** Path relative to the API root (no base path), without the query string. */
	path: string;
	query: Record<string, string | string[]>;
	/** Lower-case header names, as Node delivers them. */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON body; a string when it was not JSON (or broken JSON); undefined when there was none. */
	body?: unknown;
	/** The request's Content-Type header, when it sent a body. */
	contentType?: string;
}

export interface SpecError {
	message: string;
	instancePath?: string;
	keyword?: string;
	params?: unknown;
}

export type SpecMatch = {
	operationId: string;
	/** The path template of the operation, e.g. `/Items/{itemId}/Refresh`. */
	pathTemplate: string;
	/** Path parameters, URL-decoded. */
	params: Record<string, string>;
	/** Whether the operation declares a security requirement (the document's global one included). */
	secured: boolean;
	/** The scopes of its security requirements (Jellyfin: `RequiresElevation`, …; Plex: `admin`, …). */
	scopes: string[];
};

export type SpecFailure = {
	status: 400 | 404 | 405 | 415;
	operationId?: string;
	errors: SpecError[];
};

export type SpecResult = SpecMatch | SpecFailure;

export function isFailure(result: SpecResult): result is SpecFailure {
	return 'status' in result;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(value: unknown, visit: (node: Json) => void): void {
	if (Array.isArray(value)) value.forEach((item) => walk(item, visit));
	else if (isObject(value)) {
		visit(value);
		Object.values(value).forEach((child) => walk(child, visit));
	}
}

function resolveRef(document: Json, node: unknown): unknown {
	let current = node;
	for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 20; hops++) {
		const ref: string = current.$ref;
		current = ref
			.slice(2)
			.split('/')
			.map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
			.reduce<unknown>((parent, key) => (isObject(parent) ? parent[key] : undefined), document);
	}
	return current;
}

/** Jellyfin: Ajv refuses `nullable` without `type` (`allOf` + `nullable`), so say "or null" with anyOf. */
function fixNullableWithoutType(document: Json): number {
	let fixed = 0;
	walk(document, (node) => {
		if (node.nullable === true && node.type === undefined) {
			const rest = { ...node };
			delete rest.nullable;
			for (const key of Object.keys(node)) delete node[key];
			node.anyOf = [rest, { type: 'null' }];
			fixed++;
		}
	});
	return fixed;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function forEachParameter(document: Json, visit: (parameter: Json, operation: Json) => void): void {
	for (const pathItem of Object.values((document.paths ?? {}) as Record<string, Json>)) {
		for (const method of METHODS) {
			const operation = pathItem[method];
			if (!isObject(operation)) continue;
			const parameters = [
				...((operation.parameters ?? []) as unknown[]),
				...((pathItem.parameters ?? []) as unknown[]),
			];
			for (const parameter of parameters) {
				const resolved = resolveRef(document, parameter);
				if (isObject(resolved)) visit(resolved, operation);
			}
		}
	}
}

/**
 * Emby declares every scalar query parameter `style: form, explode: false`; openapi-backend then splits the value
 * into an array and reports "must be boolean/string". Only arrays and objects can be non-exploded.
 */
function fixScalarExplode(document: Json): number {
	let fixed = 0;
	forEachParameter(document, (parameter) => {
		if (parameter.in !== 'query' || parameter.explode !== false) return;
		const schema = resolveRef(document, parameter.schema);
		const type = isObject(schema) ? schema.type : undefined;
		if (type !== 'array' && type !== 'object') {
			delete parameter.explode;
			fixed++;
		}
	});
	return fixed;
}

/**
 * Jellyfin binds its enum, GUID and number arrays with CommaDelimitedArrayModelBinder: repeated parameters
 * (`includeItemTypes=Movie&includeItemTypes=Series`, as the spec declares them) or one comma list
 * (`includeItemTypes=Movie,Series`). `explode: false` makes openapi-backend do the same: it splits a single value
 * at commas and keeps repeated values, and each element is still checked against the item schema. Plain string
 * arrays are left alone: some of them are pipe-delimited (genres, tags, …), and splitting strings changes no check.
 */
function fixCommaDelimitedArrays(document: Json): number {
	let fixed = 0;
	forEachParameter(document, (parameter) => {
		if (parameter.in !== 'query' || parameter.explode !== undefined) return;
		const schema = resolveRef(document, parameter.schema);
		if (!isObject(schema) || schema.type !== 'array') return;
		const items = resolveRef(document, schema.items);
		const plainString =
			isObject(items) && items.type === 'string' && !items.enum && !items.format && !items.$ref;
		if (!plainString) {
			parameter.explode = false;
			fixed++;
		}
	});
	return fixed;
}

/** Format of Jellyfin's `datePlayed` (see fixLegacyDatePlayed): `yyyyMMddHHmmss`, or an ISO date-time. */
const LEGACY_DATE_TIME = 'x-jellyfin-legacy-date-time';

/**
 * Jellyfin's `POST /UserPlayedItems/{itemId}` binds `datePlayed` with LegacyDateTimeModelBinder: it parses
 * `yyyyMMddHHmmss` (UTC) first and only then the usual DateTime binding (ISO 8601). The spec says `date-time`,
 * which would refuse the first form, so that one parameter gets a format accepting both.
 */
function fixLegacyDatePlayed(document: Json): number {
	let fixed = 0;
	const operation = (document.paths as Record<string, Json> | undefined)?.[
		'/UserPlayedItems/{itemId}'
	]?.post;
	if (!isObject(operation)) return fixed;
	for (const raw of (operation.parameters ?? []) as unknown[]) {
		const parameter = resolveRef(document, raw);
		if (!isObject(parameter) || parameter.name !== 'datePlayed' || parameter.in !== 'query')
			continue;
		parameter.schema = { type: 'string', format: LEGACY_DATE_TIME };
		fixed++;
	}
	return fixed;
}

/** `yyyyMMddHHmmss` that names a real instant (month 1–12, day within the month, …). */
export function parseCompactDate(value: string): Date | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	const roundTrips =
		date.getUTCFullYear() === year &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day &&
		date.getUTCHours() === hour &&
		date.getUTCMinutes() === minute &&
		date.getUTCSeconds() === second;
	return roundTrips ? date : undefined;
}

/** Plex: path parameters typed `array` (`/library/metadata/{ids}`) arrive as one comma-separated string. */
function fixArrayPathParams(document: Json): number {
	let fixed = 0;
	forEachParameter(document, (parameter) => {
		if (parameter.in !== 'path') return;
		const schema = resolveRef(document, parameter.schema);
		if (isObject(schema) && schema.type === 'array') {
			parameter.schema = { type: 'string', pattern: '^[^,]+(,[^,]+)*$' };
			fixed++;
		}
	});
	return fixed;
}

/**
 * Plex: `mediaQuery` (and a few `prefs`/`args`-style parameters) are exploded free-form objects
 * (`type=1&sort=titleSort&year>>=2000`), which openapi-backend looks for under the parameter's own name. Replace each
 * with its declared properties as plain query parameters and mark the operation, so that `validate` also lets
 * free-form keys through (media-query field filters), but not case variants of declared names.
 */
function fixExplodedObjectParams(document: Json): number {
	let fixed = 0;
	for (const pathItem of Object.values((document.paths ?? {}) as Record<string, Json>)) {
		for (const method of METHODS) {
			const operation = pathItem[method];
			if (!isObject(operation) || !Array.isArray(operation.parameters)) continue;
			const replaced: unknown[] = [];
			for (const raw of operation.parameters) {
				const parameter = resolveRef(document, raw);
				const schema = isObject(parameter) ? resolveRef(document, parameter.schema) : undefined;
				if (
					isObject(parameter) &&
					parameter.in === 'query' &&
					parameter.explode !== false &&
					isObject(schema) &&
					schema.type === 'object'
				) {
					// Copies: dereference-json-schema leaves a $ref unresolved where one object sits at two places.
					for (const [name, property] of Object.entries(schema.properties ?? {})) {
						replaced.push({ name, in: 'query', schema: JSON.parse(JSON.stringify(property)) });
					}
					operation[FREE_FORM_QUERY] = true;
					fixed++;
				} else replaced.push(raw);
			}
			operation.parameters = replaced;
		}
	}
	return fixed;
}

export interface Spec {
	name: SpecName;
	api: OpenAPIBackend;
	/** What the in-memory fixes changed, for the record. */
	fixes: Record<string, number>;
	/** Milliseconds spent reading, fixing and initialising the document. */
	loadMs: number;
	/** Validates one request; see SpecResult. */
	validate(request: SpecRequest): SpecResult;
}

const cache = new Map<SpecName, Promise<Spec>>();

/** Loads, fixes and initialises one document; cached for the rest of the process (jest: the test file). */
export function loadSpec(name: SpecName): Promise<Spec> {
	let loading = cache.get(name);
	if (!loading) {
		loading = initSpec(name);
		cache.set(name, loading);
		loading.catch(() => cache.delete(name));
	}
	return loading;
}

async function initSpec(name: SpecName): Promise<Spec> {
	const started = Date.now();
	const file = join(SPEC_DIR, SPEC_FILES[name]);
	const text = readFileSync(file, 'utf8');
	const document = (file.endsWith('.yaml') ? parseYaml(text) : JSON.parse(text)) as Json;
	const fixes: Record<string, number> = {};
	if (name.startsWith('jellyfin')) {
		fixes.nullableWithoutType = fixNullableWithoutType(document);
		fixes.commaDelimitedArrays = fixCommaDelimitedArrays(document);
		fixes.legacyDatePlayed = fixLegacyDatePlayed(document);
	}
	if (name === 'emby') fixes.scalarExplodeFalse = fixScalarExplode(document);
	if (name === 'plex') {
		fixes.arrayPathParams = fixArrayPathParams(document);
		fixes.explodedObjectParams = fixExplodedObjectParams(document);
	}
	const api = new OpenAPIBackend({
		definition: document as never,
		quick: true,
		strict: true,
		customizeAjv: (ajv) => {
			addFormats(ajv, ['date-time']);
			ajv.addFormat('uuid', GUID);
			ajv.addFormat('guid', GUID);
			const isoDateTime = fullFormats['date-time'] as { validate: (value: string) => boolean };
			ajv.addFormat(
				LEGACY_DATE_TIME,
				(value: string) => parseCompactDate(value) !== undefined || isoDateTime.validate(value),
			);
			for (const format of UNCHECKED_FORMATS) ajv.addFormat(format, true);
			return ajv;
		},
	});
	await api.init();
	const spec: Spec = {
		name,
		api,
		fixes,
		loadMs: Date.now() - started,
		validate: (request) => validateRequest(spec, request),
	};
	return spec;
}

function methodNotAllowed(api: OpenAPIBackend, request: SpecRequest): boolean {
	try {
		api.router.matchOperation({ method: request.method, path: request.path, headers: {} }, true);
		return false;
	} catch (error) {
		return String((error as Error).message).startsWith('405');
	}
}

function mediaTypeMatches(declared: string, actual: string): boolean {
	const pattern = declared
		.toLowerCase()
		.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
		.replace(/\*/g, '[^/;]*');
	return new RegExp(`^${pattern}$`).test(actual);
}

function pathParams(template: string, path: string): Record<string, string> {
	const names: string[] = [];
	const pattern = template
		.replace(/[.+?^$()|[\]\\]/g, '\\$&')
		.replace(/\{([^}]+)\}/g, (_match, name: string) => {
			names.push(name);
			return '([^/]+)';
		});
	const match = new RegExp(`^${pattern}/*$`).exec(path);
	const params: Record<string, string> = {};
	names.forEach((name, index) => {
		const value = match?.[index + 1] ?? '';
		try {
			params[name] = decodeURIComponent(value);
		} catch {
			params[name] = value;
		}
	});
	return params;
}

function toErrors(errors: ValidationResult['errors']): SpecError[] {
	return (errors ?? []).map(({ message, instancePath, keyword, params }) => ({
		message: message ?? keyword,
		instancePath,
		keyword,
		params,
	}));
}

function validateRequest(spec: Spec, request: SpecRequest): SpecResult {
	const { api, name } = spec;
	const method = request.method.toLowerCase();
	const operation = api.router.matchOperation({ method, path: request.path, headers: {} }) as
		| (Operation & { [FREE_FORM_QUERY]?: boolean })
		| undefined;
	if (!operation?.operationId) {
		return methodNotAllowed(api, { ...request, method })
			? {
					status: 405,
					errors: [{ message: `${request.method} is not allowed on ${request.path}` }],
				}
			: { status: 404, errors: [{ message: `no operation matches ${request.path}` }] };
	}
	const { operationId } = operation;
	const parameters = (operation.parameters ?? []) as Array<{ name: string; in: string }>;
	const declaredQuery = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));

	// Auth in the query string is not a declared parameter: strip it (the fakes check it themselves).
	const strip = QUERY_AUTH[name];
	const query: Record<string, string | string[]> = {};
	const headers: Record<string, string | string[]> = {};
	for (const [key, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers[key.toLowerCase()] = value;
	}
	for (const [key, value] of Object.entries(request.query)) {
		if (strip.includes(key.toLowerCase()) && !declaredQuery.has(key)) continue;
		// Plex reads every X-Plex-* header from the query string as well.
		if (name === 'plex' && /^x-plex-/i.test(key) && !declaredQuery.has(key)) {
			headers[key.toLowerCase()] ??= value;
			continue;
		}
		query[key] = value;
	}

	const errors: SpecError[] = [];
	if (operation[FREE_FORM_QUERY]) {
		// Media-query filters are free-form field names; everything else must be spelled as declared.
		const lowerDeclared = new Map([...declaredQuery].map((q) => [q.toLowerCase(), q]));
		for (const key of Object.keys(query)) {
			if (declaredQuery.has(key)) continue;
			const meant = lowerDeclared.get(key.toLowerCase());
			if (meant) errors.push({ message: `query parameter ${key} is spelled ${meant} in the spec` });
			else if (!MEDIA_QUERY_FIELD.test(key) || /^x-plex-/i.test(key))
				errors.push({
					message: `query parameter ${key} is neither declared nor a media-query field`,
				});
			else delete query[key];
		}
	}

	const requestBody = operation.requestBody as
		| { content?: Record<string, unknown>; required?: boolean }
		| undefined;
	if (requestBody?.content && request.body !== undefined) {
		const actual = (request.contentType ?? '').split(';')[0].trim().toLowerCase();
		const declared = Object.keys(requestBody.content);
		if (!declared.some((type) => mediaTypeMatches(type, actual))) {
			return {
				status: 415,
				operationId,
				errors: [
					{ message: `Content-Type ${actual || '(none)'} is not one of ${declared.join(', ')}` },
				],
			};
		}
		// The fakes parse JSON bodies; a string left here is broken JSON, or another format where the operation
		// also takes JSON (Emby's XML), which the fakes do not read.
		if (typeof request.body === 'string') {
			if (JSON_TYPE.test(actual)) {
				return { status: 400, operationId, errors: [{ message: 'the body is not valid JSON' }] };
			}
			if (declared.some((type) => JSON_TYPE.test(type))) {
				const message = `the fake reads JSON bodies only, not ${actual}`;
				return { status: 415, operationId, errors: [{ message }] };
			}
		}
	}

	const result = api.validator.validateRequest(
		{ method, path: request.path, headers, query, body: request.body },
		operation,
	);
	errors.push(...toErrors(result.errors));
	// openapi-backend checks a required body only for JSON and form schemas (not Plex's text/plain log lines).
	const missing = errors.some((error) => /'requestBody'/.test(error.message));
	if (requestBody?.required && request.body === undefined && !missing) {
		errors.push({ message: 'the request body is required', instancePath: '/requestBody' });
	}
	if (errors.length) return { status: 400, operationId, errors };
	const security = (operation.security ?? []) as Array<Record<string, string[]>>;
	return {
		operationId,
		pathTemplate: operation.path,
		params: pathParams(operation.path, request.path),
		secured: security.some((requirement) => Object.keys(requirement).length > 0),
		scopes: [...new Set(security.flatMap((requirement) => Object.values(requirement).flat()))],
	};
}

/** Validates a response body the fake built against the document (for the fakes' own tests). */
export async function validateResponse(
	name: SpecName,
	operationId: string,
	status: number,
	body: unknown,
): Promise<SpecError[]> {
	const result = (await loadSpec(name)).api.validator.validateResponse(body, operationId, status);
	return toErrors(result.errors);
}
