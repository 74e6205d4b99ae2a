import { IntSetting } from './setting-decorators';

/** The event stream: retention, WebSocket heartbeats and connection caps. */
export class EventsSettings {
  /** How long the event stream keeps an event (the feed, resuming clients, JetStream). */
  @IntSetting('EVENT_RETENTION_HOURS must be an integer between 1 and 8760', 1, 8760)
  EVENT_RETENTION_HOURS = 24;

  /** At most this many events are kept; older ones go first. */
  @IntSetting('EVENT_RETENTION_MAX must be an integer between 1 and 100000000', 1, 100000000)
  EVENT_RETENTION_MAX = 1000000;

  /** How often WebSocket clients are pinged; one that misses a ping is dropped. */
  @IntSetting('WS_HEARTBEAT_MS must be an integer >= 100', 100)
  WS_HEARTBEAT_MS = 30000;

  /** WebSocket connections the gateway holds at most; a handshake beyond it gets 503. */
  @IntSetting('WS_MAX_CLIENTS must be an integer >= 1', 1)
  WS_MAX_CLIENTS = 10000;

  /** WebSocket connections one client address holds at most; a handshake beyond it gets 429. */
  @IntSetting('WS_MAX_CLIENTS_PER_IP must be an integer >= 1', 1)
  WS_MAX_CLIENTS_PER_IP = 100;
}
