/**
 * Whether to write a played state: never when the server is already there (no write, so no webhook comes back
 * and a two-way sync stops), and with "only if newer" not when the server has seen a later play. Pure code.
 */
import type { PlayState } from './itemIndex';

export type WatchDecision =
	| { write: true }
	| { write: false; reason: 'alreadyWatched' | 'alreadyUnwatched' | 'newerPlay'; detail: string };

export function decideWatch(options: {
	/** true: mark watched; false: mark unwatched. */
	played: boolean;
	current: PlayState | null;
	/** When the change happened (the event's time), ISO. */
	at: string;
	onlyIfNewer: boolean;
}): WatchDecision {
	const { played, current, at, onlyIfNewer } = options;
	if (current?.played === played) {
		return played
			? { write: false, reason: 'alreadyWatched', detail: 'already watched' }
			: { write: false, reason: 'alreadyUnwatched', detail: 'already unwatched' };
	}
	const serverPlay = current?.lastPlayedAt ? Date.parse(current.lastPlayedAt) : NaN;
	if (onlyIfNewer && !Number.isNaN(serverPlay) && serverPlay > Date.parse(at)) {
		return {
			write: false,
			reason: 'newerPlay',
			detail: `the server has a later play (${current?.lastPlayedAt}) than ${at}`,
		};
	}
	return { write: true };
}
