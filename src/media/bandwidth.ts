/**
 * Send bandwidth caps (`joinRoom({ bandwidth })`, `refreshConnection(..., { bandwidth })`,
 * `SkylinkConstants.VIDEO_QUALITY` presets) applied with `RTCRtpSender.setParameters`
 * (`encodings[].maxBitrate`) instead of 2.x's SDP `b=AS` munging: no renegotiation, takes effect at once,
 * and works the same for every codec. Values are kbps as in 2.x; `data` has no RTP sender and is only
 * advertised (`settings.maxBandwidth`).
 *
 * When to call: after a sender exists and the connection has negotiated (some browsers expose no
 * `encodings` before that), and again after `replaceTrack` / renegotiation. Calling it twice with the
 * same caps does nothing the second time.
 * @module
 */
import type { BandwidthOptions } from '../types/options';
import type { TrackKind } from './mediaTypes';

/** The part of RTCRtpSender used here. */
export interface ParameterizedSender {
  readonly track: MediaStreamTrack | null;
  getParameters(): RTCRtpSendParameters;
  setParameters(parameters: RTCRtpSendParameters): Promise<void>;
}

/** Cap in bits per second for a track kind, or `undefined` for "no cap" (absent, zero, negative, NaN). */
export function maxBitrateFor(kind: TrackKind, bandwidth: BandwidthOptions | null | undefined): number | undefined {
  const kbps = bandwidth?.[kind];
  if (typeof kbps !== 'number' || !Number.isFinite(kbps) || kbps <= 0) return undefined;
  return Math.round(kbps * 1000);
}

/**
 * `params` with every encoding's `maxBitrate` set to `bps` (or removed when `undefined`). Returns `null`
 * when nothing would change or when there is no encoding yet (negotiate first). Never mutates `params`.
 */
export function withMaxBitrate(params: RTCRtpSendParameters, bps: number | undefined): RTCRtpSendParameters | null {
  const encodings = params.encodings ?? [];
  if (encodings.length === 0) return null;
  if (encodings.every((e) => e.maxBitrate === bps)) return null;
  return {
    ...params,
    encodings: encodings.map((e) => {
      const copy: RTCRtpEncodingParameters = { ...e };
      if (bps === undefined) delete copy.maxBitrate;
      else copy.maxBitrate = bps;
      return copy;
    }),
  };
}

/** Outcome of {@link applyBandwidth} for one sender. */
export interface BandwidthResult<S extends ParameterizedSender> {
  readonly sender: S;
  /** `applied`: setParameters called; `unchanged`: already capped so; `skipped`: no track or no encodings yet; `failed`: setParameters threw. */
  readonly status: 'applied' | 'unchanged' | 'skipped' | 'failed';
  readonly maxBitrate: number | undefined;
  readonly error?: unknown;
}

/**
 * Applies the caps to each sender by its track kind. Never throws: failures are reported per sender
 * (a cap is an optimisation, a call keeps working without it).
 */
export async function applyBandwidth<S extends ParameterizedSender>(
  senders: readonly S[],
  bandwidth: BandwidthOptions | null | undefined,
): Promise<Array<BandwidthResult<S>>> {
  return Promise.all(
    senders.map(async (sender): Promise<BandwidthResult<S>> => {
      const kind = sender.track?.kind;
      if (kind !== 'audio' && kind !== 'video') return { sender, status: 'skipped', maxBitrate: undefined };
      const maxBitrate = maxBitrateFor(kind, bandwidth);
      let params: RTCRtpSendParameters;
      try {
        params = sender.getParameters();
      } catch (error) {
        return { sender, status: 'failed', maxBitrate, error };
      }
      if ((params.encodings ?? []).length === 0) return { sender, status: 'skipped', maxBitrate };
      const next = withMaxBitrate(params, maxBitrate);
      if (!next) return { sender, status: 'unchanged', maxBitrate };
      try {
        await sender.setParameters(next);
        return { sender, status: 'applied', maxBitrate };
      } catch (error) {
        return { sender, status: 'failed', maxBitrate, error };
      }
    }),
  );
}
