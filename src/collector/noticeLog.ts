/** The log line of each integrity finding of a stream (its event is in collectorEvents.ts). */
import type { EventOrigin } from './collectorEvents';
import type { Logger } from './ports';
import type { StreamNotice } from './streamTracker';

export function logNotice(
  logger: Logger,
  origin: EventOrigin,
  stream: string,
  notice: StreamNotice,
): void {
  const where = { log_group: origin.logGroup, region: origin.region, stream };
  switch (notice.kind) {
    case 'sequence_gap':
      logger.log('WARN', 'sequence gap: records missing from the audit trail', {
        ...where,
        reboot_counter: notice.rebootCounter,
        first_missing: notice.from,
        last_missing: notice.to,
        missing: notice.missing,
      });
      break;
    case 'sequence_gap_resolved':
      logger.log('INFO', 'sequence gap filled by late records', {
        ...where,
        first_missing: notice.from,
        last_missing: notice.to,
        filled: notice.filled,
        open_seconds: notice.openSeconds,
      });
      break;
    case 'reboot_counter_changed':
      logger.log('WARN', 'reboot counter changed: the HSM rebooted', {
        ...where,
        previous: notice.previous,
        current: notice.current,
      });
      break;
    case 'clock_skew':
      logger.log('WARN', 'record stamped after CloudWatch received it: the HSM clock is ahead', {
        ...where,
        sequence_no: notice.sequenceNo,
        record_time: new Date(notice.timestampMs).toISOString(),
        ingestion_time: new Date(notice.ingestionMs).toISOString(),
        skew_seconds: notice.skewSeconds,
      });
      break;
  }
}
