import { RemoteMediaRegistry } from '../../../src/media/RemoteMediaRegistry';
import type { RemoteStreamInfo } from '../../../src/media/mediaTypes';
import { FakeMediaStream, fakeStream } from '../../fakes/media/FakeMediaStream';
import { FakeCaptureSource, FakeMediaStreamTrack, asTrack } from '../../fakes/media/FakeMediaStreamTrack';

function remoteTrack(kind: 'audio' | 'video'): FakeMediaStreamTrack {
  return new FakeMediaStreamTrack(new FakeCaptureSource(kind, 'remote', 'remote'));
}

function setup() {
  const ended: Array<{ roomKey: string; info: RemoteStreamInfo }> = [];
  const registry = new RemoteMediaRegistry({
    createMediaStream: (tracks) => fakeStream(tracks, 'synthetic'),
    onStreamEnded: (roomKey, info) => ended.push({ roomKey, info }),
  });
  return { registry, ended };
}

const wireList = [
  { publisherId: 'p', mediaId: 'AUDIO_mic', mediaType: 'audioMic', mediaState: 'active', transceiverMid: '0' },
  { publisherId: 'p', mediaId: 'VIDEO_cam', mediaType: 'videoCamera', mediaState: 'active', transceiverMid: '1' },
  { publisherId: 'p', mediaId: 'VIDEO_scr', mediaType: 'videoScreen', mediaState: 'active', transceiverMid: '2' },
  { bogus: true },
];

