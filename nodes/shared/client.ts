import { createHash } from 'crypto';
import { version } from '../../package.json';

/** How this package names itself to media servers (their device and session lists show it). */
export const CLIENT_NAME = 'n8n';
export const CLIENT_VERSION = version;

/**
 * A device id that stays the same for one server and account, so the server sees one device and not a new one
 * per request or restart (Jellyfin revokes a device's older token when that device signs in again).
 */
export function stableDeviceId(...parts: string[]): string {
	return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** The URL for a message: a `user:password@` in it (a proxy's Basic auth) is a secret n8n would store. */
export function withoutUserInfo(url: string): string {
	return url.replace(/^(\w+:\/\/)[^/@]*@/, '$1');
}

/** The server URL as typed, without trailing slashes, so `${base}/path` never doubles one. */
export function baseUrl(url: unknown): string {
	return String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
}
