/**
 * A windowed `<ul>`: only the items in and near the visible part of the scrolling ancestor are in the
 * DOM; two spacer items stand for the rest. Items may differ in height: each starts at an estimate and
 * is measured once rendered. Lists of up to `threshold` items render whole (small clusters, unit tests
 * under happy-dom), so behaviour there is that of a plain list.
 *
 * `renderItem` returns one `<li>`. Keyboard: Home/End scroll to the first/last item and focus its row
 * (`[data-row]`); the other keys go to `onKeyDown` (arrow keys move between rendered rows, and focusing
 * a row scrolls it into view, which renders the next ones).
 */
import {
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
} from 'react';

export interface VirtualListProps {
  readonly count: number;
  readonly renderItem: (index: number) => ReactElement;
  /** Pixel height of an item before it is measured. */
  readonly estimateHeight: (index: number) => number;
  /** A key for an item: measured heights follow items across filtering. */
  readonly itemKey: (index: number) => string;
  /** Extra pixels rendered above and below the visible part. */
  readonly overscan?: number;
  /** Render everything up to this many items. */
  readonly threshold?: number;
  readonly className?: string;
  readonly testId?: string;
  readonly onKeyDown?: (e: KeyboardEvent<HTMLUListElement>) => void;
}

/** Start offsets of items (length count + 1: the last is the total height). */
export function prefixOffsets(heights: readonly number[]): Float64Array {
  const offsets = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = (offsets[i] ?? 0) + (heights[i] ?? 0);
  return offsets;
}

/**
 * The items overlapping [top, bottom) (pixels from the list's start), as [start, end): the first item
 * whose end is past `top`, up to the first whose start is at or past `bottom`. Binary search.
 */
export function visibleRange(offsets: Float64Array, top: number, bottom: number): [number, number] {
  const count = offsets.length - 1;
  if (count <= 0) return [0, 0];
  // First index i with offsets[i + 1] > top.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] ?? 0) > top) hi = mid;
    else lo = mid + 1;
  }
  const start = Math.min(lo, count);
  // First index j >= start with offsets[j] >= bottom.
  lo = start;
  hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid] ?? 0) >= bottom) hi = mid;
    else lo = mid + 1;
  }
  return [start, Math.max(lo, Math.min(start + 1, count))];
}

function scrollParentOf(element: HTMLElement): HTMLElement | undefined {
  for (let e = element.parentElement; e !== null; e = e.parentElement) {
    const overflow = getComputedStyle(e).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return e;
  }
  return undefined;
}

interface Viewport {
  /** Visible part, in pixels from the list's start. */
  readonly top: number;
  readonly height: number;
}

export function VirtualList({
  count,
  renderItem,
  estimateHeight,
  itemKey,
  overscan = 600,
  threshold = 150,
  className = 'list',
  testId,
  onKeyDown,
}: VirtualListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const measured = useRef(new Map<string, number>());
  const pendingFocus = useRef<'first' | 'last' | undefined>(undefined);
  // What was measured last: re-rendering the same items (a selection changed) measures nothing, as
  // reading heights forces a layout.
  const lastMeasured = useRef<{ start: number; end: number; itemKey: unknown } | undefined>(undefined);
  const [viewport, setViewport] = useState<Viewport>({ top: 0, height: 0 });
  const [version, setVersion] = useState(0);
  const windowed = count > threshold;

  const offsets = useMemo(() => {
    const heights: number[] = new Array<number>(count);
    for (let i = 0; i < count; i++) heights[i] = measured.current.get(itemKey(i)) ?? estimateHeight(i);
    return prefixOffsets(heights);
    // `version` changes when measurements do (they live in a ref).
  }, [count, itemKey, estimateHeight, version]);

  const update = useCallback(() => {
    const list = listRef.current;
    if (list === null) return;
    const parent = scrollParentOf(list);
    if (parent === undefined) {
      setViewport({ top: 0, height: window.innerHeight || 800 });
      return;
    }
    const listTop = list.getBoundingClientRect().top - parent.getBoundingClientRect().top + parent.scrollTop;
    const height = parent.clientHeight || window.innerHeight || 800;
    const top = Math.max(0, parent.scrollTop - listTop);
    setViewport((v) => (Math.abs(v.top - top) < 1 && v.height === height ? v : { top, height }));
  }, []);

  useLayoutEffect(() => {
    if (!windowed) return;
    const list = listRef.current;
    const parent = list === null ? undefined : scrollParentOf(list);
    update();
    if (parent === undefined) return;
    parent.addEventListener('scroll', update, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(update);
    observer?.observe(parent);
    return () => {
      parent.removeEventListener('scroll', update);
      observer?.disconnect();
    };
  }, [windowed, update]);

  const [start, end] = windowed
    ? visibleRange(offsets, viewport.top - overscan, viewport.top + viewport.height + overscan)
    : [0, count];

  // Measure what was rendered; a changed height re-renders with corrected offsets.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!windowed || list === null) return;
    let changed = false;
    const children = list.children;
    const last = lastMeasured.current;
    const same = last !== undefined && last.start === start && last.end === end && last.itemKey === itemKey;
    lastMeasured.current = { start, end, itemKey };
    for (let i = same ? end : start; i < end; i++) {
      const child = children[i - start + 1];
      if (child === undefined) break;
      const h = child.getBoundingClientRect().height;
      if (h <= 0) continue;
      const key = itemKey(i);
      if (Math.abs((measured.current.get(key) ?? estimateHeight(i)) - h) > 0.5) {
        measured.current.set(key, h);
        changed = true;
      }
    }
    if (changed) setVersion((v) => v + 1);
    const focus = pendingFocus.current;
    if (focus !== undefined) {
      const rows = list.querySelectorAll<HTMLElement>('[data-row]');
      const row = focus === 'first' ? rows[0] : rows[rows.length - 1];
      if ((focus === 'first' && start === 0) || (focus === 'last' && end === count)) {
        pendingFocus.current = undefined;
        row?.focus();
      }
    }
  });

  const handleKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    if (windowed && (e.key === 'Home' || e.key === 'End')) {
      const list = listRef.current;
      const parent = list === null ? undefined : scrollParentOf(list);
      if (parent !== undefined) {
        e.preventDefault();
        pendingFocus.current = e.key === 'Home' ? 'first' : 'last';
        parent.scrollTop = e.key === 'Home' ? 0 : parent.scrollHeight;
        update();
        setVersion((v) => v + 1);
        return;
      }
    }
    onKeyDown?.(e);
  };

  const items: ReactElement[] = [];
  for (let i = start; i < end; i++) items.push(renderItem(i));
  if (!windowed) {
    return (
      <ul className={className} data-testid={testId} onKeyDown={handleKeyDown} ref={listRef}>
        {items}
      </ul>
    );
  }
  const before = offsets[start] ?? 0;
  const after = (offsets[count] ?? 0) - (offsets[end] ?? 0);
  return (
    <ul
      className={className}
      data-testid={testId}
      data-virtual={`${start}-${end}/${count}`}
      onKeyDown={handleKeyDown}
      ref={listRef}
    >
      <li key="virtual-before" aria-hidden="true" style={{ height: before }} />
      {items}
      <li key="virtual-after" aria-hidden="true" style={{ height: after }} />
    </ul>
  );
}
