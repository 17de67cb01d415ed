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

/**
 * Chromium's fake capture with three cameras, so a device switch really changes device. The switch
 * targets `fake_device_2`: `fake_device_1` is Chromium's fake depth camera (16-bit Y16 frames), which
 * plays locally but which WebRTC does not encode.
 */
const CAMERAS = '--use-fake-device-for-media-stream=device-count=3';

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
    [web, server, browser] = await Promise.all([startStaticServer(), startSkylinkServer(), launchChromium([CAMERAS])]);
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
    expect((muted.detail as Detail).peerInfo.mediaStatus[fromA.streamId]).toEqual({ audioMuted: -1, videoMuted: 0 });
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
    expect(Object.values((audioMuted.detail as Detail).peerInfo.mediaStatus)).toContainEqual({ audioMuted: 0, videoMuted: -1 });
    // No renegotiation was needed for any of this: still one connection, no new stream.
    expect(await pageEvents(b.page, 'onIncomingStream', { peerId: aId, isVideo: true })).toHaveLength(1);
    expect(await pageEvents(b.page, 'peerLeft')).toEqual([]);
  });

  it('a screen share arrives as ON_INCOMING_SCREEN_STREAM next to the camera; stopScreen restores the camera', async () => {
    const [a, b] = (await open(2)) as [CorePage, CorePage];
    const { peerId: bId } = await joinWith(b.page, 'screen', {});
    const { peerId: aId } = await joinWith(a.page, 'screen', { video: true });
    await waitConnected(a.page, 'screen', bId, 60_000);
    const camera = await incomingVideo(b.page, 'screen', aId);
    await b.page.evaluate((id) => (window as any).t.play(id, 'cam'), camera.streamId);
    await until(b.page, `t.width('cam') > 0`);

    const screenId = await a.page.evaluate(async () => ((await (window as any).t.skylink.shareScreen('screen')) as MediaStream).id);
    const screen = await incomingVideo(b.page, 'screen', aId, true);
    expect(screen.streamId).toBe(screenId);
    await b.page.evaluate((id) => (window as any).t.play(id, 'scr'), screen.streamId);
    await until(b.page, `t.width('scr') > 0`);
    await presentedFramesGrow(b.page, 'scr');
    await presentedFramesGrow(b.page, 'cam');
    const buckets = await b.page.evaluate((p) => {
      const s = (window as any).t.skylink.getStreams('screen')[p].streams;
      return { video: Object.keys(s.video ?? {}), screenShare: Object.keys(s.screenShare ?? {}) };
    }, aId);
    expect(buckets).toEqual({ video: [camera.streamId], screenShare: [screenId] });
    await waitForPageEvent(a.page, 'onIncomingScreenStream', { roomName: 'screen', peerId: aId, isSelf: true, streamId: screenId });

    await a.page.evaluate(() => (window as any).t.skylink.stopScreen('screen'));
    const ended = await waitForPageEvent(b.page, 'streamEnded', { roomName: 'screen', peerId: aId, isSelf: false, isScreensharing: true }, 30_000);
    expect(ended.detail.streamId).toBe(screenId);
    await waitForPageEvent(a.page, 'mediaAccessStopped', { roomName: 'screen', isScreensharing: true, streamId: screenId });
    // The camera is announced again and keeps playing at the far side.
    await until(a.page, `t.events.filter((e) => e.name === 'onIncomingStream' && e.detail.isSelf && e.detail.isVideo).length === 2`);
    await presentedFramesGrow(b.page, 'cam');
    await decodedFramesGrow(b.page, 'screen', aId);
    expect(await pageEvents(b.page, 'streamEnded', { peerId: aId, isScreensharing: false })).toEqual([]);
  });

  it('switching the camera mid-call keeps the connection and the stream', async () => {
    const [a, b] = (await open(2)) as [CorePage, CorePage];
    const { peerId: bId } = await joinWith(b.page, 'switch', {});
    const { peerId: aId } = await joinWith(a.page, 'switch', { audio: true, video: true });
    await waitConnected(a.page, 'switch', bId, 60_000);
    const camera = await incomingVideo(b.page, 'switch', aId);
    await b.page.evaluate((id) => (window as any).t.play(id, 'cam'), camera.streamId);
    await decodedFramesGrow(b.page, 'switch', aId);

    const result = await a.page.evaluate(async () => {
      const t = (window as any).t;
      const sources = await t.skylink.getStreamSources();
      const streams = t.skylink.getStreams('switch');
      const self = Object.keys(streams).find((k: string) => streams[k].isSelf)!;
      const before = Object.values(streams[self].streams.video)[0] as MediaStream;
      const oldTrack = before.getVideoTracks()[0]!;
      const target = sources.video.input.find((d: { label: string }) => d.label === 'fake_device_2');
      const stream: MediaStream = await t.skylink.switchDevice('switch', 'video', target.deviceId);
      const newTrack = stream.getVideoTracks()[0]!;
      return {
        cameras: sources.video.input.length,
        otherDevice: target.deviceId !== oldTrack.getSettings().deviceId,
        labels: sources.video.input.every((d: { label: string }) => d.label !== ''),
        sameStream: stream.id === before.id,
        oldTrack: oldTrack.readyState,
        newTrack: newTrack.readyState,
        newDevice: newTrack.getSettings().deviceId === target.deviceId,
        replaced: newTrack !== oldTrack,
      };
    });
    expect(result).toEqual({ cameras: 3, otherDevice: true, labels: true, sameStream: true, oldTrack: 'ended', newTrack: 'live', newDevice: true, replaced: true });
    // Still the same connection and the same remote stream, and it keeps decoding.
    await presentedFramesGrow(b.page, 'cam');
    await decodedFramesGrow(b.page, 'switch', aId);
    expect(await pageEvents(b.page, 'onIncomingStream', { peerId: aId, isVideo: true })).toHaveLength(1);
    expect(await pageEvents(a.page, 'peerLeft')).toEqual([]);
    expect(await pageEvents(a.page, 'iceConnectionState', { peerId: bId, state: 'failed' })).toEqual([]);
    expect(await pageEvents(a.page, 'iceConnectionState', { peerId: bId, state: 'disconnected' })).toEqual([]);
  });

  it('one camera in two rooms: muting and stopping in one room leave the other room untouched', async () => {
    const [a, b, c] = (await open(3)) as [CorePage, CorePage, CorePage];
    const { peerId: bId } = await joinWith(b.page, 'room-1', {});
    const { peerId: cId } = await joinWith(c.page, 'room-2', {});
    const aIds = await a.page.evaluate(async () => {
      const t = (window as any).t;
      const [, video] = await t.skylink.getUserMedia(null, { video: true });
      t.camera = video;
      await t.skylink.joinRoom({ roomName: 'room-1' }, video);
      await t.skylink.joinRoom({ roomName: 'room-2' }, [video]);
      const self = (r: string) => Object.keys(t.skylink.getPeersInRoom(r)).find((k) => t.skylink.getPeersInRoom(r)[k].isSelf);
      return [self('room-1'), self('room-2')] as [string, string];
    });
    await waitConnected(a.page, 'room-1', bId, 60_000);
    await waitConnected(a.page, 'room-2', cId, 60_000);
    const inB = await incomingVideo(b.page, 'room-1', aIds[0]);
    const inC = await incomingVideo(c.page, 'room-2', aIds[1]);
    await b.page.evaluate((id) => (window as any).t.play(id, 'cam'), inB.streamId);
    await c.page.evaluate((id) => (window as any).t.play(id, 'cam'), inC.streamId);
    await until(b.page, `t.luma('cam') > 40`);
    await until(c.page, `t.luma('cam') > 40`);

    await a.page.evaluate(() => (window as any).t.skylink.muteStreams('room-1', { audioMuted: false, videoMuted: true }));
    await waitForPageEvent(b.page, 'streamMuted', { roomName: 'room-1', peerId: aIds[0], isVideo: true });
    await until(b.page, `t.luma('cam') >= 0 && t.luma('cam') < 5`);
    await presentedFramesGrow(c.page, 'cam');
    expect(await c.page.evaluate(() => (window as any).t.luma('cam'))).toBeGreaterThan(40);
    expect(await pageEvents(c.page, 'streamMuted')).toEqual([]);
    const status = await a.page.evaluate(() => {
      const t = (window as any).t;
      return [Object.values(t.skylink.getPeerInfo('room-1').mediaStatus), Object.values(t.skylink.getPeerInfo('room-2').mediaStatus)];
    });
    expect(status).toEqual([[{ audioMuted: -1, videoMuted: 0 }], [{ audioMuted: -1, videoMuted: 1 }]]);

    // Stopping in room 1 ends the stream there only; room 2 keeps sending the same camera.
    await a.page.evaluate(() => (window as any).t.skylink.stopStreams('room-1'));
    await waitForPageEvent(b.page, 'streamEnded', { roomName: 'room-1', peerId: aIds[0], isSelf: false }, 30_000);
    await presentedFramesGrow(c.page, 'cam');
    await decodedFramesGrow(c.page, 'room-2', aIds[1]);
    expect(await a.page.evaluate(() => (window as any).t.camera.getVideoTracks()[0].readyState)).toBe('live');
    expect(await pageEvents(c.page, 'streamEnded')).toEqual([]);
  });

  it('a peer without media that joins later still receives the camera and microphone of the peers already in the room', async () => {
    const [a, b] = (await open(2)) as [CorePage, CorePage];
    const { peerId: aId } = await joinWith(a.page, 'viewer', { audio: true, video: true });
    const { peerId: bId } = await joinWith(b.page, 'viewer', {});
    await waitConnected(b.page, 'viewer', aId, 60_000);
    const camera = await incomingVideo(b.page, 'viewer', aId);
    await waitForPageEvent(b.page, 'onIncomingStream', { roomName: 'viewer', peerId: aId, isSelf: false, isAudio: true }, 30_000);
    await b.page.evaluate((id) => (window as any).t.play(id, 'cam'), camera.streamId);
    await until(b.page, `t.luma('cam') > 40`);
    await decodedFramesGrow(b.page, 'viewer', aId);
    // And the viewer can still start its own camera later (sendStream renegotiates).
    await b.page.evaluate(() => (window as any).t.skylink.sendStream('viewer', { video: true }));
    const back = await incomingVideo(a.page, 'viewer', bId);
    await a.page.evaluate((id) => (window as any).t.play(id, 'cam'), back.streamId);
    await decodedFramesGrow(a.page, 'viewer', bId);
    expect(await pageEvents(a.page, 'peerLeft')).toEqual([]);
  });

  it('beyond 2.x: AUDIO_ACTIVITY and ACTIVE_SPEAKER report who speaks, from the received audio', async () => {
    const [a, b] = (await open(2)) as [CorePage, CorePage];
    const { peerId: bId } = await joinWith(b.page, 'speak', {});
    const { peerId: aId } = await joinWith(a.page, 'speak', { audio: true });
    await waitConnected(b.page, 'speak', aId, 60_000);
    const mic = (await waitForPageEvent(b.page, 'onIncomingStream', { roomName: 'speak', peerId: aId, isSelf: false, isAudio: true }, 30_000)).detail as Detail;
    // Like any call, the app plays the remote audio (Chromium decodes received audio only when played).
    await b.page.evaluate((id) => (window as any).t.play(id, 'mic'), mic.streamId);
    const activity = (await waitForPageEvent(b.page, 'audioActivity', { roomName: 'speak', peerId: aId, isSelf: false, isSpeaking: true }, 30_000)).detail as Detail;
    expect(activity.audioLevel).toBeGreaterThan(0.03);
    expect(activity.room).toMatchObject({ roomName: 'speak' });
    await waitForPageEvent(b.page, 'activeSpeaker', { roomName: 'speak', peerId: aId, isSelf: false }, 30_000);
    // The speaker measures itself too, from its microphone sender.
    await waitForPageEvent(a.page, 'audioActivity', { roomName: 'speak', peerId: aId, isSelf: true, isSpeaking: true }, 30_000);
    expect(await pageEvents(a.page, 'audioActivity', { peerId: bId })).toEqual([]);
  });
});
