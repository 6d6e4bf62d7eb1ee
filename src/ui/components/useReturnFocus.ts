/**
 * For a Modal's `returnFocus`: the element that had focus when the modal opened (the button that
 * opened it), focused again when the modal closes.
 */
import { useState } from 'react';

export function useReturnFocus(): () => void {
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  return () => {
    if (opener?.isConnected) opener.focus();
  };
}
