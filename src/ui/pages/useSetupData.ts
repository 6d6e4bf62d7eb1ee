/**
 * Loads what the setup page shows — accounts, which of them have a stored secret, inputs, indexes —
 * and reloads it after every change. Each part fails on its own, so one refused call (say, no
 * right to list indexes) leaves the rest of the page working and says what went wrong.
 */
import { errorText } from '../api/splunkd';
import { useCallback, useEffect, useState } from 'react';
import { listAccounts, listIndexes, listInputs, listSecretNames } from '../api/resources';
import type { Account } from '../model/account';
import type { InputSummary } from '../model/input';
import type { Abilities } from '../model/permissions';

export interface SetupData {
  loaded: boolean;
  accounts: Account[];
  secrets: string[] | null;
  inputs: InputSummary[];
  indexes: string[];
  errors: string[];
  reload: () => Promise<void>;
}

async function settle<T>(promise: Promise<T>, fallback: T, errors: string[]): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    errors.push(errorText(error));
    return fallback;
  }
}

export function useSetupData(can: Abilities | null): SetupData {
  const [state, setState] = useState<Omit<SetupData, 'reload'>>({
    loaded: false,
    accounts: [],
    secrets: null,
    inputs: [],
    indexes: [],
    errors: [],
  });

  const reload = useCallback(async () => {
    if (!can) return;
    const errors: string[] = [];
    const [accounts, secrets, inputs, indexes] = await Promise.all([
      settle(listAccounts(), [], errors),
      can.listSecrets
        ? settle<string[] | null>(listSecretNames(), null, errors)
        : Promise.resolve(null),
      settle(listInputs(), [], errors),
      can.manageInputs ? settle(listIndexes(), [], errors) : Promise.resolve([]),
    ]);
    setState({ loaded: true, accounts, secrets, inputs, indexes, errors });
  }, [can]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { ...state, reload };
}
