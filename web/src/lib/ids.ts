// Client ids: 128 random bits in hex. crypto.randomUUID needs a secure context, which a
// plain-HTTP node address is not; crypto.getRandomValues works everywhere.

export type RandomFill = (bytes: Uint8Array) => Uint8Array;

const defaultFill: RandomFill = (bytes) => globalThis.crypto.getRandomValues(bytes);

export function newClientId(fill: RandomFill = defaultFill): string {
  const bytes = fill(new Uint8Array(16));
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export const CLIENT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
