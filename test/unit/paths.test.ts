import {
	coveringFolders,
	deepestFolderHolding,
	isWithin,
	mediaFolderOf,
	parentFolder,
	pathKey,
	pathMapper,
	PathMappingError,
	withTrailingSeparator,
} from '../../nodes/core/paths';

describe('pathMapper', () => {
	const map = pathMapper([
		{ from: '/media/movies', to: '/data/movies' },
		{ from: '/tv', to: '/data/tv' },
		{ from: '/tv/anime', to: '/anime' },
	]);

	it('rewrites the prefix and names the rule', () => {
		expect(map('/tv/Severance/Season 01/Severance - S01E01.mkv')).toEqual({
			path: '/tv/Severance/Season 01/Severance - S01E01.mkv',
			serverPath: '/data/tv/Severance/Season 01/Severance - S01E01.mkv',
			rule: '/tv → /data/tv',
		});
	});

	it('matches whole segments only', () => {
		expect(map('/media/movies2/Dune (2021)/Dune.mkv')).toEqual({
			path: '/media/movies2/Dune (2021)/Dune.mkv',
			serverPath: '/media/movies2/Dune (2021)/Dune.mkv',
			rule: null,
		});
		expect(map('/tvshows/x.mkv').rule).toBeNull();
	});

	it('prefers the longest prefix whatever the rule order', () => {
		expect(map('/tv/anime/Frieren/e1.mkv')).toMatchObject({
			serverPath: '/anime/Frieren/e1.mkv',
			rule: '/tv/anime → /anime',
		});
	});

	it('maps the folder itself, with or without trailing slashes on either side', () => {
		const slashes = pathMapper([{ from: '/media/movies/', to: '/data/movies/' }]);
		expect(slashes('/media/movies').serverPath).toBe('/data/movies');
		expect(slashes('/media/movies/').serverPath).toBe('/data/movies');
		expect(slashes('/media/movies//A/b.mkv').serverPath).toBe('/data/movies/A/b.mkv');
	});

	it('maps Windows drive paths without regard to case or separator, into the target style', () => {
		const windows = pathMapper([{ from: 'D:\\Media\\TV', to: '/data/tv' }]);
		expect(windows('d:\\media\\tv\\Show\\Season 1\\e1.mkv')).toEqual({
			path: 'd:\\media\\tv\\Show\\Season 1\\e1.mkv',
			serverPath: '/data/tv/Show/Season 1/e1.mkv',
			rule: 'D:\\Media\\TV → /data/tv',
		});
		expect(windows('D:/Media/TV/Show/e2.mkv').serverPath).toBe('/data/tv/Show/e2.mkv');
		expect(windows('D:\\Media\\TV2\\e.mkv').rule).toBeNull();
	});

	it('maps POSIX paths to Windows and UNC targets', () => {
		const toWindows = pathMapper([
			{ from: '/tv', to: 'E:\\Shows\\' },
			{ from: '/movies', to: '\\\\nas\\media\\movies' },
		]);
		expect(toWindows('/tv/Show/e1.mkv').serverPath).toBe('E:\\Shows\\Show\\e1.mkv');
		expect(toWindows('/movies/Dune (2021)/Dune.mkv').serverPath).toBe(
			'\\\\nas\\media\\movies\\Dune (2021)\\Dune.mkv',
		);
	});

	it('maps UNC sources, which never match a drive or POSIX path', () => {
		const unc = pathMapper([{ from: '\\\\NAS\\Media', to: '/mnt/media' }]);
		expect(unc('\\\\nas\\media\\tv\\e1.mkv').serverPath).toBe('/mnt/media/tv/e1.mkv');
		expect(unc('/nas/media/tv/e1.mkv').rule).toBeNull();
		expect(unc('C:\\nas\\media\\e1.mkv').rule).toBeNull();
	});

	it('is case-sensitive for POSIX paths', () => {
		expect(map('/TV/Show/e1.mkv').rule).toBeNull();
	});

	it('passes every path through when there are no rules', () => {
		expect(pathMapper([])('/tv/a.mkv')).toEqual({
			path: '/tv/a.mkv',
			serverPath: '/tv/a.mkv',
			rule: null,
		});
	});

	it('keeps the first of two equally long rules', () => {
		const twice = pathMapper([
			{ from: '/tv', to: '/first' },
			{ from: '/tv/', to: '/second' },
		]);
		expect(twice('/tv/a.mkv').serverPath).toBe('/first/a.mkv');
	});

	it('rejects empty and relative rules with the rule number', () => {
		expect(() => pathMapper([{ from: '/tv', to: '' }])).toThrow(
			new PathMappingError('Path mapping rule 1 needs both paths, "/tv" → ""'),
		);
		expect(() =>
			pathMapper([
				{ from: '/a', to: '/b' },
				{ from: 'tv', to: '/data/tv' },
			]),
		).toThrow(/^Path mapping rule 2 must use absolute paths/);
	});
});

