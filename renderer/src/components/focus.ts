/**
 * Focus for panels that open over the page (the command palette, the policy editor): opening moves
 * focus into the panel, so the keyboard follows the eye; closing (or the panel going away) gives it back
 * to where it was, as a dialog does, rather than letting it fall to <body>, from where Tab starts over
 * at the top.
 */
import { useEffect, type RefObject } from 'react';

export function useFocusWhileOpen(
  open: boolean,
  target: RefObject<HTMLElement | null>,
  onOpen?: () => void,
): void {
  useEffect(() => {
    if (!open) return undefined;
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    onOpen?.();
    target.current?.focus({ preventScroll: true });
    return () => {
      const now = document.activeElement;
      const lost = now === null || now === document.body || !now.isConnected;
      if (back !== null && back.isConnected && lost) back.focus({ preventScroll: true });
    };
    // Not on `onOpen`: a fresh closure every render; only opening and closing matter here.
  }, [open, target]);
}
