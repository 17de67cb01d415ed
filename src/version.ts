/**
 * Version of this SDK (kept equal to package.json `version`; a unit test checks it).
 * Returned by `Skylink.getSdkVersion()` and exposed as `SkylinkConstants.SDK_VERSION`.
 */
export const SDK_VERSION = '0.1.0';
