/**
 * What "Tighten to what was seen" did, shown where the user lands: the editor, which replaces the
 * details panel the button was in. The outcome is kept per draft (of the editor store it was opened
 * in) so that it shows while that draft is on show, and goes once the user dismisses it.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useEditorHandle } from '../editor/hooks.ts';
import type { EditorStore } from '../editor/store.ts';
import { plural } from '../components/parts.tsx';
import { IconClose } from '../components/icons.tsx';

interface Notes {
  /** Draft id → what tightening did to it. */
  readonly byDraft: Readonly<Record<string, string>>;
}

/** One note store per editor store: an app has one, tests mount many side by side. */
const stores = new WeakMap<EditorStore, StoreApi<Notes>>();

function notesOf(editor: EditorStore): StoreApi<Notes> {
  let notes = stores.get(editor);
  if (notes === undefined) {
    notes = createStore<Notes>()(() => ({ byDraft: {} }));
    stores.set(editor, notes);
  }
  return notes;
}

/** What tightening reports, in words: what it kept and what it took away. */
export function tightenedText(outcome: {
  readonly removed: number;
  readonly narrowed: number;
  readonly flows: number;
}): string {
  const narrowed =
    outcome.narrowed > 0 ? `, narrowed ${plural(outcome.narrowed, 'open rule')} to what was seen` : '';
  return `Tightened from observed flows: kept the ${plural(outcome.flows, 'seen flow')} it allowed, removed ${plural(outcome.removed, 'unused rule')}${narrowed}. Nothing is saved or applied.`;
}

export function noteTightened(editor: EditorStore, draftId: string, text: string): void {
  const notes = notesOf(editor);
  notes.setState({ byDraft: { ...notes.getState().byDraft, [draftId]: text } });
}

function dismiss(editor: EditorStore, draftId: string): void {
  const notes = notesOf(editor);
  const rest = Object.entries(notes.getState().byDraft).filter(([id]) => id !== draftId);
  notes.setState({ byDraft: Object.fromEntries(rest) });
}

/** The note of the draft on show in the editor, if tightening made it. */
export function TightenedNote({ draftId }: { draftId: string }) {
  const editor = useEditorHandle().store;
  const text = useStore(notesOf(editor), (s) => s.byDraft[draftId]);
  if (text === undefined) return null;
  return (
    <div className="callout flows-tightened-note" role="status" data-testid="tightened-note">
      <span>{text}</span>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss"
        title="Dismiss"
        onClick={() => dismiss(editor, draftId)}
      >
        <IconClose />
      </button>
    </div>
  );
}
