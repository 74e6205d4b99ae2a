import { defineEvents, ITEMS_SUBJECT, PayloadsOf, PRODUCTS_SUBJECT } from '../events/domain-events';
import { JobEventDto } from './dto/job-event.dto';

/** A job's events follow its kind: products' jobs to products' subject, the others to items'. */
const jobSubject = {
  oneOf: [PRODUCTS_SUBJECT, ITEMS_SUBJECT],
  pick: (job: JobEventDto) => (job.kind.startsWith('products.') ? PRODUCTS_SUBJECT : ITEMS_SUBJECT),
} as const;

/** Background jobs' events: each carries the job as `GET /tasks/{id}` shows it, minus the URL. */
export const JOB_EVENTS = defineEvents({
  'job.started': {
    summary:
      'A background job started: on products.updates for products.* jobs, else items.updates.',
    subject: jobSubject,
    payload: JobEventDto,
  },
  'job.finished': {
    summary: 'A background job ended (state succeeded, partially_failed or failed).',
    subject: jobSubject,
    payload: JobEventDto,
  },
});

declare module '../events/domain-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the map takes its types from the definitions
  interface DomainEventMap extends PayloadsOf<typeof JOB_EVENTS> {}
}
