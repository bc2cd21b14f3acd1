// Node 18 (Debian 12's nodejs) has no global `crypto`; browsers and Node >= 19 do.
import { webcrypto } from 'node:crypto';

if (!globalThis.crypto) {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
}
