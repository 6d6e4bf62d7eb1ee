/** Finding and driving the setup page's controls the way a user does: by label and role. */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RecordedRequest } from './fakeSplunkd';

export type User = ReturnType<typeof userEvent.setup>;

export function setupUser(): User {
  return userEvent.setup({ delay: null });
}

export async function openTab(user: User, name: RegExp): Promise<void> {
  await user.click(await screen.findByRole('tab', { name }));
}

export function modal(testId: string): ReturnType<typeof within> {
  return within(screen.getByTestId(testId));
}

/** Replaces a field's text, pasted in one input event (typing key by key re-renders the form each time). */
export async function typeInto(
  user: User,
  scope: ReturnType<typeof within>,
  label: string,
  text: string,
): Promise<void> {
  const field = scope.getByRole('textbox', { name: label });
  await user.clear(field);
  if (text) await user.paste(text);
}

/**
 * Writes the page made: method, path without Splunk Web's prefix, and form body. A search (POST
 * search/jobs, oneshot) reads, and is not listed.
 */
export function writes(
  requests: readonly RecordedRequest[],
): { method: string; path: string; form: URLSearchParams }[] {
  return requests
    .filter((request) => request.method !== 'GET' && !request.url.includes('/search/jobs?'))
    .map((request) => {
      const url = new URL(request.url, 'http://localhost');
      return {
        method: request.method,
        path: decodeURIComponent(url.pathname.replace(/^.*\/splunkd\/__raw/, '')),
        form: new URLSearchParams(request.body),
      };
    });
}

/** Opens a Select and picks the option with this label. */
export async function chooseOption(user: User, select: HTMLElement, label: string): Promise<void> {
  await user.click(select);
  await user.click(await screen.findByRole('option', { name: label }));
}

/** A button of a table row, found once the row is on the page. */
export async function rowButton(rowTestId: string, name: string): Promise<HTMLElement> {
  return within(await screen.findByTestId(rowTestId)).getByRole('button', { name });
}
