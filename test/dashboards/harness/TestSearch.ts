/**
 * A search data source for the render harness: Splunk's own TestDataSource, dressed as
 * `ds.search`/`ds.chain` (it keeps SplunkSearch's static `config` and `schema`, so the framework
 * treats it as a real search, chains included). It answers from a table keyed by the complete query
 * text, after token substitution, exactly as a search head would receive it: a chain's text is its
 * parent's complete query, a newline, then its own (what Splunk's controller calls
 * `completeSearchQuery`). A query without an answer is recorded and shown as a search error, so the
 * test fails instead of rendering a silently empty panel.
 */
import { SplunkSearch, TestDataSource } from '@splunk/datasources';

export interface ColumnData {
  fields: { name: string }[];
  columns: unknown[][];
}

export interface ReceivedSearch {
  id: string;
  query: string;
  earliest?: string;
  latest?: string;
  answered: boolean;
}

interface SearchOptions {
  query?: string;
  extend?: string;
  queryParameters?: { earliest?: string; latest?: string };
}

export function createTestSearch(
  answers: Readonly<Record<string, ColumnData>>,
  received: ReceivedSearch[],
) {
  /** Options of the newest instance per data source id, so a chain can prefix its parent's query. */
  const ownQueries = new Map<string, SearchOptions>();
  const completeQuery = (id: string, depth = 0): string => {
    const options = ownQueries.get(id);
    if (!options || depth > 10) return `(data source ${id} not created)`;
    const own = options.query ?? '';
    return options.extend ? `${completeQuery(options.extend, depth + 1)}\n${own}` : own;
  };

  class TestSearch extends TestDataSource {
    static override readonly schema =
      SplunkSearch.schema as unknown as typeof TestDataSource.schema;
    static override readonly config =
      SplunkSearch.config as unknown as typeof TestDataSource.config;

    private readonly searchId: string;
    private readonly searchOptions: SearchOptions;
    /** The complete query answered last; a chain's changes when its parent's does. */
    private answeredQuery: string | undefined;
    /** The complete query Splunk's controller handed over with the parent's newest results. */
    private deliveredQuery: string | undefined;
    private refresh = false;

    constructor(options: SearchOptions = {}, context: { id?: string } = {}) {
      super({}, context);
      this.searchId = context.id ?? '(no id)';
      this.searchOptions = options;
      ownQueries.set(this.searchId, options);
    }

    /**
     * The answer is looked up when results are requested, not at construction: the framework may
     * construct a chain before its parent, and re-requests a chain when its parent's search changes.
     */
    override request(
      requestParams?: Parameters<TestDataSource['request']>[0],
    ): ReturnType<TestDataSource['request']> {
      const query = this.deliveredQuery ?? completeQuery(this.searchId);
      if (query !== this.answeredQuery) {
        this.answeredQuery = query;
        const answer = answers[query];
        received.push({
          id: this.searchId,
          query,
          earliest: this.searchOptions.queryParameters?.earliest,
          latest: this.searchOptions.queryParameters?.latest,
          answered: answer !== undefined,
        });
        // TestDataSource mutates the data it is given: hand it a copy.
        Object.assign(
          this,
          answer
            ? { data: structuredClone(answer), error: undefined }
            : { error: `No test answer for data source ${this.searchId}`, errorLevel: 'error' },
        );
      }
      return super.request(requestParams);
    }

    /**
     * A chain receives its parent's results here, with the chain's complete query as Splunk's
     * controller computes it (`meta.completeSearchQuery`); a new one means the parent re-ran with
     * other tokens, so the chain must run again, as a post-process search on a new base job does.
     */
    override getObserver(): ReturnType<TestDataSource['getObserver']> {
      return {
        next: ({ meta }: { meta?: { completeSearchQuery?: string } }) => {
          const query = meta?.completeSearchQuery;
          if (query && query !== this.answeredQuery) {
            this.deliveredQuery = query;
            this.refresh = true;
          }
        },
        error: () => undefined,
        complete: () => undefined,
      } as unknown as ReturnType<TestDataSource['getObserver']>;
    }

    override shouldRefreshSubscription(): boolean {
      const refresh = this.refresh;
      this.refresh = false;
      return refresh;
    }
  }
  return TestSearch;
}
