import {
  INVALID_FRAME,
  matches,
  parseClientFrame,
  resumeFromQuery,
  resumeRequest,
  subscriptionProblem,
} from './client-frames';
import { CLIENT_FRAMES, MAX_PATTERNS } from './frames';

describe('client frames', () => {
  it('routes the frames the gateway defines, and turns anything else into invalid_frame', () => {
    for (const event of Object.keys(CLIENT_FRAMES)) {
      expect(parseClientFrame(JSON.stringify({ event, data: 1 }))).toEqual({ event, data: 1 });
    }
    expect(parseClientFrame('{').event).toBe(INVALID_FRAME);
    expect(parseClientFrame('[]').event).toBe(INVALID_FRAME);
    expect(parseClientFrame(Buffer.from('{"event":"shout"}'))).toEqual({
      event: INVALID_FRAME,
      data: 'unknown event "shout"; expected one of ping, subscribe, resume',
    });
  });

  it('accepts event names, known prefixes and * as subscriptions, up to the documented limit', () => {
    expect(subscriptionProblem({ events: ['item.*', 'rates.synced', '*'] })).toBeUndefined();
    expect(subscriptionProblem({ events: ['nope.*'] })).toMatch(/unknown event or pattern/);
    expect(subscriptionProblem({ events: [] })).toMatch(/1 to 50/);
    expect(subscriptionProblem({ events: Array(MAX_PATTERNS + 1).fill('*') })).toMatch(/1 to 50/);
    expect(CLIENT_FRAMES.subscribe.body.properties.events.maxItems).toBe(MAX_PATTERNS);
  });

  it('matches an event against a subscription (null: everything)', () => {
    expect(matches(null, 'item.created')).toBe(true);
    expect(matches(['item.*'], 'item.created')).toBe(true);
    expect(matches(['item.*'], 'rates.synced')).toBe(false);
    expect(matches(['rates.synced'], 'rates.synced')).toBe(true);
  });

  it('takes a resume as an integer position ≥ 0 and an epoch string, from a frame or the query', () => {
    expect(resumeRequest({ after: 0, epoch: 'e' })).toEqual({ after: 0, epoch: 'e' });
    for (const bad of [null, {}, { after: -1, epoch: 'e' }, { after: 1.5, epoch: 'e' }]) {
      expect(resumeRequest(bad)).toMatch(/resume needs/);
    }
    expect(resumeRequest({ after: '3', epoch: 'e' })).toMatch(/resume needs/);
    expect(resumeRequest({ after: 3, epoch: 7 })).toMatch(/resume needs/);
    expect(resumeFromQuery('/ws/items')).toBeUndefined();
    expect(resumeFromQuery('/ws/items?after=12&epoch=e')).toEqual({ after: 12, epoch: 'e' });
    expect(resumeFromQuery('/ws/items?after=1e3&epoch=e')).toMatch(/resume needs/);
    expect(resumeFromQuery('/ws/items?after=12')).toMatch(/resume needs/);
  });
});
