import type { MediaEventType } from './event';

/**
 * Jellyfin has no pause or resume event: PlaybackProgress heartbeats carry an `IsPaused` level. This turns the
 * level into edges per playback session (pause once when it becomes paused, resume once when it plays again).
 * It holds at most `capacity` sessions, dropping the least recently seen, so a server that never sends
 * PlaybackStop cannot grow it without bound.
 */
export class PlaybackStateTracker {
	private readonly pausedBySession = new Map<string, boolean>();

	constructor(private readonly capacity = 1000) {}

	get size(): number {
		return this.pausedBySession.size;
	}

	/** Returns the event to emit for `event` in session `key`: `progress` may become `pause` or `resume`. */
	observe(key: string, event: MediaEventType, paused: boolean | null): MediaEventType {
		if (event === 'stop') {
			this.pausedBySession.delete(key);
			return event;
		}
		if (event === 'play') {
			this.remember(key, paused === true);
			return event;
		}
		if (event !== 'progress' || paused === null) return event;
		const wasPaused = this.pausedBySession.get(key);
		this.remember(key, paused);
		if (paused && wasPaused !== true) return 'pause';
		if (!paused && wasPaused === true) return 'resume';
		return 'progress';
	}

	private remember(key: string, paused: boolean): void {
		this.pausedBySession.delete(key);
		this.pausedBySession.set(key, paused);
		if (this.pausedBySession.size > this.capacity) {
			const oldest = this.pausedBySession.keys().next().value as string;
			this.pausedBySession.delete(oldest);
		}
	}
}
