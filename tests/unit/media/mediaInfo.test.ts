import {
  MEDIA_INFO_AUDIO_DELAY_MS,
  buildMediaInfoList,
  classifyRemoteTrack,
  mediaIdOf,
  mediaInfoUpdatesForMute,
  mediaInfoUpdatesForStop,
  mediaTypeOf,
  midResolverFromSdp,
  nextMediaStatus,
  normalizeMediaInfo,
  parseMediaId,
} from '../../../src/media/mediaInfo';
import type { RemoteMediaInfo } from '../../../src/media/mediaInfo';
import type { LocalStreamInfo, MuteChange } from '../../../src/media/mediaTypes';
import { fakeStream } from '../../fakes/media/FakeMediaStream';

function info(partial: Partial<LocalStreamInfo> & { streamId: string }): LocalStreamInfo {
  return {
    stream: fakeStream(),
    isScreensharing: false,
    isAudio: false,
    isVideo: false,
    mediaStatus: { audioMuted: -1, videoMuted: -1 },
    ...partial,
  };
}

function remote(mediaId: string, mediaType: string, transceiverMid: string | null = null): RemoteMediaInfo {
  return normalizeMediaInfo({ publisherId: 'p', mediaId, mediaType, mediaState: 'active', transceiverMid })!;
}

describe('media ids and types', () => {
  it('round-trips media ids', () => {
    expect(mediaIdOf('audio', 's-1')).toBe('AUDIO_s-1');
    expect(mediaIdOf('video', 'a_b')).toBe('VIDEO_a_b');
    expect(parseMediaId('VIDEO_a_b')).toEqual({ kind: 'video', streamId: 'a_b' });
    expect(parseMediaId('AUDIO_x')).toEqual({ kind: 'audio', streamId: 'x' });
    for (const bad of ['SCREEN_x', 'AUDIO_', 'video_x', 7, null]) expect(parseMediaId(bad)).toBeNull();
  });

  it('uses the 2.x media types', () => {
    expect(mediaTypeOf('audio', false)).toBe('audioMic');
    expect(mediaTypeOf('video', false)).toBe('videoCamera');
    expect(mediaTypeOf('video', true)).toBe('videoScreen');
    expect(mediaTypeOf('audio', true)).toBe('audio');
  });
});

describe('mediaInfoList for offers and answers', () => {
  it('reads mids of sending m-sections from a=msid lines', () => {
    const sdp = [
      'v=0',
      'm=audio 9 RTP/SAVPF 111',
      'a=mid:0',
      'a=msid:A ta',
      'm=video 9 RTP/SAVPF 96',
      'a=mid:1',
      'a=recvonly',
      'a=msid:- tb',
      'm=video 9 RTP/SAVPF 96',
      'a=mid:2',
      'a=msid:V tv',
      'm=video 0 RTP/SAVPF 96',
      'a=mid:3',
      'a=msid:OLD to',
    ].join('\n');
    const midOf = midResolverFromSdp(sdp);
    expect(midOf('A', 'audio')).toBe('0');
    expect(midOf('V', 'video')).toBe('2');
    expect(midOf('A', 'video')).toBeNull();
    expect(midOf('OLD', 'video')).toBeNull();
    expect(midResolverFromSdp(null)('A', 'audio')).toBeNull();
  });

  it('builds the 2.x entries', () => {
    const list = buildMediaInfoList(
      'me',
      [
        { streamId: 'A', kind: 'audio', isScreensharing: false, muted: false },
        { streamId: 'S', kind: 'video', isScreensharing: true, muted: true },
      ],
      (streamId) => (streamId === 'A' ? '0' : null),
    );
    expect(list).toEqual([
      { publisherId: 'me', mediaId: 'AUDIO_A', mediaType: 'audioMic', mediaState: 'active', transceiverMid: '0', mediaMetaData: '', simulcast: '' },
      { publisherId: 'me', mediaId: 'VIDEO_S', mediaType: 'videoScreen', mediaState: 'muted', transceiverMid: null, mediaMetaData: '', simulcast: '' },
    ]);
  });
});

