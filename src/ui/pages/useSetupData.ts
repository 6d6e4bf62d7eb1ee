/**
 * Loads what the setup page shows — accounts, which of them have a stored secret, inputs and their
 * state, indexes, the cloudhsm_index macro, the log level, this instance's roles — and reloads it
 * after every change. Each part fails on its own, so one refused call (say, no
 * right to list indexes) leaves the rest of the page working and says what went wrong.
 */
import { errorText } from '../api/splunkd';
import { useCallback, useEffect, useState } from 'react';
import { listAccounts, listIndexes, listInputs, listSecretNames } from '../api/resources';
import { inputStates, readIndexMacro, readLogLevel, serverRoles } from '../api/settings';
import type { Account } from '../model/account';
import type { InputSummary } from '../model/input';
import type { InputState } from '../model/inputState';
import type { Abilities } from '../model/permissions';

export interface SetupData {
  loaded: boolean;
  accounts: Account[];
  secrets: string[] | null;
  inputs: InputSummary[];
  indexes: string[];
  /** Input name → state; null while unknown (the search failed or is not allowed). */
  states: Map<string, InputState> | null;
  indexMacro: string;
  logLevel: string;
  roles: string[];
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
    states: null,
    indexMacro: '',
    logLevel: '',
    roles: [],
    errors: [],
  });

  const reload = useCallback(async () => {
    if (!can) return;
    const errors: string[] = [];
    const [accounts, secrets, inputs, indexes, states, indexMacro, logLevel, roles] =
      await Promise.all([
        settle(listAccounts(), [], errors),
        can.listSecrets
          ? settle<string[] | null>(listSecretNames(), null, errors)
          : Promise.resolve(null),
        settle(listInputs(), [], errors),
        can.manageInputs ? settle(listIndexes(), [], errors) : Promise.resolve([]),
        settle<Map<string, InputState> | null>(inputStates(), null, errors),
        settle(readIndexMacro(), '', errors),
        settle(readLogLevel(), '', errors),
        settle(serverRoles(), [], errors),
      ]);
    setState({
      loaded: true,
      accounts,
      secrets,
      inputs,
      indexes,
      states,
      indexMacro,
      logLevel,
      roles,
      errors,
    });
  }, [can]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { ...state, reload };
}
