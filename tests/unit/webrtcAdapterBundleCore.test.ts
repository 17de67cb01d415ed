/**
 * The self-contained browser bundles load webrtc-adapter through scripts/webrtc-adapter-bundle-core.mjs
 * (see tsup.config.ts). It must run the same shims, in the same order, as the installed package's
 * adapterFactory, minus the few that are no-ops on the browsers the bundles target. A webrtc-adapter
 * upgrade that adds, removes or reorders a shim fails here instead of silently changing the bundle.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const adapterJs = join(root, 'node_modules/webrtc-adapter/src/js');
const packageFactory = readFileSync(join(adapterJs, 'adapter_factory.js'), 'utf8');
const bundleCore = readFileSync(join(root, 'scripts/webrtc-adapter-bundle-core.mjs'), 'utf8');

/** The shim calls of each `case '<browser>':` block, in order ("chromeShim.shimOnTrack", ...). */
function shimCalls(source: string): Record<string, string[]> {
  const calls: Record<string, string[]> = {};
  const cases = source.split(/\n\s*case '(\w+)':\n/);
  for (let i = 1; i < cases.length; i += 2) {
    const body = (cases[i + 1] ?? '').split(/\n\s*(?:case '|default:)/)[0] ?? '';
    calls[cases[i] as string] = [...body.matchAll(/\b(\w+Shim\.\w+)\(window\b/g)].map((m) => m[1] as string);
  }
  return calls;
}

// The shims the bundle core leaves out, per browser (each documented in the core's header comment).
const SKIPPED: Record<string, string[]> = {
  chrome: [
    'chromeShim.shimGetUserMedia',
    'chromeShim.shimGetSendersWithDtmf',
    'chromeShim.shimSenderReceiverGetStats',
    'commonShim.removeExtmapAllowMixed',
  ],
  firefox: [],
  safari: [],
};

describe('webrtc-adapter core of the browser bundles', () => {
  const pkg = shimCalls(packageFactory);
  const core = shimCalls(bundleCore);

  it('handles the same browsers as the package', () => {
    expect(Object.keys(pkg).sort()).toEqual(['chrome', 'firefox', 'safari']);
    expect(Object.keys(core).sort()).toEqual(Object.keys(pkg).sort());
  });

  it.each(['chrome', 'firefox', 'safari'])('runs the package shims for %s in the same order, minus the no-ops', (browser) => {
    const expected = (pkg[browser] ?? [])
      .filter((call) => !(SKIPPED[browser] ?? []).includes(call))
      // The core calls the native-addTrack half of shimAddTrackRemoveTrack directly.
      .map((call) => (call === 'chromeShim.shimAddTrackRemoveTrack' ? 'chromeShim.shimAddTrackRemoveTrackWithNative' : call));
    expect(core[browser]).toEqual(expected);
  });

  it('relies on version guards that still make the skipped chrome shims no-ops on Chrome 91+', () => {
    const chromeShim = readFileSync(join(adapterJs, 'chrome/chrome_shim.js'), 'utf8');
    const chromeGum = readFileSync(join(adapterJs, 'chrome/getusermedia.js'), 'utf8');
    const commonShim = readFileSync(join(adapterJs, 'common_shim.js'), 'utf8');
    expect(chromeGum).toMatch(/export function shimGetUserMedia\(window, browserDetails\) \{\s*if \(browserDetails\.version >= 64\) \{\s*return;/);
    expect(chromeShim).toMatch(/export function shimSenderReceiverGetStats\(window, browserDetails\) \{\s*if \(browserDetails\.version >= 67\) \{\s*return;/);
    expect(chromeShim).toMatch(/!\('dtmf' in window\.RTCRtpSender\.prototype\)/);
    expect(chromeShim).toMatch(
      /window\.RTCPeerConnection\.prototype\.addTrack &&\s*browserDetails\.version >= 65\) \{\s*return shimAddTrackRemoveTrackWithNative\(window\);/,
    );
    expect(commonShim).toMatch(/browserDetails\.browser === 'chrome' && browserDetails\.version >= 71\) \{\s*return;/);
    expect(bundleCore).toMatch(
      /if \(window\.RTCPeerConnection && window\.RTCPeerConnection\.prototype\.addTrack && browserDetails\.version >= 65\) \{\s*chromeShim\.shimAddTrackRemoveTrackWithNative\(window/,
    );
  });

  it('skips the chrome shims only when the browser reports a version, as the package does', () => {
    expect(packageFactory).toMatch(/case 'chrome':[\s\S]*?if \(browserDetails\.version === null\) \{/);
    expect(bundleCore).toMatch(/case 'chrome':\s*if \(browserDetails\.version === null\) break;/);
  });
});
