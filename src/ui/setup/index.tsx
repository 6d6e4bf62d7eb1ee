/**
 * Entry of the setup bundle (`appserver/static/setup.js`), loaded by the Simple XML view
 * `cloudhsm_audit_setup`. Mounts the page into the view's `#cloudhsm-audit-setup` element — which
 * Splunk Web may render after loading the script, so it waits for it — in Splunk's theme: the
 * user's theme as Splunk Web reports it, `$C`'s until that answer comes.
 */
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { defaultTheme, getThemeOptions, getUserTheme } from '@splunk/splunk-utils/themes';
import { SetupRoot } from './SetupRoot';

export const MOUNT_ID = 'cloudhsm-audit-setup';

function whenMounted(): Promise<HTMLElement> {
  return new Promise((resolve) => {
    const found = document.getElementById(MOUNT_ID);
    if (found) return resolve(found);
    const observer = new MutationObserver(() => {
      const element = document.getElementById(MOUNT_ID);
      if (!element) return;
      observer.disconnect();
      resolve(element);
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
  });
}

function App() {
  const [theme, setTheme] = useState<string>(() => defaultTheme());
  useEffect(() => {
    let active = true;
    getUserTheme()
      .then((name) => active && setTheme(name))
      .catch(() => undefined);
    return () => {
      active = false;
    };
  }, []);
  const { colorScheme } = getThemeOptions(theme) as { colorScheme?: string };
  return <SetupRoot colorScheme={colorScheme === 'dark' ? 'dark' : 'light'} />;
}

void whenMounted().then((element) => createRoot(element).render(<App />));
