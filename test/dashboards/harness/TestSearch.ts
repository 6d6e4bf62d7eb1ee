/**
 * A search data source for the render harness: Splunk's own TestDataSource, dressed as
 * `ds.search`/`ds.chain` (it keeps SplunkSearch's static `config` and `schema`, so the framework
 * treats it as a real search, chains included). It answers from a table keyed by the complete query
 * text, after token substitution, exactly as a search head would receive it: a chain's text is its
 * parent's complete query, a newline, then its own (what Splunk's controller calls
 * `completeSearchQuery`). A query without an answer is recorded and shown as a search error, so the
 * test fails instead of rendering a silently empty panel.
 */
import TestDataSource from '@splunk/datasources/TestDataSource';
import SplunkSearch from '@splunk/datasources/SplunkSearch';

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
): typeof TestDataSource {
  /** Options of the newest instance per data source id, so a chain can prefix its parent's query. */
  const ownQueries = new Map<string, SearchOptions>();
  const completeQuery = (id: string, depth = 0): string => {
    const options = ownQueries.get(id);
    if (!options || depth > 10) return `(data source ${id} not created)`;
    const own = options.query ?? '';
    return options.extend ? `${completeQuery(options.extend, depth + 1)}\n${own}` : own;
  };

  class TestSearch extends TestDataSource {
    static override readonly schema = SplunkSearch.schema as unknown as typeof TestDataSource.schema;
    static override readonly config = SplunkSearch.config as unknown as typeof TestDataSource.config;

    private readonly searchId: string;
    private readonly searchOptions: SearchOptions;
    private answered: boolean | undefined;

    constructor(options: SearchOptions = {}, context: { id?: string } = {}) {
      super({}, context);
      this.searchId = context.id ?? '(no id)';
      this.searchOptions = options;
      ownQueries.set(this.searchId, options);
    }

    /**
     * The answer is looked up when results are first requested, not at construction: the framework
     * may construct a chain before its parent.
     */
    override request(requestParams?: Parameters<TestDataSource['request']>[0]): ReturnType<TestDataSource['request']> {
      if (this.answered === undefined) {
        const query = completeQuery(this.searchId);
        const answer = answers[query];
        this.answered = answer !== undefined;
        received.push({
          id: this.searchId,
          query,
          earliest: this.searchOptions.queryParameters?.earliest,
          latest: this.searchOptions.queryParameters?.latest,
          answered: this.answered,
        });
        // TestDataSource mutates the data it is given: hand it a copy.
        Object.assign(
          this,
          answer
            ? { data: structuredClone(answer) }
            : { error: `No test answer for data source ${this.searchId}`, errorLevel: 'error' },
        );
      }
      return super.request(requestParams);
    }
  }
  return TestSearch;
}