describe('RemoteMediaRegistry', () => {
  it('classifies arriving tracks with the peer mediaInfoList (ON_INCOMING_STREAM vs SCREEN)', () => {
    const { registry } = setup();
    registry.setMediaInfoList('r', 'p', wireList);
    expect(registry.mediaInfosOf('r', 'p').map((m) => m.mediaId)).toEqual(['AUDIO_mic', 'VIDEO_cam', 'VIDEO_scr']);
    const cam = remoteTrack('video');
    const camStream = fakeStream([asTrack(cam)], 'cam');
    const camAdded = registry.addTrack('r', 'p', { track: asTrack(cam), streams: [camStream], mid: '1' });
    expect(camAdded).toEqual({
      peerId: 'p',
      streamId: 'cam',
      stream: camStream,
      isScreensharing: false,
      isAudio: false,
      isVideo: true,
      kind: 'video',
      isNew: true,
    });
    const scr = remoteTrack('video');
    const scrAdded = registry.addTrack('r', 'p', { track: asTrack(scr), streams: [fakeStream([asTrack(scr)], 'scr')], mid: '2' });
    expect(scrAdded).toMatchObject({ streamId: 'scr', isScreensharing: true });
    // A repeated track event is not new.
    expect(registry.addTrack('r', 'p', { track: asTrack(cam), streams: [camStream], mid: '1' }).isNew).toBe(false);
    expect(registry.streamsOf('r', 'p').map((s) => [s.streamId, s.isScreensharing])).toEqual([
      ['cam', false],
      ['scr', true],
    ]);
  });

  it('wraps a track that arrives without a stream, naming it by its media info', () => {
    const { registry } = setup();
    registry.setMediaInfoList('r', 'p', wireList);
    const mic = remoteTrack('audio');
    const added = registry.addTrack('r', 'p', { track: asTrack(mic), streams: [], mid: '0' });
    expect(added.streamId).toBe('mic');
    expect(added.stream.id).toBe('synthetic');
    expect(added.stream.getTracks()).toEqual([mic]);
  });

  it('reports a remote stream that lost its last track to renegotiation, once', () => {
    const { registry, ended } = setup();
    const a = remoteTrack('audio');
    const v = remoteTrack('video');
    const stream = new FakeMediaStream([asTrack(a), asTrack(v)], 'scr');
    const s = stream as unknown as MediaStream;
    registry.addTrack('r', 'p', { track: asTrack(a), streams: [s], mid: null });
    registry.addTrack('r', 'p', { track: asTrack(v), streams: [s], mid: null });
    stream.remoteRemoveTrack(asTrack(a));
    expect(ended).toEqual([]);
    stream.remoteRemoveTrack(asTrack(v));
    expect(ended).toHaveLength(1);
    expect(ended[0]!.info).toMatchObject({ streamId: 'scr', isAudio: true, isVideo: true });
    v.source.end();
    expect(ended).toHaveLength(1);
    expect(registry.streamsOf('r', 'p')).toEqual([]);
  });

  it('applies mediaInfoEvents with 2.x receiver semantics', () => {
    const { registry } = setup();
    registry.setMediaInfoList('r', 'p', wireList);
    const status = { mic: { audioMuted: 1 as const, videoMuted: -1 as const } };
    const muted = registry.applyMediaInfoEvent('r', 'p', { mediaId: 'AUDIO_mic', mediaType: 'audioMic', mediaState: 'muted' }, status);
    expect(muted).toMatchObject({ type: 'status', streamId: 'mic', mediaStatus: { audioMuted: 0, videoMuted: -1 }, isAudio: true, isVideo: false });
    // The stored info keeps the transceiverMid from the offer (mediaInfoEvent does not carry it).
    expect(registry.mediaInfosOf('r', 'p').find((m) => m.mediaId === 'AUDIO_mic')).toMatchObject({ mediaState: 'muted', transceiverMid: '0' });
    const again = registry.applyMediaInfoEvent('r', 'p', { mediaId: 'AUDIO_mic', mediaType: 'audioMic', mediaState: 'muted' }, {
      mic: { audioMuted: 0, videoMuted: -1 },
    });
    expect(again.type).toBe('unchanged');
    expect(registry.applyMediaInfoEvent('r', 'p', { mediaId: 'VIDEO_new', mediaType: 'videoCamera', mediaState: 'muted' }, {}).type).toBe('stored');
    expect(registry.applyMediaInfoEvent('r', 'p', { nonsense: 1 }, {}).type).toBe('ignored');
  });

  it('deletes a media info on "unavailable" and ends its stream', () => {
    const { registry, ended } = setup();
    registry.setMediaInfoList('r', 'p', wireList);
    const scr = remoteTrack('video');
    const stream = fakeStream([asTrack(scr)], 'scr');
    registry.addTrack('r', 'p', { track: asTrack(scr), streams: [stream], mid: '2' });
    const outcome = registry.applyMediaInfoEvent('r', 'p', { mediaId: 'VIDEO_scr', mediaType: 'videoScreen', mediaState: 'unavailable' }, {});
    expect(outcome.type).toBe('deleted');
    expect(outcome.type === 'deleted' && outcome.ended).toMatchObject({ streamId: 'scr', isScreensharing: true, isVideo: true });
    expect(registry.mediaInfosOf('r', 'p').map((m) => m.mediaId)).toEqual(['AUDIO_mic', 'VIDEO_cam']);
    // The renegotiation that follows does not report the stream a second time.
    (stream as unknown as FakeMediaStream).remoteRemoveTrack(asTrack(scr));
    expect(ended).toEqual([]);
    expect(registry.applyMediaInfoEvent('r', 'p', { mediaId: 'VIDEO_scr', mediaType: 'videoScreen', mediaState: 'unavailable' }, {}).type).toBe('stored');
  });

  it('releases peers and rooms, detaching every listener', () => {
    const { registry, ended } = setup();
    const v = remoteTrack('video');
    const stream = fakeStream([asTrack(v)], 'cam');
    registry.addTrack('r', 'p', { track: asTrack(v), streams: [stream], mid: null });
    registry.addTrack('r', 'q', { track: asTrack(remoteTrack('audio')), streams: [], mid: null });
    expect(registry.releasePeer('r', 'p').map((s) => s.streamId)).toEqual(['cam']);
    v.source.end();
    expect(ended).toEqual([]);
    expect(registry.peersOf('r')).toEqual(['q']);
    registry.releaseRoom('r');
    expect(registry.roomCount).toBe(0);
  });
});
