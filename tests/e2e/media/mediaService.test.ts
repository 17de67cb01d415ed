/**
 * The media service in real Chromium (fake camera/microphone, auto-selected fake screen): real
 * getUserMedia / getDisplayMedia, real RTCPeerConnections on loopback, frames decoded on the far side.
 * The page harness (pageEntry.ts) plays the room: it pairs endpoints and carries offers/answers,
 * mediaInfoList and mediaInfoEvents between their RoomMediaControllers. Waits use waitForFunction.
 */
import { resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, startStaticServer, type StaticServer } from '../rig';

jest.setTimeout(90_000);

type Win = Record<string, any>;

let harness = '';

async function bundleHarness(): Promise<string> {
  const out = await build({
    entryPoints: [resolve(__dirname, 'pageEntry.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

describe('media service in real Chromium', () => {
  let browser: Browser;
  let web: StaticServer;
  let page: Page;
  let logs: string[];

  beforeAll(async () => {
    harness = await bundleHarness();
    web = await startStaticServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });
  beforeEach(async () => {
    ({ page, logs } = await openPage(browser, `${web.url}/pages/blank.html`));
    await page.addScriptTag({ content: harness });
  });
  afterEach(async () => {
    await page.context().close();
    if (logs.some((l) => l.startsWith('[pageerror]'))) throw new Error(logs.join('\n'));
  });

  /** Waits until `fn` (run in the page) is truthy, returning its value. */
  async function until<T>(fn: string, timeout = 40_000): Promise<T> {
    const handle = await page.waitForFunction(fn, null, { timeout, polling: 100 });
    return (await handle.jsonValue()) as T;
  }

  /** Remote frames of `from`'s camera decoded at `to` keep increasing (in room `room`). */
  async function framesGrow(to: string, from: string, room: string): Promise<void> {
    const before = await page.evaluate(([t, f, r]) => (window as Win).M.framesDecoded((window as Win)[t!].link(r, f).pc), [to, from, room]);
    await until(
      `(async () => (await M.framesDecoded(window.${to}.link('${room}', '${from}').pc)) > ${before + 10})()`,
    );
  }

  it('sends camera video that decodes remotely; mute blacks it out on one side only after STREAM_MUTED, unmute restores it', async () => {
    await page.evaluate(async () => {
      const w = window as Win;
      w.A = new w.M.Endpoint('A');
      w.B = new w.M.Endpoint('B');
      await w.A.room('r').getUserMedia({ audio: true, video: true });
      await w.M.connect('r', w.A, w.B);
    });
    const incoming = await until<Array<{ streamId: string; isVideo: boolean }>>(
      `(() => { const e = B.events.filter(x => x.name === 'onIncomingStream'); return e.length === 2 && e.map(x => x.detail); })()`,
    );
    expect(incoming.map((d) => d.isVideo).sort()).toEqual([false, true]);
    const videoId = incoming.find((d) => d.isVideo)!.streamId;
    await page.evaluate((id) => {
      const w = window as Win;
      w.M.play(w.M.streamsOf(w.B, 'r', 'A')[id], 'bv');
    }, videoId);
    await until(`document.getElementById('bv').videoWidth > 0`);
    await framesGrow('B', 'A', 'r');
    await until(`M.luma(document.getElementById('bv')) > 40`);

    await page.evaluate(() => (window as Win).A.room('r').muteStreams({ audioMuted: false, videoMuted: true }));
    const muted = await until<Record<string, unknown>>(
      `(() => { const e = B.events.find(x => x.name === 'streamMuted'); return e && e.detail; })()`,
    );
    expect(muted).toMatchObject({ peerId: 'A', isSelf: false, streamId: videoId, isVideo: true, isAudio: false });
    expect(muted.peerInfo).toEqual({ mediaStatus: expect.objectContaining({ [videoId]: { audioMuted: -1, videoMuted: 0 } }) });
    await until(`M.luma(document.getElementById('bv')) < 5`);

    await page.evaluate(() => (window as Win).A.room('r').muteStreams({ audioMuted: false, videoMuted: false }));
    await until(`B.events.filter(x => x.name === 'streamMuted').length === 2`);
    await until(`M.luma(document.getElementById('bv')) > 40`);
    expect(await page.evaluate(() => (window as Win).A.renegotiations.length)).toBe(0);
  });

  it('asks Chrome for the resolution it means: HD gives 1280x720, the default VGA', async () => {
    const sizes = await page.evaluate(async () => {
      const w = window as Win;
      const e = new w.M.Endpoint('A');
      const [, hd] = await e.room('hd').getUserMedia({ video: { resolution: { width: 1280, height: 720 } } });
      const [, vga] = await e.room('vga').getUserMedia({ video: true });
      const s = (m: MediaStream) => m.getVideoTracks()[0]!.getSettings();
      return { hd: [s(hd).width, s(hd).height], vga: [s(vga).width, s(vga).height] };
    });
    expect(sizes).toEqual({ hd: [1280, 720], vga: [640, 480] });
  });

  it('delivers a screen share as ON_INCOMING_SCREEN_STREAM; stopping it keeps the camera going', async () => {
    await page.evaluate(async () => {
      const w = window as Win;
      w.A = new w.M.Endpoint('A');
      w.B = new w.M.Endpoint('B');
      await w.A.room('r').getUserMedia({ video: true });
      await w.M.connect('r', w.A, w.B);
      w.screen = await w.A.room('r').shareScreen();
    });
    const screenEvent = await until<Record<string, unknown>>(
      `(() => { const e = B.events.find(x => x.name === 'onIncomingScreenStream'); return e && e.detail; })()`,
    );
    const screenId = await page.evaluate(() => (window as Win).screen.id as string);
    expect(screenEvent).toMatchObject({ peerId: 'A', isSelf: false, isVideo: true, streamId: screenId });
    expect(await page.evaluate(() => (window as Win).B.events.filter((x: { name: string }) => x.name === 'onIncomingStream').length)).toBe(1);
    await page.evaluate((id) => (window as Win).M.play((window as Win).M.streamsOf((window as Win).B, 'r', 'A')[id], 'bs'), screenId);
    await until(`document.getElementById('bs').videoWidth > 0`);

    await page.evaluate(() => (window as Win).A.room('r').stopScreen());
    const ended = await until<Record<string, unknown>>(
      `(() => { const e = B.events.find(x => x.name === 'streamEnded'); return e && e.detail; })()`,
    );
    expect(ended).toMatchObject({ peerId: 'A', isSelf: false, isScreensharing: true, streamId: screenId });
    const aEvents = await page.evaluate(() => (window as Win).A.events.map((x: { name: string }) => x.name));
    expect(aEvents).toEqual(expect.arrayContaining(['onIncomingScreenStream', 'streamEnded', 'mediaAccessStopped']));
    // The camera is still sent and decoded.
    await framesGrow('B', 'A', 'r');
    expect(await page.evaluate(() => Object.keys((window as Win).B.room('r').getStreams(false).A.streams.video))).toHaveLength(1);
  });

  it('switches the camera with replaceTrack: same stream, no renegotiation, frames keep coming', async () => {
    await page.evaluate(async () => {
      const w = window as Win;
      w.A = new w.M.Endpoint('A');
      w.B = new w.M.Endpoint('B');
      const [, video] = await w.A.room('r').getUserMedia({ video: true });
      w.firstTrack = video.getVideoTracks()[0];
      await w.M.connect('r', w.A, w.B);
    });
    await framesGrow('B', 'A', 'r');
    const result = await page.evaluate(async () => {
      const w = window as Win;
      const cams = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
      const target = cams[cams.length - 1]!.deviceId;
      const before = w.A.renegotiations.length;
      const info = await w.A.room('r').switchDevice('video', target);
      const sender = w.A.link('r', 'B').pc.getSenders().find((s: RTCRtpSender) => s.track?.kind === 'video');
      return {
        renegotiated: w.A.renegotiations.length - before,
        sameStream: info.stream.getVideoTracks()[0] === sender.track,
        replaced: w.firstTrack.readyState,
        state: w.A.link('r', 'B').pc.connectionState,
      };
    });
    expect(result).toEqual({ renegotiated: 0, sameStream: true, replaced: 'ended', state: 'connected' });
    await framesGrow('B', 'A', 'r');
  });

  it('sends one camera into two rooms and mutes it in one room only', async () => {
    await page.evaluate(async () => {
      const w = window as Win;
      w.A = new w.M.Endpoint('A');
      w.B = new w.M.Endpoint('B');
      w.C = new w.M.Endpoint('C');
      const [, video] = await w.A.media.getUserMedia(null, { video: true });
      w.A.room('r1').useStreams([video]);
      w.A.room('r2').useStreams([video]);
      await w.M.connect('r1', w.A, w.B);
      await w.M.connect('r2', w.A, w.C);
    });
    const ids = await until<string[]>(
      `(() => { const b = B.events.find(x => x.name === 'onIncomingStream'); const c = C.events.find(x => x.name === 'onIncomingStream'); return b && c && [b.detail.streamId, c.detail.streamId]; })()`,
    );
    await page.evaluate(([b, c]) => {
      const w = window as Win;
      w.M.play(w.M.streamsOf(w.B, 'r1', 'A')[b!], 'vb');
      w.M.play(w.M.streamsOf(w.C, 'r2', 'A')[c!], 'vc');
    }, ids);
    await until(`M.luma(document.getElementById('vb')) > 40 && M.luma(document.getElementById('vc')) > 40`);
    await page.evaluate(() => (window as Win).A.room('r1').muteStreams({ audioMuted: false, videoMuted: true }));
    await until(`B.events.some(x => x.name === 'streamMuted')`);
    await until(`M.luma(document.getElementById('vb')) < 5`);
    await framesGrow('C', 'A', 'r2');
    expect(await page.evaluate(() => (window as Win).M.luma(document.getElementById('vc')))).toBeGreaterThan(40);
    expect(await page.evaluate(() => (window as Win).C.events.some((x: { name: string }) => x.name === 'streamMuted'))).toBe(false);
    // Stopping in r1 leaves r2 sending.
    await page.evaluate(() => (window as Win).A.room('r1').stopStreams());
    await framesGrow('C', 'A', 'r2');
  });

  it('caps the video bitrate with RTCRtpSender.setParameters', async () => {
    const measured = await page.evaluate(async () => {
      const w = window as Win;
      w.A = new w.M.Endpoint('A');
      w.B = new w.M.Endpoint('B');
      w.A.bandwidth = { video: 100 };
      await w.A.room('r').getUserMedia({ video: { resolution: { width: 1280, height: 720 } } });
      await w.M.connect('r', w.A, w.B);
      const pc: RTCPeerConnection = w.A.link('r', 'B').pc;
      const sender = pc.getSenders().find((s) => s.track?.kind === 'video')!;
      return { maxBitrate: sender.getParameters().encodings[0]?.maxBitrate };
    });
    expect(measured.maxBitrate).toBe(100_000);
    // Measure the sending rate over 3 s of real time once frames flow.
    await framesGrow('B', 'A', 'r');
    const start = await page.evaluate(async () => ({ bytes: await (window as Win).M.videoBytesSent((window as Win).A.link('r', 'B').pc), t: performance.now() }));
    await page.waitForFunction((t0) => performance.now() - t0 > 3000, start.t, { polling: 250 });
    const end = await page.evaluate(async () => ({ bytes: await (window as Win).M.videoBytesSent((window as Win).A.link('r', 'B').pc), t: performance.now() }));
    const kbps = ((end.bytes - start.bytes) * 8) / (end.t - start.t);
    expect(kbps).toBeLessThan(180);
  });

  it('reports audio activity of a remote peer from its RTP audio levels (fake mic beeps)', async () => {
    await page.evaluate(async () => {
      const w = window as Win;
      w.A = new w.M.Endpoint('A');
      w.B = new w.M.Endpoint('B');
      await w.A.room('r').getUserMedia({ audio: true });
      await w.M.connect('r', w.A, w.B);
      w.B.room('r').announceLocalStreams();
    });
    // Like any app, play the remote audio (Chrome only decodes received audio that is played).
    const audioId = await until<string>(`(() => { const e = B.events.find(x => x.name === 'onIncomingStream'); return e && e.detail.streamId; })()`);
    await page.evaluate((id) => (window as Win).M.play((window as Win).M.streamsOf((window as Win).B, 'r', 'A')[id], 'ba'), audioId);
    const report = await until<Record<string, unknown>>(
      `(() => { const e = B.events.find(x => x.name === 'audioActivity' && x.detail.peerId === 'A' && x.detail.isSpeaking); return e && e.detail; })()`,
    );
    expect(report).toMatchObject({ roomName: 'r', peerId: 'A', isSelf: false, isSpeaking: true });
    expect(report.audioLevel as number).toBeGreaterThan(0.02);
    await until(`B.events.some(x => x.name === 'activeSpeaker' && x.detail.peerId === 'A')`);
  });
});
