/**
 * App Keys the server accepts and what each may do.
 */
import type { SkylinkAppConfig } from './config';

export class AppDirectory {
  constructor(
    private readonly apps: Readonly<Record<string, SkylinkAppConfig>>,
    private readonly dev: boolean,
  ) {}

  /** Settings of an App Key; `undefined` when the key is not accepted. Dev mode accepts any key. */
  resolve(appKey: string): SkylinkAppConfig | undefined {
    if (Object.prototype.hasOwnProperty.call(this.apps, appKey)) return this.apps[appKey];
    return this.dev ? {} : undefined;
  }

  /** The App Keys sharing the app space of `appKey` (same parent, or the parent itself). */
  spaceOf(appKey: string): Set<string> {
    const root = this.apps[appKey]?.parentKey ?? appKey;
    const space = new Set<string>([appKey]);
    for (const [key, app] of Object.entries(this.apps)) {
      if (key === root || (app.parentKey ?? key) === root) space.add(key);
    }
    return space;
  }

  /** Pages of other origins are refused unless listed; requests without `Origin` are allowed. */
  isOriginAllowed(app: SkylinkAppConfig, origin: string | undefined): boolean {
    const allowed = app.allowedOrigins ?? '*';
    if (allowed === '*' || origin === undefined) return true;
    return allowed.includes(origin);
  }
}