describe('mediaInfoEvents to send', () => {
  it('sends video first and audio 1050 ms later when both changed in one call', () => {
    const changes: MuteChange[] = [
      { ...info({ streamId: 'A', isAudio: true, mediaStatus: { audioMuted: 0, videoMuted: -1 } }), audioChanged: true, videoChanged: false },
      { ...info({ streamId: 'V', isVideo: true, mediaStatus: { audioMuted: -1, videoMuted: 1 } }), audioChanged: false, videoChanged: true },
    ];
    expect(mediaInfoUpdatesForMute(changes)).toEqual([
      { mediaId: 'VIDEO_V', mediaType: 'videoCamera', mediaState: 'active', delayMs: 0 },
      { mediaId: 'AUDIO_A', mediaType: 'audioMic', mediaState: 'muted', delayMs: MEDIA_INFO_AUDIO_DELAY_MS },
    ]);
    expect(mediaInfoUpdatesForMute([changes[0]!])).toEqual([
      { mediaId: 'AUDIO_A', mediaType: 'audioMic', mediaState: 'muted', delayMs: 0 },
    ]);
    expect(mediaInfoUpdatesForMute([])).toEqual([]);
  });

  it('announces stopped tracks as unavailable', () => {
    expect(
      mediaInfoUpdatesForStop([info({ streamId: 'S', isScreensharing: true, isAudio: true, isVideo: true }), info({ streamId: 'A', isAudio: true })]),
    ).toEqual([
      { mediaId: 'VIDEO_S', mediaType: 'videoScreen', mediaState: 'unavailable', delayMs: 0 },
      { mediaId: 'AUDIO_S', mediaType: 'audio', mediaState: 'unavailable', delayMs: 0 },
      { mediaId: 'AUDIO_A', mediaType: 'audioMic', mediaState: 'unavailable', delayMs: 0 },
    ]);
  });
});

describe('received media infos', () => {
  it('normalises entries and rejects unusable ones', () => {
    expect(normalizeMediaInfo({ publisherId: 'p', mediaId: 'VIDEO_s', mediaType: 'videoScreen', mediaState: 'active', transceiverMid: 2 })).toEqual({
      publisherId: 'p',
      mediaId: 'VIDEO_s',
      mediaType: 'videoScreen',
      mediaState: 'active',
      transceiverMid: '2',
      streamId: 's',
      kind: 'video',
    });
    expect(normalizeMediaInfo({ mediaId: 'VIDEO_s', mediaType: 'videoCamera' })).toBeNull();
    expect(normalizeMediaInfo({ mediaId: 'bogus', mediaType: 'x', mediaState: 'active' })).toBeNull();
    expect(normalizeMediaInfo('x')).toBeNull();
  });

  it('classifies by transceiver mid first (2.x ontrack)', () => {
    const infos = [remote('VIDEO_cam', 'videoCamera', '1'), remote('VIDEO_scr', 'videoScreen', '2')];
    expect(classifyRemoteTrack({ kind: 'video', mid: '2', msidStreamIds: ['whatever'], mediaInfos: infos })).toEqual({
      streamId: 'scr',
      isScreensharing: true,
      mediaInfo: infos[1],
    });
    expect(classifyRemoteTrack({ kind: 'video', mid: '1', msidStreamIds: [], mediaInfos: infos }).isScreensharing).toBe(false);
  });

  it('falls back to the msid stream id, then to the advertised settings', () => {
    const infos = [remote('VIDEO_scr', 'videoScreen'), remote('AUDIO_scr', 'audio')];
    const byMsid = classifyRemoteTrack({ kind: 'video', mid: '7', msidStreamIds: ['scr'], mediaInfos: infos });
    expect(byMsid).toMatchObject({ streamId: 'scr', isScreensharing: true });
    // Screen audio travels in the screen stream: classified as screen too.
    expect(classifyRemoteTrack({ kind: 'audio', mid: null, msidStreamIds: ['scr'], mediaInfos: infos }).isScreensharing).toBe(true);
    const settings = { video: { s1: { resolution: { width: 1, height: 1 }, exactConstraints: false, screenshare: true } } };
    expect(classifyRemoteTrack({ kind: 'video', mid: '0', msidStreamIds: ['s1'], mediaInfos: [], settings })).toEqual({
      streamId: 's1',
      isScreensharing: true,
      mediaInfo: null,
    });
    expect(classifyRemoteTrack({ kind: 'video', mid: '0', msidStreamIds: [], mediaInfos: [] })).toEqual({
      streamId: null,
      isScreensharing: false,
      mediaInfo: null,
    });
  });

  it('computes the next mediaStatus entry (muted and stopped → 0, active → 1)', () => {
    expect(nextMediaStatus(undefined, 'audio', 'muted')).toEqual({ audioMuted: 0, videoMuted: -1 });
    expect(nextMediaStatus({ audioMuted: 0, videoMuted: 1 }, 'audio', 'active')).toEqual({ audioMuted: 1, videoMuted: 1 });
    expect(nextMediaStatus({ audioMuted: 1, videoMuted: 1 }, 'video', 'stopped')).toEqual({ audioMuted: 1, videoMuted: 0 });
  });
});
