/**
 * Runs what a button asks splunkd to do: `busy` while it runs, and the failure's text (a
 * `SplunkdError` sentence) in `error` for the page to show, instead of a rejected promise.
 */
import { useState } from 'react';
import { errorText } from '../api/splunkd';

export interface Action {
  busy: boolean;
  error: string;
  run: (work: () => Promise<void>) => Promise<void>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}