describe('isWithin', () => {
	it.each([
		['/data/tv/Show/e1.mkv', '/data/tv', true],
		['/data/tv', '/data/tv/', true],
		['/data/tv2/Show', '/data/tv', false],
		['/data', '/data/tv', false],
		['C:\\Media\\TV\\Show', 'c:/media/tv', true],
		['\\\\nas\\tv\\Show', '\\\\NAS\\TV', true],
		['/nas/tv/Show', '\\\\nas\\tv', false],
	])('%s in %s: %s', (path, folder, expected) => {
		expect(isWithin(path, folder)).toBe(expected);
	});
});

describe('parentFolder and pathKey', () => {
	it('gives the containing folder in the path own style', () => {
		expect(parentFolder('/data/tv/Show/Season 01/e1.mkv')).toBe('/data/tv/Show/Season 01');
		expect(parentFolder('D:\\TV\\Show\\e1.mkv')).toBe('D:\\TV\\Show');
		expect(parentFolder('\\\\nas\\tv\\e1.mkv')).toBe('\\\\nas\\tv');
		expect(parentFolder('/')).toBe('/');
	});

	it('writes one path one way', () => {
		expect(pathKey('/data/tv//Show/')).toBe('/data/tv/Show');
		expect(pathKey('D:/TV/Show')).toBe(pathKey('d:\\tv\\show\\'));
		expect(pathKey('/data/TV')).not.toBe(pathKey('/data/tv'));
	});
});

describe('Kodi scan folders', () => {
	it('scans the show folder for an episode in a season folder, else the file folder', () => {
		expect(mediaFolderOf('/tv/Show/Season 02/Show - S02E03.mkv')).toBe('/tv/Show');
		expect(mediaFolderOf('/tv/Show/Specials/Show - S00E01.mkv')).toBe('/tv/Show');
		expect(mediaFolderOf('/movies/Dune (2021)/Dune.mkv')).toBe('/movies/Dune (2021)');
		expect(mediaFolderOf('D:\\TV\\Show\\Staffel 1\\e.mkv')).toBe('D:\\TV\\Show');
	});

	it('keeps one trailing separator', () => {
		expect(withTrailingSeparator('/tv/Show')).toBe('/tv/Show/');
		expect(withTrailingSeparator('/tv/Show//')).toBe('/tv/Show/');
		expect(withTrailingSeparator('D:\\TV')).toBe('D:\\TV\\');
	});

	it('lets a parent folder cover its children, each folder once', () => {
		const covering = coveringFolders(['/tv/A/Season 1', '/tv/A', '/tv/B', '/tv/A/', '/tv/AB']);
		expect([...new Set(covering.values())]).toEqual(['/tv/A', '/tv/B', '/tv/AB']);
		expect(covering.get('/tv/A/Season 1')).toBe('/tv/A');
		expect(covering.get('/tv/A/')).toBe('/tv/A');
	});
});

test('a path written with a trailing separator is scanned as the folder it is', () => {
	expect(mediaFolderOf('/tv/Show/')).toBe('/tv/Show');
	expect(mediaFolderOf('D:\\TV\\Show\\')).toBe('D:\\TV\\Show');
});

test('the deepest folder that holds a path', () => {
	const known = ['/srv/TV/', '/srv/TV/Show (2020)/', '/srv/Movies/'];
	expect(deepestFolderHolding('/srv/TV/Show (2020)/Season 1', known)).toBe('/srv/TV/Show (2020)/');
	expect(deepestFolderHolding('/srv/TV/New Show', known)).toBe('/srv/TV/');
	expect(deepestFolderHolding('/srv/Music/x', known)).toBeNull();
});
