import { VIDEO_QUALITY } from '../../../src/constants';
import { applyBandwidth, maxBitrateFor, withMaxBitrate } from '../../../src/media/bandwidth';
import { FakeCaptureSource, FakeMediaStreamTrack, asTrack } from '../../fakes/media/FakeMediaStreamTrack';

/** RTCRtpSender parameters as Chrome hands them out (transactionId must come back unchanged). */
class FakeSender {
  readonly track: MediaStreamTrack | null;
  readonly setCalls: RTCRtpSendParameters[] = [];
  failWith: Error | null = null;
  private params: RTCRtpSendParameters;

  constructor(kind: 'audio' | 'video' | null, encodings: RTCRtpEncodingParameters[] = [{ active: true }]) {
    this.track = kind ? asTrack(new FakeMediaStreamTrack(new FakeCaptureSource(kind, 'd', 'l'))) : null;
    this.params = { transactionId: 't1', encodings, codecs: [], headerExtensions: [], rtcp: {} } as RTCRtpSendParameters;
  }

  getParameters(): RTCRtpSendParameters {
    return JSON.parse(JSON.stringify(this.params)) as RTCRtpSendParameters;
  }

  async setParameters(p: RTCRtpSendParameters): Promise<void> {
    if (this.failWith) throw this.failWith;
    if (p.transactionId !== this.params.transactionId) throw new Error('InvalidModificationError');
    this.setCalls.push(p);
    this.params = JSON.parse(JSON.stringify(p)) as RTCRtpSendParameters;
  }

  get maxBitrate(): Array<number | undefined> {
    return (this.params.encodings ?? []).map((e) => e.maxBitrate);
  }
}

describe('maxBitrateFor', () => {
  it('converts kbps to bps and treats absent / non-positive values as no cap', () => {
    expect(maxBitrateFor('video', VIDEO_QUALITY.HQ)).toBe(1_200_000);
    expect(maxBitrateFor('audio', VIDEO_QUALITY.HQ)).toBe(80_000);
    expect(maxBitrateFor('audio', { video: 500 })).toBeUndefined();
    expect(maxBitrateFor('video', { video: 0 })).toBeUndefined();
    expect(maxBitrateFor('video', { video: Number.NaN })).toBeUndefined();
    expect(maxBitrateFor('video', null)).toBeUndefined();
  });
});

describe('withMaxBitrate', () => {
  const params = { transactionId: 'x', encodings: [{ rid: 'h' }, { rid: 'l', maxBitrate: 5 }] } as RTCRtpSendParameters;

  it('sets the cap on every encoding without mutating the input', () => {
    const next = withMaxBitrate(params, 300_000)!;
    expect(next.encodings.map((e) => e.maxBitrate)).toEqual([300_000, 300_000]);
    expect(next.transactionId).toBe('x');
    expect(params.encodings[0]!.maxBitrate).toBeUndefined();
  });

  it('removes the cap, and reports "nothing to do" as null', () => {
    const capped = withMaxBitrate(params, 1)!;
    expect(withMaxBitrate(capped, 1)).toBeNull();
    const uncapped = withMaxBitrate(capped, undefined)!;
    expect(uncapped.encodings.every((e) => !('maxBitrate' in e))).toBe(true);
    expect(withMaxBitrate({ transactionId: 'x', encodings: [] } as unknown as RTCRtpSendParameters, 1)).toBeNull();
  });
});

describe('applyBandwidth', () => {
  it('caps each sender by its kind with setParameters', async () => {
    const video = new FakeSender('video');
    const audio = new FakeSender('audio');
    const results = await applyBandwidth([video, audio], VIDEO_QUALITY.LQ);
    expect(results.map((r) => [r.status, r.maxBitrate])).toEqual([
      ['applied', 400_000],
      ['applied', 20_000],
    ]);
    expect(video.maxBitrate).toEqual([400_000]);
    expect(audio.maxBitrate).toEqual([20_000]);
  });

  it('is idempotent and lifts caps', async () => {
    const video = new FakeSender('video');
    await applyBandwidth([video], { video: 800 });
    const again = await applyBandwidth([video], { video: 800 });
    expect(again[0]!.status).toBe('unchanged');
    expect(video.setCalls).toHaveLength(1);
    await applyBandwidth([video], {});
    expect(video.maxBitrate).toEqual([undefined]);
  });

  it('skips senders without track or encodings and reports failures without throwing', async () => {
    const noTrack = new FakeSender(null);
    const noEncodings = new FakeSender('video', []);
    const failing = new FakeSender('video');
    failing.failWith = new Error('boom');
    const results = await applyBandwidth([noTrack, noEncodings, failing], { video: 100 });
    expect(results.map((r) => r.status)).toEqual(['skipped', 'skipped', 'failed']);
    expect((results[2]!.error as Error).message).toBe('boom');
  });
});
