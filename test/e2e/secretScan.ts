/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test harness: reads what n8n left, with a newer Node for SQLite */
import { spawnSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

/** A value n8n must never write anywhere, and where it came from (for the failure message). */
export interface Secret {
	label: string;
	value: string;
}

/** Shorter values ("pw", "x") would match by accident in any log or database, so they are not looked for. */
export const MIN_SECRET_LENGTH = 8;

export interface ImportedCredential {
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** A credential type as n8n loads it: its fields, the secret ones marked `typeOptions.password`. */
export interface CredentialTypeDescription {
	name: string;
	properties: Array<{ name: string; typeOptions?: { password?: boolean } }>;
}

/** The names of the fields the credential type marks as secret (shown as dots in the editor). */
export function passwordFields(type: CredentialTypeDescription): string[] {
	return type.properties
		.filter((property) => property.typeOptions?.password === true)
		.map((property) => property.name);
}

/**
 * Every secret field of the credentials, in each form a leak could take: as is, URL-encoded (a query string) and,
 * where the credential has a user name, as the Basic auth header value. Values too short to look for are returned
 * apart, so the caller can say which were not checked.
 */
export function secretsOf(
	credentials: ImportedCredential[],
	secretFields: (type: string) => string[],
): { secrets: Secret[]; tooShort: string[] } {
	const secrets: Secret[] = [];
	const tooShort: string[] = [];
	for (const credential of credentials) {
		for (const field of secretFields(credential.type)) {
			const value = credential.data[field];
			if (typeof value !== 'string' || value === '') continue;
			const label = `credential "${credential.name}" (${credential.type}.${field})`;
			if (value.length < MIN_SECRET_LENGTH) {
				tooShort.push(label);
				continue;
			}
			secrets.push({ label, value });
			if (encodeURIComponent(value) !== value) {
				secrets.push({ label: `${label}, URL-encoded`, value: encodeURIComponent(value) });
			}
			const user = credential.data.user ?? credential.data.username;
			if (field === 'password' && typeof user === 'string') {
				const basic = Buffer.from(`${user}:${value}`).toString('base64');
				secrets.push({ label: `${label}, as Basic auth`, value: basic });
			}
		}
	}
	return { secrets, tooShort };
}

/** Bytes to search, named for the failure message: a file, a log, a database table. */
export interface Place {
	where: string;
	bytes: Buffer;
}

export interface Leak {
	secret: string;
	where: string;
	offset: number;
	/** 30 bytes on each side of the find, as `maskedContext` shows them. */
	context: string;
}

/** Characters shown on each side of a find. */
const CONTEXT_SIDE = 30;

/**
 * The bytes around a find, every byte of any secret in it (also one cut off at either edge) shown as `***`, and
 * bytes outside printable ASCII as `.`.
 */
function maskedContext(bytes: Buffer, offset: number, length: number, secrets: Secret[]): string {
	const start = Math.max(0, offset - CONTEXT_SIDE);
	const end = Math.min(bytes.length, offset + length + CONTEXT_SIDE);
	const longest = Math.max(...secrets.map((secret) => Buffer.byteLength(secret.value)));
	const regionStart = Math.max(0, start - longest);
	const region = bytes.subarray(regionStart, end + longest);
	const masked = new Uint8Array(end - start);
	for (const secret of secrets) {
		const needle = Buffer.from(secret.value);
		for (let at = region.indexOf(needle); at !== -1; at = region.indexOf(needle, at + 1)) {
			const from = Math.max(start, regionStart + at);
			const to = Math.min(end, regionStart + at + needle.length);
			for (let index = from; index < to; index++) masked[index - start] = 1;
		}
	}
	let text = '';
	for (let index = start; index < end; index++) {
		if (masked[index - start]) {
			if (index === start || !masked[index - start - 1]) text += '***';
		} else {
			const byte = bytes[index];
			text += byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
		}
	}
	return text;
}

export function findLeaks(places: Place[], secrets: Secret[]): Leak[] {
	// Credentials that share a value (the same wrong key in several) are reported once, with every label.
	const labels = new Map<string, string[]>();
	for (const secret of secrets)
		labels.set(secret.value, [...(labels.get(secret.value) ?? []), secret.label]);
	const distinct = [...labels].map(([value, names]) => ({ label: names.join(' = '), value }));
	const leaks: Leak[] = [];
	for (const place of places) {
		for (const secret of distinct) {
			const needle = Buffer.from(secret.value);
			for (
				let offset = place.bytes.indexOf(needle);
				offset !== -1;
				offset = place.bytes.indexOf(needle, offset + needle.length)
			) {
				const context = maskedContext(place.bytes, offset, needle.length, secrets);
				leaks.push({ secret: secret.label, where: place.where, offset, context });
			}
		}
	}
	return leaks;
}

/** Every file under `folder`, but not the directories named in `skip` (relative paths). */
export function filesUnder(folder: string, skip: string[] = []): Place[] {
	const places: Place[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (skip.includes(relative(folder, path))) continue;
			if (entry.isDirectory()) walk(path);
			else if (entry.isFile()) places.push({ where: path, bytes: readFileSync(path) });
		}
	};
	walk(folder);
	return places;
}

// SQLite splits a long row over overflow pages, each starting with a page number, so a secret in a large
// execution can be cut in two in the file: the rows are read through SQL too. node:sqlite needs Node 22+, which the
// provisioned n8n runtime has.
const DUMP_TABLES = `
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1], { readOnly: true });
const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
const dump = tables.map(({ name }) => {
	const values = [];
	for (const row of db.prepare('SELECT * FROM "' + name.replace(/"/g, '""') + '"').all()) {
		for (const value of Object.values(row)) {
			if (typeof value === 'string') values.push(Buffer.from(value));
			else if (value instanceof Uint8Array) values.push(Buffer.from(value));
		}
	}
	return { name, base64: Buffer.concat(values.flatMap((value) => [value, Buffer.from('\\n')])).toString('base64') };
});
db.close();
process.stdout.write(JSON.stringify(dump));
`;

/** The text and blob values of every table of an SQLite database, one place per table. */
export function sqliteTables(node: string, databaseFile: string): Place[] {
	const result = spawnSync(node, ['--no-warnings', '-e', DUMP_TABLES, databaseFile], {
		encoding: 'utf8',
		maxBuffer: 1024 * 1024 * 1024,
	});
	if (result.status !== 0) {
		throw new Error(`Could not read ${databaseFile} for the secrets scan:\n${result.stderr}`);
	}
	return (JSON.parse(result.stdout) as Array<{ name: string; base64: string }>).map((table) => ({
		where: `${databaseFile}, table ${table.name}`,
		bytes: Buffer.from(table.base64, 'base64'),
	}));
}

export function leakReport(leaks: Leak[]): string {
	return [
		`${leaks.length} secret(s) found where n8n keeps its log and data:`,
		...leaks.map(
			(leak) => `- ${leak.secret} in ${leak.where} at byte ${leak.offset}: …${leak.context}…`,
		),
	].join('\n');
}

/**
 * Looks for the secrets in everything a stopped n8n left: its log, every file of its user folder (database, WAL,
 * execution and binary data, event log), and every table of its database read through SQL. Throws,
 * naming each find, when one is there; otherwise prints what it scanned.
 */
export function scanStoppedN8n(options: {
	userFolder: string;
	log: string;
	secrets: Secret[];
	tooShort: string[];
	node: string;
}): void {
	const started = process.hrtime.bigint();
	// Not scanned: the installed package, and n8n's copy of its editor's static files.
	const files = filesUnder(options.userFolder, [join('.n8n', 'nodes'), '.cache']);
	const tables = files
		.filter((file) => file.where.endsWith('.sqlite'))
		.flatMap((file) => sqliteTables(options.node, file.where));
	const places = [{ where: 'the n8n log', bytes: Buffer.from(options.log) }, ...files, ...tables];
	const leaks = findLeaks(places, options.secrets);
	if (leaks.length > 0) throw new Error(leakReport(leaks));
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const bytes = places.reduce((sum, place) => sum + place.bytes.length, 0);
	// eslint-disable-next-line no-console -- what was scanned and what was too short to look for
	console.log(
		`Secrets scan: ${options.secrets.length} secret form(s) in ${files.length} file(s), ${tables.length} table(s) and the log` +
			` (${(bytes / 1e6).toFixed(1)} MB) in ${ms.toFixed(0)} ms: none found` +
			(options.tooShort.length > 0
				? `. Too short to look for: ${options.tooShort.join(', ')}`
				: ''),
	);
}
