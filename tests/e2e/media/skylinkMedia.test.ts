/**
 * Media through the public Skylink API, the project's server and real Chromium (fake camera and
 * microphone, auto-selected fake screen): pages join rooms with `joinRoom({ audio, video })`, and what
 * the far side receives is checked on real decoded frames (inbound-rtp `framesDecoded` from
 * `getConnectionStatus`, `<video>` size, presented frames and luma), not only on events.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startSkylinkServer, startStaticServer, type StaticServer, type TestSkylinkServer } from '../rig';
import { pageEvents, waitConnected, waitForPageEvent, type CorePage } from '../core/corePages';
import { decodedFramesGrow, openMediaPage, presentedFramesGrow, receivedVideoKbps, until } from './mediaPages';

jest.setTimeout(180_000);

type Detail = Record<string, any>;

/** Joins `roomName` with the given join options; resolves our peer id and what joinRoom resolved. */
async function joinWith(page: Page, roomName: string, options: Record<string, unknown>): Promise<{ peerId: string; resolved: unknown }> {
  return page.evaluate(
    async ({ r, o }) => {
      const t = (window as any).t;
      const result = await t.skylink.joinRoom({ roomName: r, ...o });
      const peers = t.skylink.getPeersInRoom(r) as Record<string, { isSelf: boolean }>;
      const resolved = Array.isArray(result) ? result.map((s: MediaStream | null) => (s ? { id: s.id, audio: s.getAudioTracks().length, video: s.getVideoTracks().length } : null)) : result;
      return { peerId: Object.keys(peers).find((id) => peers[id]?.isSelf) as string, resolved };
    },
    { r: roomName, o: options },
  );
}

/** The id of the camera (or screen, with `screen`) stream `page` received from `peerId`. */
async function incomingVideo(page: Page, roomName: string, peerId: string, screen = false): Promise<Detail> {
  const event = await waitForPageEvent(page, screen ? 'onIncomingScreenStream' : 'onIncomingStream', { roomName, peerId, isSelf: false, isVideo: true }, 60_000);
  return event.detail;
}

describe('media through the Skylink API and the real server', () => {
  let browser: Browser;
  let web: StaticServer;
  let server: TestSkylinkServer;
  const pages: CorePage[] = [];

  beforeAll(async () => {
    [web, server, browser] = await Promise.all([startStaticServer(), startSkylinkServer(), launchChromium()]);
  });
  afterEach(async () => {
    const errors = pages.flatMap((p) => p.logs.filter((l) => l.startsWith('[pageerror]')));
    for (const p of pages.splice(0)) await p.page.context().close();
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await web?.close();
  });

  async function open(n: number): Promise<CorePage[]> {
    const opened: CorePage[] = [];
    for (let i = 0; i < n; i += 1) opened.push(await openMediaPage(browser, web, server.roomServer));
    pages.push(...opened);
    return opened;
  }

  it('camera video decodes both ways; mute blacks it out and the far side sees STREAM_MUTED; unmute resumes', async () => {
    const [a, b] = (await open(2)) as [CorePage, CorePage];
    const joinedA = await joinWith(a.page, 'call', { audio: true, video: true, userData: 'a' });
    expect(joinedA.resolved).toEqual([
      { id: expect.any(String), audio: 1, video: 0 },
      { id: expect.any(String), audio: 0, video: 1 },
    ]);
    const joinedB = await joinWith(b.page, 'call', { audio: true, video: true, userData: 'b' });
    const [aId, bId] = [joinedA.peerId, joinedB.peerId];
    // Our own streams are announced after our PEER_JOINED, and our peerInfo shows them.
    await waitForPageEvent(a.page, 'onIncomingStream', { roomName: 'call', peerId: aId, isSelf: true, isVideo: true });
    const selfInfo = await a.page.evaluate(() => (window as any).t.skylink.getPeerInfo('call'));
    expect(Object.keys(selfInfo.settings.video)).toHaveLength(1);
    expect(Object.values(selfInfo.mediaStatus)).toEqual(expect.arrayContaining([{ audioMuted: -1, videoMuted: 1 }, { audioMuted: 1, videoMuted: -1 }]));

    await waitConnected(a.page, 'call', bId, 60_000);
    const fromA = await incomingVideo(b.page, 'call', aId);
    const fromB = await incomingVideo(a.page, 'call', bId);
    await b.page.evaluate((id) => (window as any).t.play(id, 'va'), fromA.streamId);
    await a.page.evaluate((id) => (window as any).t.play(id, 'vb'), fromB.streamId);
    await until(b.page, `t.width('va') > 0`);
    await until(a.page, `t.width('vb') > 0`);
    await decodedFramesGrow(b.page, 'call', aId);
    await decodedFramesGrow(a.page, 'call', bId);
    await until(b.page, `t.luma('va') > 40`);
    const liveKbps = await receivedVideoKbps(b.page, 'call', aId);

    // A mutes its camera in the room: the camera's frames stop (2.x: the track is disabled, so only
    // black frames travel, at a fraction of the bitrate), with no renegotiation.
    await a.page.evaluate(() => (window as any).t.skylink.muteStreams('call', { audioMuted: false, videoMuted: true }));
    const muted = await waitForPageEvent(b.page, 'streamMuted', { roomName: 'call', peerId: aId, isSelf: false, isVideo: true }, 30_000);
    expect(muted.detail.streamId).toBe(fromA.streamId);
    expect(muted.detail.peerInfo.mediaStatus[fromA.streamId]).toEqual({ audioMuted: -1, videoMuted: 0 });
    await waitForPageEvent(a.page, 'localMediaMuted', { roomName: 'call', streamId: fromA.streamId });
    await until(b.page, `t.luma('va') >= 0 && t.luma('va') < 5`);
    const mutedKbps = await receivedVideoKbps(b.page, 'call', aId);
    expect(mutedKbps).toBeLessThan(liveKbps / 4);
    expect(await b.page.evaluate(() => (window as any).t.luma('va'))).toBeLessThan(5);
    const info = await b.page.evaluate(([p]) => (window as any).t.skylink.getPeerInfo('call', p), [aId]);
    expect(info.mediaStatus[fromA.streamId]).toEqual({ audioMuted: -1, videoMuted: 0 });

    // Unmute: STREAM_MUTED again, frames and picture come back, on the same stream.
    await a.page.evaluate(() => (window as any).t.skylink.muteStreams('call', { audioMuted: false, videoMuted: false }));
    await until(b.page, `t.events.filter((e) => e.name === 'streamMuted' && e.detail.isSelf === false && e.detail.peerInfo.mediaStatus[${JSON.stringify(fromA.streamId)}]?.videoMuted === 1).length === 1`);
    await until(b.page, `t.luma('va') > 40`);
    await presentedFramesGrow(b.page, 'va');
    await decodedFramesGrow(b.page, 'call', aId);

    // The other way round: B mutes its microphone, A sees it.
    await b.page.evaluate(() => (window as any).t.skylink.muteStreams('call', { audioMuted: true, videoMuted: false }));
    const audioMuted = await waitForPageEvent(a.page, 'streamMuted', { roomName: 'call', peerId: bId, isSelf: false, isAudio: true }, 30_000);
    expect(Object.values(audioMuted.detail.peerInfo.mediaStatus)).toContainEqual({ audioMuted: 0, videoMuted: -1 });
    // No renegotiation was needed for any of this: still one connection, no new stream.
    expect(await pageEvents(b.page, 'onIncomingStream', { peerId: aId, isVideo: true })).toHaveLength(1);
    expect(await pageEvents(b.page, 'peerLeft')).toEqual([]);
  });
});
