import { FakeEmby } from './emby';
import { FakeJellyfin } from './jellyfin';
import { FakePlex } from './plex';

/** The ids of the one TV library (folder /data/tv) each fake of `tvLibraryFakes` holds. */
export const TV_LIBRARY = { jellyfin: '9d7ad6afe9afa2dab1a2f6e00ad28fa6', emby: '3', plex: '2' };

/**
 * A Jellyfin, an Emby and a Plex with one TV library at /data/tv, each reached with an administrator's key or
 * token: what a test of requests and their failures needs, without a catalog.
 */
export function tvLibraryFakes(secrets: {
	jellyfinKey: string;
	embyKey: string;
	plexToken: string;
}) {
	return {
		jellyfin: new FakeJellyfin({
			apiKeys: [secrets.jellyfinKey],
			users: [
				{ id: 'a1a1a1a1b2b2c3c3d4d4e5e5e5e5e5e5', name: 'admin', password: 'pw', isAdmin: true },
			],
			libraries: [
				{
					itemId: TV_LIBRARY.jellyfin,
					name: 'Shows',
					collectionType: 'tvshows',
					locations: ['/data/tv'],
				},
			],
		}),
		emby: new FakeEmby({
			apiKeys: [secrets.embyKey],
			users: [{ id: 'e1a11ce0000000000000000000000001', name: 'alice', isAdmin: true }],
			libraries: [
				{ itemId: TV_LIBRARY.emby, name: 'TV', collectionType: 'tvshows', locations: ['/data/tv'] },
			],
		}),
		plex: new FakePlex({
			tokens: [secrets.plexToken],
			sections: [
				{
					key: Number(TV_LIBRARY.plex),
					type: 'show',
					title: 'TV Shows',
					locations: [{ id: 2, path: '/data/tv' }],
				},
			],
		}),
	};
}
