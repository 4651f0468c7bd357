import { randomBytes } from 'node:crypto';

/** A version 7 UUID, any case: the form of a security event id. */
export const SECURITY_EVENT_ID_FORMAT =
  /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const COUNTER_MAX = 0xfff;
let lastMs = -1;
let lastCounter = 0;

/**
 * A UUIDv7 (RFC 9562 §5.7) whose 48-bit time is the event's `at`. Node 20 has no v7 generator,
 * hence these few lines. Carrying `at` in the id lets a page cursor (`before=<id>`) be turned
 * back into the (at, id) keyset position without a lookup, even after that event was purged.
 * Within one millisecond the 12 bits after the version count up (RFC 9562 §6.2, method 1), so
 * one instance's events of the same millisecond keep the order they were recorded in.
 */
export function securityEventId(at: Date): string {
  const ms = at.getTime();
  const bytes = randomBytes(16);
  let counter: number;
  if (ms === lastMs && lastCounter < COUNTER_MAX) {
    counter = lastCounter + 1;
  } else {
    // A fresh start in the lower half leaves room to count up within the millisecond.
    counter = bytes.readUInt16BE(6) & 0x7ff;
  }
  lastMs = ms;
  lastCounter = counter;
  bytes.writeUIntBE(ms, 0, 6);
  bytes.writeUInt16BE(0x7000 | counter, 6);
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The `at` an event id was made for, or undefined when the text is not such an id. */
export function securityEventTime(id: string): Date | undefined {
  if (!SECURITY_EVENT_ID_FORMAT.test(id)) {
    return undefined;
  }
  return new Date(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
}
