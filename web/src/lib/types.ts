// Wire types from docs/protocol.md §4.

export interface User {
  id: number;
  name: string;
  display_name: string;
}

export interface Friend extends User {
  state: 'friend' | 'blocked';
}

export type EventKind = 'message' | 'created' | 'joined' | 'left';

export interface ChatEvent {
  room_id: number;
  seq: number;
  kind: EventKind;
  sender: number;
  subject: number;
  client_id: string;
  body: string;
  time: number;
  unread: number;
}

export interface Member extends User {
  joined_seq: number;
  read_seq: number;
}

export interface Room {
  id: number;
  kind: 'direct' | 'group';
  title: string;
  members: Member[];
  last_seq: number;
  last_message: ChatEvent | null;
  unread: number;
  left: boolean;
  change: number;
}

export interface SendResult {
  room_id: number;
  seq: number;
  time: number;
  duplicate: boolean;
}

export interface EventPage {
  events: ChatEvent[];
  more: boolean;
}

export interface ChangesPage {
  rooms: Room[];
  next: number;
  more: boolean;
}

export interface NodesResult {
  nodes: string[];
  self: string;
}

export type Push =
  | { type: 'event'; event: ChatEvent }
  | { type: 'read'; room_id: number; user_id: number; seq: number };

export type ErrorCode =
  | 'bad_request'
  | 'invalid_field'
  | 'field_too_long'
  | 'payload_too_large'
  | 'unknown_op'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'name_taken'
  | 'not_found'
  | 'not_room_member'
  | 'blocked'
  | 'rate_limited'
  | 'overloaded'
  | 'store_unavailable'
  | 'internal'
  // Client-side codes: the request never got an answer.
  | 'network'
  | 'timeout'
  | 'closed';

/** An error answer from the server, or a transport failure (code network/timeout/closed). */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  constructor(code: ErrorCode, message: string, status = 0) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/**
 * True when the outcome is unknown or the server asked us to come back: the same request
 * (same client id) must be sent again, possibly to another node.
 */
export function isRetriable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  switch (err.code) {
    case 'network':
    case 'timeout':
    case 'closed':
    case 'overloaded':
    case 'store_unavailable':
    case 'rate_limited':
    case 'internal':
      return true;
    default:
      return false;
  }
}
