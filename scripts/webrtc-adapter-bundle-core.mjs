/*
 * Entry of webrtc-adapter in the self-contained browser bundles only (tsup.config.ts loads it in place
 * of webrtc-adapter/src/js/adapter_core.js; the npm entry keeps the package's own one). It is the
 * package's adapterFactory (src/js/adapter_factory.js, webrtc-adapter 9.0.6) run on `window`, calling
 * the package's own shim modules in the same order, with two differences that cannot change what the
 * page sees:
 * - it returns only `browserDetails` (the one field src/platform/browserPlatform.ts reads), not the
 *   convenience namespaces (browserShim, commonShim, sdp) and log switches that keep every shim and
 *   all of the 'sdp' package in the bundle; the adapter object is never exposed to applications;
 * - it skips the shims that are no-ops on every browser able to parse these bundles (they target
 *   Chrome 91, Firefox 90 and Safari 15 syntax, see BROWSER_BUNDLE_TARGET):
 *   - chrome shimGetUserMedia (returns for Chrome >= 64) and shimSenderReceiverGetStats (>= 67);
 *   - chrome shimGetSendersWithDtmf (patches only browsers without RTCRtpSender.dtmf, Chrome < 61);
 *   - the addTrack/removeTrack emulation in chrome shimAddTrackRemoveTrack (Chrome < 65 or no native
 *     addTrack); its shimAddTrackRemoveTrackWithNative part runs under the same condition as there;
 *   - removeExtmapAllowMixed on Chrome (returns for Chrome >= 71).
 *   In the chrome branch the version always comes from navigator.userAgentData (Chromium 90+) or the
 *   user agent; without one the package shims nothing either.
 * The adapter's logging calls are dropped too: its log switch (disableLog) was never reachable.
 */
import { detectBrowser } from './utils';
import * as chromeShim from './chrome/chrome_shim';
import * as firefoxShim from './firefox/firefox_shim';
import * as safariShim from './safari/safari_shim';
import * as commonShim from './common_shim';

function adapterFactory(window) {
  const browserDetails = detectBrowser(window);
  switch (browserDetails.browser) {
    case 'chrome':
      if (browserDetails.version === null) break;
      // Must be called before shimPeerConnection.
      commonShim.shimAddIceCandidateNullOrEmpty(window, browserDetails);
      commonShim.shimParameterlessSetLocalDescription(window, browserDetails);

      chromeShim.shimMediaStream(window, browserDetails);
      chromeShim.shimPeerConnection(window, browserDetails);
      chromeShim.shimOnTrack(window, browserDetails);
      // shimAddTrackRemoveTrack without its emulation for browsers lacking a native addTrack (Chrome < 65).
      if (window.RTCPeerConnection && window.RTCPeerConnection.prototype.addTrack && browserDetails.version >= 65) {
        chromeShim.shimAddTrackRemoveTrackWithNative(window);
      }
      chromeShim.fixNegotiationNeeded(window, browserDetails);

      commonShim.shimRTCIceCandidate(window, browserDetails);
      commonShim.shimRTCIceCandidateRelayProtocol(window, browserDetails);
      commonShim.shimConnectionState(window, browserDetails);
      commonShim.shimMaxMessageSize(window, browserDetails);
      commonShim.shimSendThrowTypeError(window, browserDetails);
      break;
    case 'firefox':
      // Must be called before shimPeerConnection.
      commonShim.shimAddIceCandidateNullOrEmpty(window, browserDetails);
      commonShim.shimParameterlessSetLocalDescription(window, browserDetails);

      firefoxShim.shimGetUserMedia(window, browserDetails);
      firefoxShim.shimPeerConnection(window, browserDetails);
      firefoxShim.shimGetStats(window, browserDetails);
      firefoxShim.shimOnTrack(window, browserDetails);
      firefoxShim.shimRemoveStream(window, browserDetails);
      firefoxShim.shimSenderGetStats(window, browserDetails);
      firefoxShim.shimReceiverGetStats(window, browserDetails);
      firefoxShim.shimRTCDataChannel(window, browserDetails);
      firefoxShim.shimAddTransceiver(window, browserDetails);
      firefoxShim.shimGetParameters(window, browserDetails);
      firefoxShim.shimCreateOffer(window, browserDetails);
      firefoxShim.shimCreateAnswer(window, browserDetails);

      commonShim.shimRTCIceCandidate(window, browserDetails);
      commonShim.shimConnectionState(window, browserDetails);
      commonShim.shimMaxMessageSize(window, browserDetails);
      commonShim.shimSendThrowTypeError(window, browserDetails);
      break;
    case 'safari':
      // Must be called before shimCallbacksAPI.
      commonShim.shimAddIceCandidateNullOrEmpty(window, browserDetails);
      commonShim.shimParameterlessSetLocalDescription(window, browserDetails);

      safariShim.shimRTCIceServerUrls(window, browserDetails);
      safariShim.shimCreateOfferLegacy(window, browserDetails);
      safariShim.shimCallbacksAPI(window, browserDetails);
      safariShim.shimLocalStreamsAPI(window, browserDetails);
      safariShim.shimRemoteStreamsAPI(window, browserDetails);
      safariShim.shimTrackEventTransceiver(window, browserDetails);
      safariShim.shimGetUserMedia(window, browserDetails);
      safariShim.shimAudioContext(window, browserDetails);

      commonShim.shimRTCIceCandidate(window, browserDetails);
      commonShim.shimRTCIceCandidateRelayProtocol(window, browserDetails);
      commonShim.shimMaxMessageSize(window, browserDetails);
      commonShim.shimSendThrowTypeError(window, browserDetails);
      // Not a no-op: WebKit views without a "Version/" in their user agent (Chrome on iOS, in-app
      // browsers) report no Safari version.
      commonShim.removeExtmapAllowMixed(window, browserDetails);
      break;
    default:
      break;
  }
  return { browserDetails };
}

export default adapterFactory(typeof window === 'undefined' ? undefined : window);
