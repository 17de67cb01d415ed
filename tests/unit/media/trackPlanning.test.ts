import type { SendTrack } from '../../../src/media/mediaTypes';
import { planTrackUpdate } from '../../../src/media/trackPlanning';
import { fakeStream } from '../../fakes/media/FakeMediaStream';
import { FakeCaptureSource, FakeMediaStreamTrack, asTrack } from '../../fakes/media/FakeMediaStreamTrack';

function track(kind: 'audio' | 'video'): MediaStreamTrack {
  return asTrack(new FakeMediaStreamTrack(new FakeCaptureSource(kind, 'd', 'l')));
}

function send(t: MediaStreamTrack, streamId: string, isScreensharing = false): SendTrack {
  return { track: t, stream: fakeStream([t], streamId), streamId, kind: t.kind as 'audio' | 'video', isScreensharing };
}

interface Sender {
  name: string;
  track: MediaStreamTrack | null;
}

describe('planTrackUpdate', () => {
  const mic = track('audio');
  const cam = track('video');
  const cam2 = track('video');
  const screen = track('video');
  const streamIds = new Map<MediaStreamTrack, string>([
    [mic, 'A'],
    [cam, 'V'],
    [cam2, 'V'],
    [screen, 'S'],
  ]);
  const streamIdOf = (t: MediaStreamTrack) => streamIds.get(t);

  it('keeps senders that already send the wanted track (nothing to do)', () => {
    const senders: Sender[] = [
      { name: 'a', track: mic },
      { name: 'v', track: cam },
    ];
    const plan = planTrackUpdate(senders, [send(mic, 'A'), send(cam, 'V')], streamIdOf);
    expect(plan.keep.map((k) => k.sender.name)).toEqual(['a', 'v']);
    expect(plan).toMatchObject({ replace: [], add: [], remove: [], needsRenegotiation: false });
  });

  it('replaces in place when the same stream id gets a new track of the same kind', () => {
    const senders: Sender[] = [
      { name: 'a', track: mic },
      { name: 'v', track: cam },
    ];
    const plan = planTrackUpdate(senders, [send(mic, 'A'), send(cam2, 'V')], streamIdOf);
    expect(plan.replace.map((r) => [r.sender.name, r.send.track])).toEqual([['v', cam2]]);
    expect(plan.needsRenegotiation).toBe(false);
  });

  it('adds a screen share and removes it again (renegotiation both times)', () => {
    const senders: Sender[] = [{ name: 'v', track: cam }];
    const start = planTrackUpdate(senders, [send(cam, 'V'), send(screen, 'S', true)], streamIdOf);
    expect(start.add.map((a) => a.streamId)).toEqual(['S']);
    expect(start.needsRenegotiation).toBe(true);
    const stop = planTrackUpdate([...senders, { name: 's', track: screen }], [send(cam, 'V')], streamIdOf);
    expect(stop.remove.map((s) => s.name)).toEqual(['s']);
    expect(stop.keep.map((k) => k.sender.name)).toEqual(['v']);
    expect(stop.needsRenegotiation).toBe(true);
  });

  it('never replaces across streams or kinds, and ignores trackless senders', () => {
    const senders: Sender[] = [
      { name: 'old', track: null },
      { name: 'v', track: cam },
    ];
    const other = track('video');
    const plan = planTrackUpdate(senders, [send(other, 'NEW'), send(mic, 'A')], streamIdOf);
    expect(plan.replace).toEqual([]);
    expect(plan.add.map((a) => a.streamId)).toEqual(['NEW', 'A']);
    expect(plan.remove.map((s) => s.name)).toEqual(['v']);
  });

  it('matches two senders of one stream id to two desired tracks only once each', () => {
    const senders: Sender[] = [{ name: 'v', track: cam }];
    const plan = planTrackUpdate(senders, [send(cam2, 'V'), send(track('video'), 'V')], streamIdOf);
    expect(plan.replace).toHaveLength(1);
    expect(plan.add).toHaveLength(1);
  });
});
