/**
 * The CloudWatch Logs JSON 1.1 protocol with one shortcut: a successful `GetLogEvents` answer is
 * returned as `JSON.parse` gives it, instead of through the SDK's schema-driven deserializer, which
 * walks and copies every event into a new object. Every other operation, and every error answer
 * (status ≥ 300, so retries, throttling and error names are unchanged), goes through the SDK.
 *
 * Why: measured with scripts/bench/sdkCost.ts, reading a page through the SDK costs 5.6 CPU µs per
 * record against 3.4 µs for the HTTP read and JSON.parse alone; the collector spends 11–14 µs per
 * record in total, so the copy was the largest single cost left (BENCHMARKS.md).
 * The shape returned is the SDK's `GetLogEventsCommandOutput`: events (timestamp, message,
 * ingestionTime — all JSON numbers and strings, nothing for a reviver to convert), the two tokens
 * and `$metadata`.
 */
import { AwsJson1_1Protocol } from '@aws-sdk/core/protocols';
import { collectBody } from '@smithy/core/protocols';

type Args = Parameters<AwsJson1_1Protocol['deserializeResponse']>;
type Bearer = { $metadata: ReturnType<AwsJson1_1Protocol['deserializeMetadata']> };

export class GetLogEventsFastProtocol extends AwsJson1_1Protocol {
  override async deserializeResponse<Output extends Bearer>(
    operationSchema: Args[0],
    context: Args[1],
    response: Args[2],
  ): Promise<Output> {
    if (operationSchema.name !== 'GetLogEvents' || response.statusCode >= 300) {
      return super.deserializeResponse<Output>(operationSchema, context, response);
    }
    const bytes = await collectBody(response.body, context);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const parsed = (text.length > 0 ? JSON.parse(text) : {}) as Record<string, unknown>;
    return {
      events: parsed.events ?? [],
      nextForwardToken: parsed.nextForwardToken,
      nextBackwardToken: parsed.nextBackwardToken,
      $metadata: this.deserializeMetadata(response),
    } as unknown as Output;
  }
}
