/**
 * Pure SDP and ICE-candidate helpers (no DOM access), tested on literal inputs.
 * @internal
 */

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** Splits an SDP into lines, tolerating `\n` and `\r\n`. */
export function sdpLines(sdp: string): string[] {
  return sdp.split(/\r?\n/).filter((l) => l.length > 0);
}

/** The m-sections of an SDP: `kind` (audio/video/application), port, and their `a=mid`. */
export interface MediaSection {
  readonly kind: string;
  readonly port: number;
  readonly mid: string | null;
  readonly lines: readonly string[];
}

export function mediaSections(sdp: string): MediaSection[] {
  const sections: MediaSection[] = [];
  let current: { kind: string; port: number; mid: string | null; lines: string[] } | null = null;
  for (const line of sdpLines(sdp)) {
    if (line.startsWith('m=')) {
      const [kind = '', port = '0'] = line.slice(2).split(' ');
      current = { kind, port: Number(port), mid: null, lines: [line] };
      sections.push(current);
    } else if (current) {
      current.lines.push(line);
      if (line.startsWith('a=mid:')) current.mid = line.slice(6).trim();
    }
  }
  return sections;
}

/** True when the SDP has a non-rejected `m=application` (data channel) section. */
export function hasDataChannelSection(sdp: string): boolean {
  return mediaSections(sdp).some((s) => s.kind === 'application' && s.port !== 0);
}

/** The session- or first media-level `a=ice-ufrag`, or null. */
export function iceUfrag(sdp: string): string | null {
  for (const line of sdpLines(sdp)) {
    if (line.startsWith('a=ice-ufrag:')) return line.slice('a=ice-ufrag:'.length).trim();
  }
  return null;
}

/** Parsed fields of an `a=candidate` value (`candidate:… typ host …`). */
export interface ParsedCandidate {
  readonly foundation: string;
  readonly component: number;
  readonly protocol: string;
  readonly priority: number;
  readonly address: string;
  readonly port: number;
  readonly type: CandidateType | null;
}

export function parseCandidate(candidate: string): ParsedCandidate | null {
  const text = candidate.startsWith('a=') ? candidate.slice(2) : candidate;
  const parts = text.replace(/^candidate:/, '').trim().split(/\s+/);
  if (parts.length < 8) return null;
  const [foundation = '', component = '0', protocol = '', priority = '0', address = '', port = '0'] = parts;
  const typIndex = parts.indexOf('typ');
  const rawType = typIndex >= 0 ? parts[typIndex + 1] : undefined;
  const type =
    rawType === 'host' || rawType === 'srflx' || rawType === 'prflx' || rawType === 'relay' ? rawType : null;
  return {
    foundation,
    component: Number(component),
    protocol: protocol.toLowerCase(),
    priority: Number(priority),
    address,
    port: Number(port),
    type,
  };
}

/** The candidate type (`host`, `srflx`, `prflx`, `relay`) of an `a=candidate` value, or null. */
export function candidateType(candidate: string): CandidateType | null {
  return parseCandidate(candidate)?.type ?? null;
}

/** Codec description of one payload type, as 2.x exposes it in connection statistics. */
export interface SdpCodec {
  readonly name: string;
  readonly payloadType: number;
  readonly clockRate: number | null;
  readonly channels: number | null;
  readonly params: string | null;
}

/**
 * Codecs of the first m-section of `kind` in an SDP, keyed by payload type (from `a=rtpmap` and
 * `a=fmtp`).
 */
export function codecsOf(sdp: string, kind: 'audio' | 'video'): Map<number, SdpCodec> {
  const result = new Map<number, SdpCodec>();
  const section = mediaSections(sdp).find((s) => s.kind === kind);
  if (!section) return result;
  const fmtp = new Map<number, string>();
  for (const line of section.lines) {
    const f = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (f) fmtp.set(Number(f[1]), f[2] ?? '');
  }
  for (const line of section.lines) {
    const m = /^a=rtpmap:(\d+) ([^/]+)\/(\d+)(?:\/(\d+))?/.exec(line);
    if (!m) continue;
    const payloadType = Number(m[1]);
    result.set(payloadType, {
      name: m[2] ?? '',
      payloadType,
      clockRate: m[3] ? Number(m[3]) : null,
      channels: m[4] ? Number(m[4]) : null,
      params: fmtp.get(payloadType) ?? null,
    });
  }
  return result;
}
