/**
 * Runs searches on harness results: the entry point of the SPL engine in spl/ (engine.ts for what
 * it models). `runSpl` treats the given rows as the whole index: the search's leading terms select
 * from them, with no time range unless the search sets one.
 */
import { runSearch, type SearchContext } from './spl/engine';
import type { Row } from './spl/lex';

export type { Row } from './spl/lex';
export { expandMacros, macroDefinition } from './spl/lex';
export { runPipeline, runSearch, type SearchContext, type TimeRange } from './spl/engine';

export function runSpl(spl: string, input: Row[], context: Partial<SearchContext> = {}): Row[] {
  return runSearch(spl, { now: 0, ...context, events: input });
}
