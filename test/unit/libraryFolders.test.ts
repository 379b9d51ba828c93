import { folderScans } from '../../nodes/core/libraryFolders';

const LIBRARIES = [
	{ id: '1', title: 'Movies', locations: ['/data/movies'] },
	{ id: '2', title: 'TV Shows', locations: ['/data/tv', '/data/tv-archive/'] },
	{ id: '3', title: 'Everything', locations: ['/data'] },
	{ id: '4', title: 'Windows TV', locations: ['D:\\TV'] },
];

describe('folderScans', () => {
	it('scans the folder holding each file, once per library and folder', () => {
		expect(
			folderScans(
				[
					'/data/tv/Severance/Season 01/Severance - S01E01.mkv',
					'/data/tv/Severance/Season 01/Severance - S01E02.mkv',
					'/data/tv-archive/Lost/Season 1/Lost - S01E01.avi',
				],
				LIBRARIES.slice(0, 2),
			),
		).toEqual({
			scans: [
				{ libraryId: '2', library: 'TV Shows', folder: '/data/tv/Severance/Season 01' },
				{ libraryId: '2', library: 'TV Shows', folder: '/data/tv-archive/Lost/Season 1' },
			],
			unmatched: [],
		});
	});

	it('scans every library that holds the path', () => {
		expect(folderScans(['/data/movies/Dune (2021)/Dune.mkv'], LIBRARIES).scans).toEqual([
			{ libraryId: '1', library: 'Movies', folder: '/data/movies/Dune (2021)' },
			{ libraryId: '3', library: 'Everything', folder: '/data/movies/Dune (2021)' },
		]);
	});

	it('never goes above a library root', () => {
		expect(folderScans(['/data/movies'], LIBRARIES.slice(0, 1)).scans).toEqual([
			{ libraryId: '1', library: 'Movies', folder: '/data/movies' },
		]);
		expect(folderScans(['/data/movies/Dune.mkv'], LIBRARIES.slice(0, 1)).scans).toEqual([
			{ libraryId: '1', library: 'Movies', folder: '/data/movies' },
		]);
	});

	it('matches whole folders only, and reports what no library holds', () => {
		expect(folderScans(['/data/movies2/A/a.mkv', '/srv/x.mkv'], LIBRARIES.slice(0, 2))).toEqual({
			scans: [],
			unmatched: ['/data/movies2/A/a.mkv', '/srv/x.mkv'],
		});
	});

	it('handles Windows library folders', () => {
		expect(folderScans(['d:\\tv\\Show\\S01\\e1.mkv'], LIBRARIES).scans).toEqual([
			{ libraryId: '4', library: 'Windows TV', folder: 'D:\\tv\\Show\\S01' },
		]);
	});
});
