// @vitest-environment happy-dom
/**
 * "Tighten to what was seen" says what it did where the user lands: the editor replaces the policy's
 * details, so the outcome shows over the tightened draft ("Tightened from observed flows: kept …,
 * removed …"), stays with that draft only, and goes when dismissed.
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { editorDraftOriginKey, newDraft } from '../../../shared/editor/index.ts';
import { tightenedText } from '../../../renderer/src/flows/tighten-note.tsx';
import { mountWithFlows } from './mount-app.tsx';

afterEach(() => cleanup());

describe('the outcome of tightening', () => {
  it('reads as what was kept and what was taken away', () => {
    expect(tightenedText({ flows: 2, removed: 1, narrowed: 0 })).toBe(
      'Tightened from observed flows: kept the 2 seen flows it allowed, removed 1 unused rule. Nothing is saved or applied.',
    );
    expect(tightenedText({ flows: 1, removed: 0, narrowed: 1 })).toMatch(
      /kept the 1 seen flow it allowed, removed 0 unused rules, narrowed 1 open rule /,
    );
  });

  it('shows over the tightened draft in the editor, with that draft only, until dismissed', async () => {
    const { view, editor } = await mountWithFlows('hubble.jsonl');
    act(() => view.getState().select({ kind: 'policy', key: 'shop/checkout' }));
    const button = await screen.findByTestId('flows-tighten', {}, { timeout: 10_000 });
    fireEvent.click(button);

    // The editor took the details' place; the note is in it.
    const note = await screen.findByTestId('tightened-note', {}, { timeout: 10_000 });
    expect(screen.getByTestId('policy-editor').contains(note)).toBe(true);
    expect(screen.queryByTestId('flows-tighten')).toBeNull();
    expect(note.textContent).toMatch(
      /^Tightened from observed flows: kept the 2 seen flows it allowed, removed 1 unused rule\. Nothing is saved or applied\.$/,
    );
    const tightened = editor.getState().drafts.find((d) => d.id === editor.getState().activeId);
    expect(tightened && editorDraftOriginKey(tightened.draft)).toBe('shop/checkout');

    // Another draft on show has no such note; back on the tightened one, it is there again.
    act(() => {
      editor.getState().add(newDraft('shop', ['checkout']));
    });
    await waitFor(() => expect(screen.queryByTestId('tightened-note')).toBeNull());
    act(() => editor.getState().activate(tightened?.id ?? ''));
    const again = await screen.findByTestId('tightened-note');

    fireEvent.click(within(again).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('tightened-note')).toBeNull();
  });
});
