import { AudioActivityMonitor, receiverAudioLevel, senderAudioLevel } from '../../../src/media/AudioActivityMonitor';
import type { AudioActivityReport } from '../../../src/media/AudioActivityMonitor';
import { FakeCaptureSource, FakeMediaStreamTrack, asTrack } from '../../fakes/media/FakeMediaStreamTrack';

/** A level source whose value the test sets. */
function level(initial: number | null = 0) {
  const state = { value: initial, calls: 0 };
  const source = () => {
    state.calls += 1;
    return state.value;
  };
  return { state, source };
}

function setup(options: Partial<ConstructorParameters<typeof AudioActivityMonitor>[0]> = {}) {
  const reports: Array<AudioActivityReport & { t: number }> = [];
  const speakers: Array<{ roomKey: string; peerId: string | null; t: number }> = [];
  const start = Date.now();
  const monitor = new AudioActivityMonitor({
    onAudioActivity: (r) => reports.push({ ...r, t: Date.now() - start }),
    onActiveSpeakerChanged: (roomKey, peerId) => speakers.push({ roomKey, peerId, t: Date.now() - start }),
    ...options,
  });
  return { monitor, reports, speakers };
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('AudioActivityMonitor', () => {
  it('reports speech start at once, throttles while speaking, reports the stop after the hold, nothing in silence', async () => {
    const { monitor, reports } = setup();
    const a = level(0);
    monitor.addSource('r', 'alice', a.source);
    await jest.advanceTimersByTimeAsync(1000);
    expect(reports).toEqual([]);
    a.state.value = 0.2;
    await jest.advanceTimersByTimeAsync(1000); // speaking from t=1100 to t=2000
    expect(reports.map((r) => [r.t, r.isSpeaking])).toEqual([
      [1100, true],
      [1400, true],
      [1700, true],
      [2000, true],
    ]);
    expect(reports[0]).toMatchObject({ roomKey: 'r', peerId: 'alice', audioLevel: 0.2 });
    a.state.value = 0.001;
    await jest.advanceTimersByTimeAsync(2000);
    const after = reports.slice(4);
    // Still "speaking" during the 800 ms hold (throttled reports), then one stop report, then nothing.
    expect(after.at(-1)).toMatchObject({ t: 2900, isSpeaking: false, audioLevel: 0.001 });
    expect(after.filter((r) => !r.isSpeaking)).toHaveLength(1);
    expect(monitor.getAudioLevels('r')).toEqual({ alice: { audioLevel: 0.001, isSpeaking: false } });
    monitor.dispose();
  });

  it('elects the loudest speaker and keeps the floor for the hold time', async () => {
    const { monitor, speakers } = setup();
    const a = level(0.3);
    const b = level(0.05);
    monitor.addSource('r', 'alice', a.source);
    monitor.addSource('r', 'bob', b.source);
    await jest.advanceTimersByTimeAsync(100);
    expect(speakers).toEqual([{ roomKey: 'r', peerId: 'alice', t: 100 }]);
    b.state.value = 0.9; // bob gets louder while alice still speaks
    await jest.advanceTimersByTimeAsync(1000);
    expect(monitor.getActiveSpeaker('r')).toBe('alice');
    await jest.advanceTimersByTimeAsync(500);
    expect(speakers.map((s) => [s.peerId, s.t])).toEqual([
      ['alice', 100],
      ['bob', 1600],
    ]);
    // Everybody silent: after the hold, nobody is active.
    a.state.value = 0;
    b.state.value = 0;
    await jest.advanceTimersByTimeAsync(1000);
    expect(speakers.at(-1)).toMatchObject({ peerId: null });
    monitor.dispose();
  });

  it('switches at once when the active speaker stops', async () => {
    const { monitor, speakers } = setup({ silenceHoldMs: 200 });
    const a = level(0.5);
    const b = level(0);
    monitor.addSource('r', 'alice', a.source);
    monitor.addSource('r', 'bob', b.source);
    await jest.advanceTimersByTimeAsync(100);
    a.state.value = 0;
    b.state.value = 0.4;
    await jest.advanceTimersByTimeAsync(400);
    expect(speakers.map((s) => s.peerId)).toEqual(['alice', 'bob']);
    expect(speakers[1]!.t).toBeLessThan(1600);
    monitor.dispose();
  });

  it('takes the loudest of several sources per peer, skips unknown and failing ones', async () => {
    const { monitor } = setup();
    const quiet = level(0.01);
    const loud = level(0.5);
    const unknown = level(null);
    monitor.addSource('r', 'p', quiet.source);
    const removeLoud = monitor.addSource('r', 'p', loud.source);
    monitor.addSource('r', 'p', unknown.source);
    monitor.addSource('r', 'p', () => {
      throw new Error('getStats failed');
    });
    await jest.advanceTimersByTimeAsync(100);
    expect(monitor.getAudioLevels('r').p!.audioLevel).toBe(0.5);
    removeLoud();
    await jest.advanceTimersByTimeAsync(100);
    expect(monitor.getAudioLevels('r').p!.audioLevel).toBe(0.01);
    monitor.dispose();
  });

  it('does not pile up polls behind a slow source', async () => {
    const { monitor } = setup();
    let calls = 0;
    monitor.addSource('r', 'p', () => {
      calls += 1;
      return new Promise<number>((resolve) => setTimeout(() => resolve(0.1), 1000));
    });
    await jest.advanceTimersByTimeAsync(1050);
    expect(calls).toBe(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
    monitor.dispose();
  });

  it('gives up on a read that never settles, so the other peers keep being reported', async () => {
    const { monitor, reports } = setup();
    let hungCalls = 0;
    monitor.addSource('r', 'stuck', () => {
      hungCalls += 1;
      return new Promise<number>(() => undefined);
    });
    const bob = level(0.5);
    monitor.addSource('r', 'bob', bob.source);
    await jest.advanceTimersByTimeAsync(3500);
    expect(hungCalls).toBeGreaterThanOrEqual(3);
    expect(bob.state.calls).toBeGreaterThanOrEqual(3);
    expect(reports.filter((r) => r.peerId === 'bob' && r.isSpeaking).length).toBeGreaterThanOrEqual(3);
    expect(reports.some((r) => r.peerId === 'stuck')).toBe(false);
    monitor.dispose();
    // A read in flight at dispose() keeps only its own give-up timer, until it fires.
    await jest.advanceTimersByTimeAsync(1000);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops its timer when the last peer or room goes, announcing a removed active speaker', async () => {
    const { monitor, speakers } = setup();
    monitor.addSource('r', 'alice', level(0.5).source);
    const removeBob = monitor.addSource('s', 'bob', level(0).source);
    await jest.advanceTimersByTimeAsync(100);
    expect(monitor.isRunning).toBe(true);
    monitor.removePeer('r', 'alice');
    expect(speakers.at(-1)).toMatchObject({ roomKey: 'r', peerId: null });
    expect(monitor.isRunning).toBe(true);
    removeBob();
    expect(monitor.isRunning).toBe(false);
    monitor.addSource('t', 'x', level(0).source);
    monitor.releaseRoom('t');
    expect(monitor.isRunning).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });
});

function statsReport(entries: object[]): RTCStatsReport {
  return new Map(entries.map((e, i) => [String(i), e])) as unknown as RTCStatsReport;
}

describe('level sources', () => {
  it('reads receivers from synchronization sources (0 when no new packet)', async () => {
    let sources = [{ audioLevel: 0.4, rtpTimestamp: 100, timestamp: 5 }];
    const receiver = { getSynchronizationSources: () => sources, getStats: async () => statsReport([]) };
    const source = receiverAudioLevel(receiver);
    await expect(source()).resolves.toBe(0.4);
    await expect(source()).resolves.toBe(0);
    sources = [{ audioLevel: 0.2, rtpTimestamp: 960, timestamp: 6 }];
    await expect(source()).resolves.toBe(0.2);
  });

  it('falls back to inbound-rtp audioLevel', async () => {
    const receiver = {
      getStats: async () => statsReport([{ type: 'inbound-rtp', kind: 'video' }, { type: 'inbound-rtp', kind: 'audio', audioLevel: 0.25 }]),
    };
    await expect(receiverAudioLevel(receiver)()).resolves.toBe(0.25);
    await expect(receiverAudioLevel({ getStats: async () => statsReport([]) })()).resolves.toBeNull();
  });

  it('reads our own level from media-source stats, 0 while muted', async () => {
    const track = new FakeMediaStreamTrack(new FakeCaptureSource('audio', 'mic', 'mic'));
    const sender = {
      track: asTrack(track),
      getStats: async () => statsReport([{ type: 'media-source', kind: 'audio', audioLevel: 0.33 }]),
    };
    await expect(senderAudioLevel(sender)()).resolves.toBe(0.33);
    track.enabled = false;
    await expect(senderAudioLevel(sender)()).resolves.toBe(0);
    await expect(senderAudioLevel({ ...sender, track: null })()).resolves.toBe(0);
  });
});
